/**
 * The inverted index under SearchIndex: two vocabularies (words in MiniSearch's radix tree, for
 * prefix and edit-distance look-ups, plus a trigram index for look-ups from inside; CJK keys in a
 * plain Map), typed-array postings (see postings.ts), and BM25 evaluation of a conjunction of
 * clauses. It knows terms and document slots, nothing about issues or items.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { InfixIndex } from './infix.js';
import { DocBuffer, EMPTY_SEGMENT, grow, mergeSegment, Postings, type Segment } from './postings.js';
import { cjkKeyText, type TermSink } from './tokenize.js';

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

export class TermIndex {
  private readonly wordIds = new Map<string, number>();
  private readonly wordTree = new SearchableMap<number>();
  private readonly cjkIds = new Map<number, number>();
  /** CJK bigram ids by their first character, for one-character queries. */
  private readonly byFirstChar = new Map<number, number[]>();
  private readonly infix = new InfixIndex();
  private termCount = 0;
  private docFreq = new Uint32Array(1024);
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
    const count = (id: number, weight: number) => {
      if (this.tf[id] === 0) this.touched.push(id);
      this.tf[id]! += weight;
    };
    const length = feed({
      word: (text, weight) => count(this.wordId(text), weight),
      cjk: (key, weight) => count(this.cjkId(key), weight),
    });
    this.alive[slot] = 1;
    this.lengths[slot] = length;
    this.live++;
    this.totalLength += length;
    for (const id of this.touched) {
      const freq = Math.min(this.tf[id]!, MAX_FREQ);
      this.tf[id] = 0;
      this.docFreq[id]!++;
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
    feed({ word: (text) => mark(this.wordIds.get(text)), cjk: (key) => mark(this.cjkIds.get(key)) });
    for (const id of this.touched) {
      this.tf[id] = 0;
      this.docFreq[id]!--;
    }
    this.alive[slot] = 0;
    this.live--;
    this.totalLength -= this.lengths[slot]!;
    this.livePostings -= this.touched.length;
    this.deadPostings += this.touched.length;
    this.touched.length = 0;
    if (!this.buffer && this.deadPostings > 1024 && this.deadPostings > this.livePostings / 4) this.merge();
  }

  /** The id of a word in at least one live document, or undefined. */
  findWord(text: string): number | undefined {
    return this.liveId(this.wordIds.get(text));
  }

  /** The id of a CJK key (see tokenize.ts) in at least one live document, or undefined. */
  findCjk(key: number): number | undefined {
    return this.liveId(this.cjkIds.get(key));
  }

  /** Live words starting with `prefix` (itself included), with their ids. */
  wordsWithPrefix(prefix: string): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [text, id] of this.wordTree.atPrefix(prefix)) if (this.docFreq[id]! > 0) out.push([text, id]);
    return out;
  }

  /** Live words that contain `part` (three characters or more) other than at their start. */
  wordsContaining(part: string): Array<[string, number]> {
    return this.infix.containing(part).filter(([, id]) => this.docFreq[id]! > 0);
  }

  /** Ids of the live CJK terms that start with the character `cp`: its bigrams and itself. */
  cjkStartingWith(cp: number): number[] {
    const ids = [...(this.byFirstChar.get(cp) ?? []), this.cjkIds.get(cp)];
    return ids.filter((id): id is number => id !== undefined && this.docFreq[id]! > 0);
  }

  /** Live words within `distance` edits of `text`, nearest first, then most frequent. */
  nearWords(text: string, distance: number): Array<{ text: string; distance: number; docFreq: number }> {
    const out: Array<{ text: string; distance: number; docFreq: number }> = [];
    for (const [term, [id, d]] of this.wordTree.fuzzyGet(text, distance)) {
      const docFreq = this.docFreq[id]!;
      if (docFreq > 0) out.push({ text: term, distance: d, docFreq });
    }
    return out.sort((a, b) => a.distance - b.distance || b.docFreq - a.docFreq);
  }

  /** Number of live documents containing a term. */
  docFrequency(term: number): number {
    return this.docFreq[term] ?? 0;
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
    // Candidates of the first clause: each live slot at most once, so `slots` entries are enough.
    const first = this.candidates;
    let firstCount = 0;
    const { progress, score, best, alive, lengths } = this;
    const visit = (docs: Int32Array, freqs: Uint16Array, from: number, to: number, factor: number, i: number) => {
      const before = base + i;
      const after = before + 1;
      for (let p = from; p < to; p++) {
        const doc = docs[p]!;
        const state = progress[doc]!;
        if (state === after) {
          const f = freqs[p]!;
          const s = (factor * f) / (f + normA + normB * lengths[doc]!);
          if (s > best[doc]!) {
            score[doc]! += s - best[doc]!;
            best[doc] = s;
          }
        } else if (i === 0 ? alive[doc] === 1 : state === before) {
          const f = freqs[p]!;
          const s = (factor * f) / (f + normA + normB * lengths[doc]!);
          progress[doc] = after;
          score[doc] = i === 0 ? s : score[doc]! + s;
          best[doc] = s;
          if (i === 0) first[firstCount++] = doc;
        }
      }
    };
    const baseTerms = this.base.offsets.length - 1;
    for (let i = 0; i < ordered.length; i++) {
      for (const { term, weight } of ordered[i]!.c) {
        const factor = weight * this.idf(term) * (K1 + 1);
        if (term < baseTerms) visit(this.base.docs, this.base.freqs, this.base.offsets[term]!, this.base.offsets[term + 1]!, factor, i);
        const list = this.lists[term];
        if (list) visit(list.docs, list.freqs, 0, list.length, factor, i);
      }
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
    const df = this.docFreq[term]!;
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
    this.base = mergeSegment(this.termCount, this.base, this.lists, this.buffer, this.alive);
    this.lists = [];
    this.buffer = null;
    this.deltaPostings = 0;
    this.deadPostings = 0;
  }

  private liveId(id: number | undefined): number | undefined {
    return id !== undefined && this.docFreq[id]! > 0 ? id : undefined;
  }

  private wordId(text: string): number {
    let id = this.wordIds.get(text);
    if (id === undefined) {
      id = this.newTerm();
      this.wordIds.set(text, id);
      this.wordTree.set(text, id);
      this.infix.add(text, id);
    }
    return id;
  }

  private cjkId(key: number): number {
    let id = this.cjkIds.get(key);
    if (id === undefined) {
      id = this.newTerm();
      this.cjkIds.set(key, id);
      const text = cjkKeyText(key);
      const first = text.codePointAt(0)!;
      if (text.length > String.fromCodePoint(first).length) {
        const list = this.byFirstChar.get(first);
        if (list) list.push(id);
        else this.byFirstChar.set(first, [id]);
      }
    }
    return id;
  }

  private newTerm(): number {
    const id = this.termCount++;
    this.docFreq = grow(this.docFreq, this.termCount, (n) => new Uint32Array(n));
    this.tf = grow(this.tf, this.termCount, (n) => new Uint32Array(n));
    return id;
  }
}
