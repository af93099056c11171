/**
 * From query terms to engine clauses. A word matches itself (weight 1), the words it starts
 * (search as you type) and, from three characters on, the words it is inside of (nerf → donerf),
 * with lower weights so whole words rank first. A CJK run of two or more characters needs all its
 * bigrams and, from three characters on, is then confirmed as a real substring (a phrase). A term
 * made of several words joined by punctuation (gpt-5.5, risc-v) is confirmed the same way.
 */
import type { Clause, Expansion } from './engine.js';
import type { QueryTerm } from './query.js';
import { cjkKey, type Run } from './tokenize.js';
import type { Vocabulary } from './vocabulary.js';

export const WEIGHT_EXACT = 1;
export const WEIGHT_PREFIX = 0.6;
export const WEIGHT_INFIX = 0.35;

/** A query ready for the engine, and the checks its candidates must pass. */
export interface CompiledQuery {
  clauses: Clause[];
  /** Folded CJK runs that must occur as written in an item's text. */
  phrases: string[];
  /** Word sequences (gpt-5.5) that must occur in order, at most two separators apart. */
  sequences: RegExp[];
  /** Runs that match nothing at all in the index (for suggestions). */
  unmatched: Run[];
}

/** The clauses of one run; an empty clause means the run matches nothing. */
export function runClauses(vocabulary: Vocabulary, run: Run, prefix: boolean): Clause[] {
  if (run.kind === 'word') return [wordClause(vocabulary, run.text, prefix)];
  const chars = Array.from(run.text, (c) => c.codePointAt(0)!);
  if (chars.length === 1) return [vocabulary.cjkStartingWith(chars[0]!).map((term) => ({ term, weight: WEIGHT_EXACT }))];
  const clauses: Clause[] = [];
  const seen = new Set<number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const key = cjkKey(chars[i]!, chars[i + 1]!);
    if (seen.has(key)) continue;
    seen.add(key);
    const term = vocabulary.findCjk(key);
    clauses.push(term === undefined ? [] : [{ term, weight: WEIGHT_EXACT }]);
  }
  return clauses;
}

function wordClause(vocabulary: Vocabulary, word: string, prefix: boolean): Clause {
  if (!prefix) {
    const term = vocabulary.findWord(word);
    return term === undefined ? [] : [{ term, weight: WEIGHT_EXACT }];
  }
  const out: Expansion[] = [];
  for (const [text, term] of vocabulary.wordsWithPrefix(word)) out.push({ term, weight: text === word ? WEIGHT_EXACT : WEIGHT_PREFIX });
  for (const [, term] of vocabulary.wordsContaining(word)) out.push({ term, weight: WEIGHT_INFIX });
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles the terms of a parsed query (all of them must match). One-letter words match only
 * whole, except when the query is that one letter: as a prefix it would match half the index.
 */
export function compile(vocabulary: Vocabulary, terms: readonly QueryTerm[]): CompiledQuery {
  const clauses: Clause[] = [];
  const phrases: string[] = [];
  const sequences: RegExp[] = [];
  const unmatched: Run[] = [];
  const alone = terms.length === 1 && terms[0]!.runs.length === 1;
  const seen = new Set<string>();
  for (const term of terms) {
    for (const run of term.runs) {
      if (run.kind === 'cjk' && Array.from(run.text).length >= 3) phrases.push(run.text);
      if (seen.has(`${run.kind}:${run.text}`)) continue;
      seen.add(`${run.kind}:${run.text}`);
      const own = runClauses(vocabulary, run, run.text.length > 1 || alone);
      if (own.some((c) => c.length === 0)) unmatched.push(run);
      clauses.push(...own);
    }
    if (term.runs.length > 1 && term.runs.every((r) => r.kind === 'word')) {
      sequences.push(new RegExp(term.runs.map((r) => escape(r.text)).join('[^\\p{L}\\p{N}]{0,2}'), 'u'));
    }
  }
  return { clauses, phrases, sequences, unmatched };
}
