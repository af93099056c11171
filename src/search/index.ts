/**
 * Full-text search over every item of every issue: CJK-aware, BM25-ranked, paginated, and kept
 * in step with the issue library's events one issue at a time (no rebuild for one changed file).
 */
import { issueLabel } from '../digest/label.js';
import type { SearchHitView } from '../digest/digest.js';
import { itemsOf, type Issue, type Item, type Section } from '../issue/model.js';
import { compile } from './clauses.js';
import { TermIndex } from './engine.js';
import { feedItem } from './fields.js';
import { grow } from './postings.js';
import { parseQuery, type QueryTerm } from './query.js';
import { makeSnippet } from './snippet.js';
import { suggest } from './suggest.js';
import type { Run } from './tokenize.js';
import { topK } from './topk.js';

export { MAX_QUERY_LENGTH } from './query.js';

/** One hit: what a results page shows, and its relevance. */
export interface SearchHit extends SearchHitView {
  score: number;
}

export type SearchOutcome =
  | { ok: true; query: string; total: number; page: number; pageCount: number; pageSize: number; hits: SearchHit[]; suggestions: string[] }
  | { ok: false; reason: 'empty' | 'too_long'; limit?: number };

export interface SearchOptions {
  /** 1-based; clamped into 1..pageCount. */
  page?: number;
  /** Default 5, at most 50. */
  pageSize?: number;
}

export type LibraryEvent = 'added' | 'changed' | 'removed' | 'loaded';

/** What the index needs from the issue library (IssueLibrary satisfies it). */
export interface LibraryPort {
  list(): Issue[];
  on(event: LibraryEvent, listener: (issue: Issue) => void): unknown;
  off(event: LibraryEvent, listener: (issue: Issue) => void): unknown;
}

export const DEFAULT_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 50;

interface Slot {
  issue: Issue;
  section: Section;
  item: Item;
  /** 0-based across sections. */
  index: number;
  /** Folded text of every field, for phrase checks. */
  text: string;
}

export class SearchIndex {
  private readonly engine = new TermIndex();
  private readonly slots: Array<Slot | undefined> = [];
  /** Per slot: higher for newer issues, then for earlier items; breaks score ties. */
  private ties = new Float64Array(1024);
  private tieScratch = new Float64Array(1024);
  private readonly byIssue = new Map<string, number[]>();
  private unfollow: (() => void) | null = null;

  /** An index of `issues`, not following anything. */
  static fromIssues(issues: Iterable<Issue>): SearchIndex {
    const index = new SearchIndex();
    index.engine.bulk(() => {
      for (const issue of issues) index.add(issue);
    });
    return index;
  }

  /** Indexes the library's issues, then follows its added/changed/removed events until `dispose()`. */
  static fromLibrary(library: LibraryPort): SearchIndex {
    const index = SearchIndex.fromIssues(library.list());
    const onAdded = (issue: Issue) => index.add(issue);
    const onRemoved = (issue: Issue) => index.remove(issue.id);
    library.on('added', onAdded);
    library.on('loaded', onAdded);
    library.on('changed', onAdded);
    library.on('removed', onRemoved);
    index.unfollow = () => {
      library.off('added', onAdded);
      library.off('loaded', onAdded);
      library.off('changed', onAdded);
      library.off('removed', onRemoved);
    };
    return index;
  }

  /** Number of items indexed. */
  get size(): number {
    return this.engine.size;
  }

  /** Indexes an issue's items, replacing any issue with the same id. */
  add(issue: Issue): void {
    this.remove(issue.id);
    const tieBase = Number((issue.date || issue.id).replace(/\D/g, '').slice(0, 8) || 0) * 1000;
    const slots: number[] = [];
    for (const { section, item, index } of itemsOf(issue)) {
      let text = '';
      const slot = this.engine.add((sink) => {
        const fed = feedItem(item, section.title, sink);
        text = fed.text;
        return fed.length;
      });
      this.slots[slot] = { issue, section, item, index, text };
      this.ties = grow(this.ties, slot + 1, (n) => new Float64Array(n));
      this.ties[slot] = tieBase + 999 - Math.min(index, 999);
      slots.push(slot);
    }
    this.byIssue.set(issue.id, slots);
  }

