/**
 * A hash map from non-negative integers to non-negative integers in two typed arrays (open
 * addressing, linear probing). Indexing looks up one CJK key per character of text; this is
 * several times faster than a Map there and holds no objects. Keys of 2^31 and above (bigrams of
 * rare astral characters) go to a plain Map.
 */
const EMPTY = -1;
const SMALL_LIMIT = 0x7fffffff;

export class IntMap {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;
  private readonly large = new Map<number, number>();

  constructor(capacity = 1 << 12) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Int32Array(size).fill(EMPTY);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count + this.large.size;
  }

  get(key: number): number | undefined {
    if (key >= SMALL_LIMIT) return this.large.get(key);
    const keys = this.keys;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return this.values[i];
      if (k === EMPTY) return undefined;
    }
  }

  set(key: number, value: number): void {
    if (key >= SMALL_LIMIT) {
      this.large.set(key, value);
      return;
    }
    if ((this.count + 1) * 2 > this.keys.length) this.rehash();
    const keys = this.keys;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key || k === EMPTY) {
        if (k === EMPTY) this.count++;
        keys[i] = key;
        this.values[i] = value;
        return;
      }
    }
  }

  private rehash(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, values[i]!);
  }
}

function hash(key: number): number {
  return Math.imul(key ^ (key >>> 16), 0x45d9f3b) >>> 0;
}
