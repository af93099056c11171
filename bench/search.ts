/**
 * `npm run bench -- search`: a synthetic archive of 5,000 issues × 15 items, cycled from the
 * corpus (or the seed issue when the corpus is absent). Measures the index build, the memory it
 * holds (JS heap plus typed arrays), and the latency of 200 fixed queries (search-queries.json:
 * zh/en, 1-3 terms, a few typos; page 1 with snippets), then the same queries by a naive scan
 * (`includes` over every item's text, lower-cased once beforehand) in the same run. Prints one
 * JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { itemsOf, type Issue, type Item } from '../src/issue/model.js';
import { SearchIndex } from '../src/search/index.js';
import { archiveIssues } from './archive.js';

const ISSUES = 5_000;
const ITEMS_PER_ISSUE = 15;

/** Forces a full collection, so heap figures are what is retained. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

async function sourceItems(): Promise<{ from: string; items: Array<{ item: Item; section: string }> }> {
  const { from, issues } = await archiveIssues();
  return { from, items: issues.flatMap((issue) => itemsOf(issue).map(({ item, section }) => ({ item, section: section.title }))) };
}

/** Issue i is dated i days after 2010-01-01; its items cycle through the source items. */
function syntheticArchive(items: ReadonlyArray<{ item: Item; section: string }>): Issue[] {
  const issues: Issue[] = [];
  const day0 = Date.UTC(2010, 0, 1);
  for (let i = 0; i < ISSUES; i++) {
    const date = new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
    const sections = new Map<string, Item[]>();
    for (let k = 0; k < ITEMS_PER_ISSUE; k++) {
      const source = items[(i * ITEMS_PER_ISSUE + k) % items.length]!;
      const list = sections.get(source.section) ?? [];
      list.push(source.item);
      sections.set(source.section, list);
    }
    issues.push({
      id: date.replaceAll('-', ''),
      date,
      title: `Issue ${i + 1}`,
      intro: '',
      sections: [...sections].map(([title, list]) => ({ title, items: list })),
      file: `${date}.md`,
      problems: [],
    });
  }
  return issues;
}

/** The baseline: every item's searchable text lower-cased once; a query checks each with `includes`. */
function naiveSearcher(issues: readonly Issue[]): (query: string) => number {
  const texts: string[] = [];
  for (const issue of issues) {
    for (const { item, section } of itemsOf(issue)) {
      const parts = [item.title, item.summary, item.source ?? '', ...item.tags, section.title, item.url ?? ''];
      for (const link of item.links) parts.push(link.label, link.url);
      texts.push(parts.join('\n').toLowerCase());
    }
  }
  return (query) => {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    let total = 0;
    for (const text of texts) if (terms.every((t) => text.includes(t))) total++;
    return total;
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Each query's time, sorted: the median of three runs after one warm-up pass (warming the JIT; the
 * index keeps no per-query cache), so one scheduler hiccup on a shared machine is not a query's time.
 */
function timeEach(queries: readonly string[], fn: (q: string) => unknown): number[] {
  for (const q of queries) fn(q);
  const runs = [0, 1, 2].map(() =>
    queries.map((q) => {
      const start = performance.now();
      fn(q);
      return performance.now() - start;
    }),
  );
  return queries.map((_, i) => runs.map((r) => r[i]!).sort((a, b) => a - b)[1]!).sort((a, b) => a - b);
}

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  gc();
  await new Promise((done) => setImmediate(done));
  gc();
  return process.memoryUsage();
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export async function run(): Promise<void> {
  const queries = JSON.parse(readFileSync(join(import.meta.dirname, 'search-queries.json'), 'utf8')) as string[];
  const { from, items } = await sourceItems();
  const issues = syntheticArchive(items);
  const before = await settledMemory();
  const start = performance.now();
  const index = SearchIndex.fromIssues(issues);
  const buildMs = performance.now() - start;
  const after = await settledMemory();
  const heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6;
  const rssMb = (after.rss - before.rss) / 1e6;

  const times = timeEach(queries, (q) => index.search(q));
  const naive = naiveSearcher(issues);
  const naiveTimes = timeEach(queries, naive);
  const p50 = percentile(times, 50);
  console.log(
    JSON.stringify({
      bench: 'search',
      build_ms: Math.round(buildMs),
      heap_mb: round(heapMb, 1),
      p50_ms: round(p50),
      p99_ms: round(percentile(times, 99)),
      naive_ratio_p50: round(percentile(naiveTimes, 50) / p50, 1),
      naive_p50_ms: round(percentile(naiveTimes, 50)),
      rss_mb: round(rssMb, 1),
      items: index.size,
      source_items: items.length,
      from,
      queries: queries.length,
    }),
  );
}