  /** Removes an issue's items; unknown ids are ignored. */
  remove(issueId: string): void {
    const slots = this.byIssue.get(issueId);
    if (!slots) return;
    for (const slot of slots) {
      const entry = this.slots[slot];
      if (!entry) continue;
      this.engine.remove(slot, (sink) => feedItem(entry.item, entry.section.title, sink).length);
      this.slots[slot] = undefined;
    }
    this.byIssue.delete(issueId);
  }

  /** Searches; every term of the query must match. See the README for the matching rules. */
  search(query: string, options: SearchOptions = {}): SearchOutcome {
    const parsed = parseQuery(query);
    if (!parsed.ok) return parsed;
    const pageSize = clamp(Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
    const { scores, ties, slots, count, unmatched } = this.match(parsed.terms);
    const pageCount = Math.max(1, Math.ceil(count / pageSize));
    const page = clamp(Math.floor(Number.isFinite(options.page) ? options.page! : 1), 1, pageCount);
    const runs = parsed.terms.flatMap((t) => t.runs);
    const best = topK(scores, ties, count, page * pageSize).slice((page - 1) * pageSize);
    const hits = best.map((c) => this.hit(this.slots[slots[c]!]!, scores[c]!, runs));
    const suggestions =
      count === 0 && parsed.terms.length > 0 ? suggest(this.engine.vocabulary, parsed.terms, unmatched, (term) => this.match([term]).count) : [];
    return { ok: true, query: parsed.text, total: count, page, pageCount, pageSize, hits, suggestions };
  }

  /**
   * The items a query finds, unranked and unpaged, by the same rules as `search` (every term must
   * match): what saved-search alerts need, without the snippets and the suggestions a page makes.
   */
  matchingItems(query: string): Array<{ issueId: string; itemIndex: number }> {
    const parsed = parseQuery(query);
    if (!parsed.ok) return [];
    const { slots, count } = this.match(parsed.terms);
    const out: Array<{ issueId: string; itemIndex: number }> = [];
    for (let c = 0; c < count; c++) {
      const entry = this.slots[slots[c]!]!;
      out.push({ issueId: entry.issue.id, itemIndex: entry.index });
    }
    return out;
  }

  /** Stops following the library. The index stays searchable. */
  dispose(): void {
    this.unfollow?.();
    this.unfollow = null;
  }

  private match(terms: readonly QueryTerm[]) {
    const compiled = compile(this.engine.vocabulary, terms);
    const found = this.engine.evaluate(compiled.clauses);
    const slots = found.slots;
    const scores = found.scores;
    this.tieScratch = grow(this.tieScratch, found.count, (n) => new Float64Array(n));
    const ties = this.tieScratch;
    const { phrases, sequences } = compiled;
    const checked = phrases.length > 0 || sequences.length > 0;
    let count = 0;
    for (let c = 0; c < found.count; c++) {
      const slot = slots[c]!;
      if (checked && !confirms(this.slots[slot]!.text, phrases, sequences)) continue;
      slots[count] = slot;
      scores[count] = scores[c]!;
      ties[count] = this.ties[slot]!;
      count++;
    }
    return { slots, scores, ties, count, unmatched: compiled.unmatched };
  }

  private hit(entry: Slot, score: number, runs: readonly Run[]): SearchHit {
    const { issue, section, item, index } = entry;
    return {
      issueId: issue.id,
      date: issueLabel(issue),
      sectionTitle: section.title,
      itemIndex: index,
      title: item.title,
      url: item.url,
      source: item.source,
      snippet: makeSnippet(item.summary || item.title, runs),
      score,
    };
  }
}

/** Whether an item's folded text has every phrase and word sequence of the query. */
function confirms(text: string, phrases: readonly string[], sequences: readonly RegExp[]): boolean {
  for (const p of phrases) if (!text.includes(p)) return false;
  for (const s of sequences) if (!s.test(text)) return false;
  return true;
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isNaN(n) ? lo : Math.min(hi, Math.max(lo, n));
}
