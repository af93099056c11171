/**
 * Turns what a reader typed into terms to match. Everything is plain text: no operator, quote,
 * wildcard or markup has a meaning, so nothing typed can change the shape of a search.
 */
import { fold } from './normalize.js';
import { runs, type Run } from './tokenize.js';

/** Longest accepted query, in characters (code points). */
export const MAX_QUERY_LENGTH = 200;

/** One whitespace-separated word of the query and the runs (words, CJK runs) it folds into. */
export interface QueryTerm {
  text: string;
  runs: Run[];
}

export type ParsedQuery =
  | { ok: true; text: string; terms: QueryTerm[] }
  | { ok: false; reason: 'empty' | 'too_long'; limit?: number };

/**
 * Validates and splits a query. `text` is the query as echoed back (trimmed, spaces collapsed).
 * Terms with nothing searchable in them (only punctuation or emoji) are dropped; a query left with
 * no terms is valid and simply finds nothing.
 */
export function parseQuery(raw: string): ParsedQuery {
  const text = raw.trim().replace(/\s+/gu, ' ');
  if (text === '') return { ok: false, reason: 'empty' };
  let length = 0;
  for (const _ of text) length++;
  if (length > MAX_QUERY_LENGTH) return { ok: false, reason: 'too_long', limit: MAX_QUERY_LENGTH };
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const word of text.split(' ')) {
    const folded = fold(word);
    if (seen.has(folded)) continue;
    seen.add(folded);
    const parts = runs(folded);
    if (parts.length > 0) terms.push({ text: word, runs: parts });
  }
  return { ok: true, text, terms };
}
