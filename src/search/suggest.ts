/**
 * What to offer when a query finds nothing: words of the index within a typo or two of the
 * words typed, the parts of a CJK run that do occur, and, when the terms match one by one but
 * not together, each term alone.
 */
import type { TermIndex } from './engine.js';
import type { QueryTerm } from './query.js';
import { cjkKey, type Run } from './tokenize.js';

/** At most this many suggestions. */
export const MAX_SUGGESTIONS = 5;

/** Edit distance allowed when looking for a near word: 1 for short words, 2 from six letters on. */
function allowedEdits(word: string): number {
  return word.length >= 6 ? 2 : 1;
}

/** Index words close to `word`, nearest and most frequent first. */
export function nearWords(index: TermIndex, word: string): string[] {
  if (word.length < 2) return [];
  return index
    .nearWords(word, allowedEdits(word))
    .filter((n) => n.text !== word && !/[-_.]/.test(n.text))
    .map((n) => n.text);
}

/** The longest stretches of a CJK run whose every bigram is in the index, longest first. */
export function cjkPieces(index: TermIndex, run: string): string[] {
  const chars = Array.from(run);
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < chars.length; i++) {
    const linked = i + 1 < chars.length && index.findCjk(cjkKey(chars[i]!.codePointAt(0)!, chars[i + 1]!.codePointAt(0)!)) !== undefined;
    if (!linked) {
      if (i > start) pieces.push(chars.slice(start, i + 1).join(''));
      start = i + 1;
    }
  }
  return pieces.filter((p) => p !== run).sort((a, b) => b.length - a.length);
}

/**
 * Suggestions for a query that found nothing. `countAlone` tells how many items one term
 * finds by itself.
 */
export function suggest(
  index: TermIndex,
  terms: readonly QueryTerm[],
  unmatched: readonly Run[],
  countAlone: (term: QueryTerm) => number,
): string[] {
  const out = new Set<string>();
  for (const run of unmatched) {
    const found = run.kind === 'word' ? nearWords(index, run.text).slice(0, 3) : cjkPieces(index, run.text).slice(0, 2);
    for (const s of found) out.add(s);
  }
  if (terms.length > 1) {
    for (const term of terms) if (countAlone(term) > 0) out.add(term.text);
  }
  if (out.size === 0) {
    for (const term of terms) for (const run of term.runs) if (run.kind === 'cjk') for (const p of cjkPieces(index, run.text)) out.add(p);
  }
  return [...out].slice(0, MAX_SUGGESTIONS);
}
