/**
 * The inner loops of a search, as plain functions over typed arrays (no closures, so the JIT
 * keeps them tight): reading one posting list for one clause, and finding one document in a list.
 */

/** What `scan` reads and updates: the per-slot scratch of one evaluation at one clause. */
export interface Scan {
  progress: Uint32Array;
  score: Float64Array;
  best: Float64Array;
  alive: Uint8Array;
  lengths: Uint32Array;
  first: Int32Array;
  firstCount: number;
  normA: number;
  normB: number;
  /** Stamp of documents that matched every clause before this one. */
  before: number;
  isFirst: boolean;
}

/**
 * Reads postings [from, to) of one expansion of a clause: the hot loop of a search. A document
 * stamped `before` (or, for the first clause, any live one) is scored and stamped `before + 1`;
 * one already stamped `before + 1` by another expansion of the same clause keeps its best score.
 * Returns how many documents advanced.
 */
export function scan(s: Scan, docs: Int32Array, freqs: Uint16Array, from: number, to: number, factor: number): number {
  const { progress, score, best, alive, lengths, first, normA, normB, before, isFirst } = s;
  const after = before + 1;
  let advanced = 0;
  let firstCount = s.firstCount;
  for (let p = from; p < to; p++) {
    const doc = docs[p]!;
    const state = progress[doc]!;
    if (state === after) {
      const f = freqs[p]!;
      const v = (factor * f) / (f + normA + normB * lengths[doc]!);
      if (v > best[doc]!) {
        score[doc]! += v - best[doc]!;
        best[doc] = v;
      }
    } else if (isFirst ? alive[doc] === 1 : state === before) {
      const f = freqs[p]!;
      const v = (factor * f) / (f + normA + normB * lengths[doc]!);
      progress[doc] = after;
      score[doc] = isFirst ? v : score[doc]! + v;
      best[doc] = v;
      if (isFirst) first[firstCount++] = doc;
      advanced++;
    }
  }
  s.firstCount = firstCount;
  return advanced;
}

/** Index of `doc` in the ascending `docs[from..to)`, or -1. */
export function findDoc(docs: Int32Array, from: number, to: number, doc: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = docs[mid]!;
    if (at === doc) return mid;
    if (at < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
