/**
 * The best k of n scored candidates without sorting all n: a bounded min-heap, O(n log k).
 * A common word can match most of a large archive while a page shows five hits.
 */

/** Indexes (into `scores`) of the best `k` candidates, best first: higher score, then higher `tie`. */
export function topK(scores: Float64Array, ties: Float64Array, count: number, k: number): number[] {
  if (k <= 0 || count === 0) return [];
  // worse(a, b): a ranks below b.
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && ties[a]! < ties[b]!);
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && worse(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && worse(heap[r]!, heap[least]!)) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  for (let c = 0; c < count; c++) {
    if (heap.length < k) {
      heap.push(c);
      up(heap.length - 1);
    } else if (worse(heap[0]!, c)) {
      heap[0] = c;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
