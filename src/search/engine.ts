/**
 * The inverted index under SearchIndex: a vocabulary (vocabulary.ts), typed-array postings
 * (postings.ts), and BM25 evaluation of a conjunction of clauses. It knows terms and document
 * slots, nothing about issues or items.
 */
import { DocBuffer, EMPTY_SEGMENT, grow, mergeSegment, Postings, type Segment } from './postings.js';
import { findDoc, scan, type Scan } from './scan.js';
import type { TermSink } from './tokenize.js';
import { Vocabulary } from './vocabulary.js';

/** Feeds a document's terms, with their field weights, to `sink`; returns the document's length in terms. */
export type TermFeed = (sink: TermSink) => number;

/** A vocabulary term that counts as a match for a clause, its score scaled by `weight`. */
export interface Expansion {
  term: number;
  weight: number;
}

/** Matches a document when any of its expansions does; scores the best one. */
export type Clause = Expansion[];

/**
 * Result of an evaluation: `slots[i]` scored `scores[i]`, for i < count. The arrays are scratch
 * space reused by the next evaluation: read (or copy) them before evaluating again.
 */
export interface Candidates {
  slots: Int32Array;
  scores: Float64Array;
  count: number;
}

const K1 = 1.2;
const B = 0.75;
const MAX_FREQ = 0xffff;
/** Rough cost of one binary-search look-up, in postings read; decides between looking up and reading. */
const PROBE_COST = 16;

export class TermIndex {
  readonly vocabulary = new Vocabulary();
  private base: Segment = EMPTY_SEGMENT;
  private lists: Array<Postings | undefined> = [];
  private buffer: DocBuffer | null = null;
  private alive = new Uint8Array(1024);
  private lengths = new Uint32Array(1024);
  private slots = 0;
  private live = 0;
  private totalLength = 0;
  private livePostings = 0;
  private deadPostings = 0;
  private deltaPostings = 0;
  // Per-document aggregation scratch, indexed by term id.
  private tf = new Uint32Array(1024);
  private readonly touched: number[] = [];
  // Per-query scratch, indexed by slot (see evaluate).
  private progress = new Uint32Array(1024);
  private score = new Float64Array(1024);
  private best = new Float64Array(1024);
  private generation = 1;
  private candidates = new Int32Array(1024);
  private candidateScores = new Float64Array(1024);

  /** Number of live documents. */
  get size(): number {
    return this.live;
  }

  /** Runs `fn`, whose adds are gathered and merged into one compact segment at the end. */
  bulk<T>(fn: () => T): T {
    if (this.buffer) return fn();
    this.buffer = new DocBuffer(this.slots);
    try {
      return fn();
    } finally {
      this.merge();
    }
  }

  /** Adds a document; returns its slot. */
  add(feed: TermFeed): number {
    const slot = this.slots++;
    this.alive = grow(this.alive, this.slots, (n) => new Uint8Array(n));
    this.lengths = grow(this.lengths, this.slots, (n) => new Uint32Array(n));
    const vocabulary = this.vocabulary;
    const count = (id: number, weight: number) => {
      if (id >= this.tf.length) this.tf = grow(this.tf, vocabulary.size, (n) => new Uint32Array(n));
      if (this.tf[id] === 0) this.touched.push(id);
      this.tf[id]! += weight;
    };
    const length = feed({
      word: (text, weight) => count(vocabulary.wordId(text), weight),
      cjk: (key, weight) => count(vocabulary.cjkId(key), weight),
    });
    const docFreq = vocabulary.docFreq;
    this.alive[slot] = 1;
    this.lengths[slot] = length;
    this.live++;
    this.totalLength += length;
    for (const id of this.touched) {
      const freq = Math.min(this.tf[id]!, MAX_FREQ);
      this.tf[id] = 0;
      docFreq[id]!++;
      if (this.buffer) this.buffer.push(id, freq);
      else (this.lists[id] ??= new Postings()).push(slot, freq);
    }
    this.livePostings += this.touched.length;
    if (this.buffer) this.buffer.endDocument();
    else this.deltaPostings += this.touched.length;
    this.touched.length = 0;
    if (!this.buffer && this.deltaPostings > Math.max(1 << 16, this.base.docs.length / 4)) this.merge();
    return slot;
  }

  /** Forgets a document; `feed` must give the terms it was added with. */
  remove(slot: number, feed: TermFeed): void {
    if (!this.alive[slot]) return;
    const mark = (id: number | undefined) => {
      if (id !== undefined && this.tf[id] === 0) {
        this.tf[id] = 1;
        this.touched.push(id);
      }
    };
    feed({ word: (text) => mark(this.vocabulary.knownWord(text)), cjk: (key) => mark(this.vocabulary.knownCjk(key)) });
    for (const id of this.touched) {
      this.tf[id] = 0;
      this.vocabulary.docFreq[id]!--;
    }
    this.alive[slot] = 0;
    this.live--;
    this.totalLength -= this.lengths[slot]!;
    this.livePostings -= this.touched.length;
    this.deadPostings += this.touched.length;
    this.touched.length = 0;
    if (!this.buffer && this.deadPostings > 1024 && this.deadPostings > this.livePostings / 4) this.merge();
  }

