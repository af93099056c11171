/**
 * Posting lists in typed arrays: for each term, the documents (slots) that contain it and the
 * field-weighted term frequency in each, at 6 bytes a posting (a JavaScript Map entry costs
 * 40-80). Bulk loads and merges build one compact segment for all terms (CSR layout:
 * `docs[offsets[t] .. offsets[t + 1])`); documents added later go to small growable lists until
 * the next merge, so adding one issue never rebuilds the whole index.
 */

/** Growable parallel arrays of (document slot, weighted term frequency). */
export class Postings {
  docs: Int32Array;
  freqs: Uint16Array;
  length = 0;

  constructor(capacity = 4) {
    this.docs = new Int32Array(capacity);
    this.freqs = new Uint16Array(capacity);
  }

  push(doc: number, freq: number): void {
    if (this.length === this.docs.length) {
      this.docs = grow(this.docs, this.length * 2, (n) => new Int32Array(n));
      this.freqs = grow(this.freqs, this.length * 2, (n) => new Uint16Array(n));
    }
    this.docs[this.length] = doc;
    this.freqs[this.length] = freq;
    this.length++;
  }
}

/** An immutable segment: the postings of term t are `docs/freqs[offsets[t] .. offsets[t + 1])`. */
export interface Segment {
  offsets: Int32Array;
  docs: Int32Array;
  freqs: Uint16Array;
}

export const EMPTY_SEGMENT: Segment = { offsets: new Int32Array(1), docs: new Int32Array(0), freqs: new Uint16Array(0) };

/** Documents added in bulk, document by document: each one's (term, frequency) pairs. */
export class DocBuffer {
  terms = new Int32Array(1 << 16);
  freqs = new Uint16Array(1 << 16);
  /** Document i's pairs are at `ends[i - 1] .. ends[i]`; its slot is `firstSlot + i`. */
  ends: number[] = [];
  length = 0;

  constructor(readonly firstSlot: number) {}

  push(term: number, freq: number): void {
    if (this.length === this.terms.length) {
      this.terms = grow(this.terms, this.length * 2, (n) => new Int32Array(n));
      this.freqs = grow(this.freqs, this.length * 2, (n) => new Uint16Array(n));
    }
    this.terms[this.length] = term;
    this.freqs[this.length] = freq;
    this.length++;
  }

  endDocument(): void {
    this.ends.push(this.length);
  }
}

/**
 * Builds one segment from an old segment, growable lists and a bulk buffer, keeping only the
 * documents `alive` accepts. Two passes: count per term, then fill.
 */
export function mergeSegment(
  termCount: number,
  old: Segment,
  lists: ReadonlyArray<Postings | undefined>,
  buffer: DocBuffer | null,
  alive: Uint8Array,
): Segment {
  const counts = new Int32Array(termCount + 1);
  const oldTerms = old.offsets.length - 1;
  for (let t = 0; t < oldTerms; t++) {
    for (let p = old.offsets[t]!; p < old.offsets[t + 1]!; p++) if (alive[old.docs[p]!]) counts[t]!++;
  }
  lists.forEach((list, t) => {
    if (list) for (let p = 0; p < list.length; p++) if (alive[list.docs[p]!]) counts[t]!++;
  });
  if (buffer) {
    let start = 0;
    buffer.ends.forEach((end, i) => {
      if (alive[buffer.firstSlot + i]) for (let p = start; p < end; p++) counts[buffer.terms[p]!]!++;
      start = end;
    });
  }
  const offsets = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + counts[t]!;
  const total = offsets[termCount]!;
  const docs = new Int32Array(total);
  const freqs = new Uint16Array(total);
  const cursor = offsets.slice(0, termCount);
  const put = (t: number, doc: number, freq: number) => {
    const at = cursor[t]!++;
    docs[at] = doc;
    freqs[at] = freq;
  };
  for (let t = 0; t < oldTerms; t++) {
    for (let p = old.offsets[t]!; p < old.offsets[t + 1]!; p++) if (alive[old.docs[p]!]) put(t, old.docs[p]!, old.freqs[p]!);
  }
  lists.forEach((list, t) => {
    if (list) for (let p = 0; p < list.length; p++) if (alive[list.docs[p]!]) put(t, list.docs[p]!, list.freqs[p]!);
  });
  if (buffer) {
    let start = 0;
    buffer.ends.forEach((end, i) => {
      const slot = buffer.firstSlot + i;
      if (alive[slot]) for (let p = start; p < end; p++) put(buffer.terms[p]!, slot, buffer.freqs[p]!);
      start = end;
    });
  }
  return { offsets, docs, freqs };
}

/** A copy of `array` with room for `size` elements. */
export function grow<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array>(
  array: T,
  size: number,
  make: (n: number) => T,
): T {
  if (array.length >= size) return array;
  const grown = make(Math.max(size, array.length * 2, 64));
  grown.set(array);
  return grown;
}
