/**
 * What to offer when a query finds nothing: words of the index within a typo or two of the
 * words typed, the longest start or end of a CJK run that does occur, and, when the terms match
 * one by one but not together, each term alone.
 */
import { fold } from './normalize.js';
import type { QueryTerm } from './query.js';
import type { Run } from './tokenize.js';
import type { Vocabulary } from './vocabulary.js';

/** At most this many suggestions. */
const MAX_SUGGESTIONS = 5;

/** Edit distance allowed when looking for a near word: 1 for short words, 2 from six letters on. */
function allowedEdits(word: string): number {
  return word.length >= 6 ? 2 : 1;
}

/** Index words close to `word`, nearest and most frequent first. */
function nearWords(vocabulary: Vocabulary, word: string): string[] {
  if (word.length < 2) return [];
  return vocabulary
    .nearWords(word, allowedEdits(word))
    .filter((n) => n.text !== word && !/[-_.]/.test(n.text))
    .map((n) => n.text);
}

/** At most this many shorter runs are tried for one CJK run. */
const MAX_CJK_TRIES = 24;

/**
 * The longest starts or ends of a CJK run that find something on their own
 * ("车道线检测器" → "车道线检测"), trying at most MAX_CJK_TRIES of them.
 */
function shorterRuns(run: string, finds: (text: string) => boolean): string[] {
  const chars = Array.from(run);
  let tries = 0;
  for (let length = chars.length - 1; length >= 2 && tries < MAX_CJK_TRIES; length--) {
    const found = new Set<string>();
    for (const piece of [chars.slice(0, length).join(''), chars.slice(chars.length - length).join('')]) {
      tries++;
      if (!found.has(piece) && finds(piece)) found.add(piece);
    }
    if (found.size > 0) return [...found];
  }
  return [];
}

const EDGES = /^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu;
const INSIDE_JOINERS = /[^\p{L}\p{N}\p{M}]+/gu;
const PLAIN_JOINER = /^[-._+/'’]{1,2}$/u;

/**
 * A query word as offered back: folded, without the quotes or brackets around it (`"Y"` → `y`),
 * and, when markup sits inside it (`<b>x</b>`), its runs joined by hyphens (`b-x-b`), which match
 * exactly what the word matched. The reader never gets back the punctuation they typed.
 */
export function suggestionText(term: QueryTerm): string {
  const trimmed = fold(term.text).replace(EDGES, '');
  const joiners = trimmed.match(INSIDE_JOINERS) ?? [];
  return joiners.every((j) => PLAIN_JOINER.test(j)) ? trimmed : term.runs.map((r) => r.text).join('-');
}

/**
 * Suggestions for a query that found nothing. `countAlone` tells how many items one term
 * finds by itself.
 */
export function suggest(
  vocabulary: Vocabulary,
  terms: readonly QueryTerm[],
  unmatched: readonly Run[],
  countAlone: (term: QueryTerm) => number,
): string[] {
  const out = new Set<string>();
  const known = new Map<string, boolean>();
  const alone = (term: QueryTerm) => {
    let found = known.get(term.text);
    if (found === undefined) known.set(term.text, (found = countAlone(term) > 0));
    return found;
  };
  const finds = (text: string) => alone({ text, runs: [{ kind: 'cjk', text }] });
  for (const run of unmatched) if (run.kind === 'word') for (const s of nearWords(vocabulary, run.text).slice(0, 3)) out.add(s);
  if (terms.length > 1) {
    for (const term of terms) if (alone(term)) out.add(suggestionText(term));
  }
  for (const term of terms) {
    if (alone(term)) continue;
    for (const run of term.runs) if (run.kind === 'cjk' && Array.from(run.text).length > 2 && !finds(run.text)) for (const s of shorterRuns(run.text, finds)) out.add(s);
  }
  return [...out].slice(0, MAX_SUGGESTIONS);
}
