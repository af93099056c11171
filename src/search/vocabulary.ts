/**
 * The terms of the index and how many live documents hold each. Words live in MiniSearch's radix
 * tree (prefix and edit-distance look-ups) and in a trigram index (look-ups from inside a word);
 * CJK keys (see tokenize.ts) in an integer hash map, with bigrams also listed by first character.
 * Terms are never forgotten: a term whose documents are all gone just has a document count of 0.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { InfixIndex } from './infix.js';
import { IntMap } from './int-map.js';
import { grow } from './postings.js';
import { cjkKeyText } from './tokenize.js';

export class Vocabulary {
  private readonly wordIds = new Map<string, number>();
  private readonly wordTree = new SearchableMap<number>();
  private readonly cjkIds = new IntMap();
  /** CJK bigram ids by their first character, for one-character queries. */
  private readonly byFirstChar = new Map<number, number[]>();
  private readonly infix = new InfixIndex();
  /** Live documents per term id; maintained by the engine. */
  docFreq = new Uint32Array(1024);
  /** Number of term ids given out. */
  size = 0;

  /** The id of a word, made on first sight. */
  wordId(text: string): number {
    let id = this.wordIds.get(text);
    if (id === undefined) {
      id = this.newTerm();
      this.wordIds.set(text, id);
      this.wordTree.set(text, id);
      this.infix.add(text, id);
    }
    return id;
  }

  /** The id of a CJK key, made on first sight. */
  cjkId(key: number): number {
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

  /** The id of a word or CJK key seen before, live or not. */
  knownWord(text: string): number | undefined {
    return this.wordIds.get(text);
  }

  knownCjk(key: number): number | undefined {
    return this.cjkIds.get(key);
  }

  /** The id of a word in at least one live document, or undefined. */
  findWord(text: string): number | undefined {
    return this.live(this.wordIds.get(text));
  }

  /** The id of a CJK key in at least one live document, or undefined. */
  findCjk(key: number): number | undefined {
    return this.live(this.cjkIds.get(key));
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

  private live(id: number | undefined): number | undefined {
    return id !== undefined && this.docFreq[id]! > 0 ? id : undefined;
  }

  private newTerm(): number {
    const id = this.size++;
    this.docFreq = grow(this.docFreq, this.size, (n) => new Uint32Array(n));
    return id;
  }
}