  /**
   * Live documents matching every clause, each scored by the sum over clauses of its best
   * expansion's weight × BM25. The cheapest clause goes first and collects the candidates;
   * later clauses only advance documents that matched all the clauses before them.
   */
  evaluate(clauses: readonly Clause[]): Candidates {
    const none: Candidates = { slots: new Int32Array(0), scores: new Float64Array(0), count: 0 };
    if (clauses.length === 0 || this.live === 0) return none;
    const ordered = clauses.map((c) => ({ c, cost: c.reduce((sum, e) => sum + this.postingCount(e.term), 0) }));
    ordered.sort((a, b) => a.cost - b.cost);
    if (ordered[0]!.cost === 0) return none;
    const base = this.nextGeneration(clauses.length);
    const avg = this.totalLength / this.live || 1;
    const normA = K1 * (1 - B);
    const normB = (K1 * B) / avg;
    // Candidates of the first clause (each live slot at most once, so `slots` entries are enough);
    // later clauses only advance them, stamp by stamp (see nextGeneration).
    const first = this.candidates;
    let firstCount = 0;
    const { progress, score, best, alive, lengths } = this;
    const baseSegment = this.base;
    const baseTerms = baseSegment.offsets.length - 1;
    let survivors = 0;
    for (let i = 0; i < ordered.length; i++) {
      const { c: expansions, cost } = ordered[i]!;
      const factors = expansions.map(({ term, weight }) => weight * this.idf(term) * (K1 + 1));
      const scratch: Scan = { progress, score, best, alive, lengths, first, firstCount, normA, normB, before: base + i, isFirst: i === 0 };
      let advanced = 0;
      if (i > 0 && survivors * expansions.length * PROBE_COST < cost) {
        // Few survivors against long lists: look each survivor up instead of reading the lists.
        for (let k = 0; k < firstCount; k++) {
          const doc = first[k]!;
          if (progress[doc] !== base + i) continue;
          expansions.forEach(({ term }, e) => {
            if (term < baseTerms) {
              const at = findDoc(baseSegment.docs, baseSegment.offsets[term]!, baseSegment.offsets[term + 1]!, doc);
              if (at >= 0) advanced += scan(scratch, baseSegment.docs, baseSegment.freqs, at, at + 1, factors[e]!);
            }
            const list = this.lists[term];
            const at = list ? findDoc(list.docs, 0, list.length, doc) : -1;
            if (at >= 0) advanced += scan(scratch, list!.docs, list!.freqs, at, at + 1, factors[e]!);
          });
        }
      } else {
        expansions.forEach(({ term }, e) => {
          if (term < baseTerms) advanced += scan(scratch, baseSegment.docs, baseSegment.freqs, baseSegment.offsets[term]!, baseSegment.offsets[term + 1]!, factors[e]!);
          const list = this.lists[term];
          if (list) advanced += scan(scratch, list.docs, list.freqs, 0, list.length, factors[e]!);
        });
        firstCount = scratch.firstCount;
      }
      survivors = advanced;
      if (survivors === 0) return none;
    }
    const done = base + ordered.length;
    const scores = this.candidateScores;
    let count = 0;
    for (let k = 0; k < firstCount; k++) {
      const doc = first[k]!;
      if (progress[doc] !== done) continue;
      first[count] = doc;
      scores[count] = score[doc]!;
      count++;
    }
    return { slots: first, scores, count };
  }

  private postingCount(term: number): number {
    const inBase = term < this.base.offsets.length - 1 ? this.base.offsets[term + 1]! - this.base.offsets[term]! : 0;
    return inBase + (this.lists[term]?.length ?? 0);
  }

  private idf(term: number): number {
    const df = this.vocabulary.docFreq[term]!;
    return Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
  }

  /**
   * Stamps in `progress` are a per-query base plus the clause number, and bases only grow, so
   * the per-slot scratch never needs clearing between queries. Returns this query's base.
   */
  private nextGeneration(clauseCount: number): number {
    if (this.progress.length < this.slots) {
      this.progress = grow(this.progress, this.slots, (n) => new Uint32Array(n));
      this.score = grow(this.score, this.slots, (n) => new Float64Array(n));
      this.best = grow(this.best, this.slots, (n) => new Float64Array(n));
      this.candidates = grow(this.candidates, this.slots, (n) => new Int32Array(n));
      this.candidateScores = grow(this.candidateScores, this.slots, (n) => new Float64Array(n));
    }
    if (this.generation + clauseCount + 1 >= 0xffffffff) {
      this.progress.fill(0);
      this.generation = 1;
    }
    const base = this.generation;
    this.generation = base + clauseCount + 1;
    return base;
  }

  /** Folds growable lists, bulk adds and removals into one compact segment. */
  private merge(): void {
    this.base = mergeSegment(this.vocabulary.size, this.base, this.lists, this.buffer, this.alive);
    this.lists = [];
    this.buffer = null;
    this.deltaPostings = 0;
    this.deadPostings = 0;
  }
}
