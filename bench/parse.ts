/**
 * `npm run bench -- parse`: one JSON line
 *   {"bench":"parse","mb_per_s":…,"remark_ratio":…,"library_10k_ms":…,"library_10k_rss_mb":…,
 *    "library_10k_cold_ms":…,"library_10k_cold_rss_mb":…,"library_10k_cached":…,"library_10k_verified":…}
 *
 *  - mb_per_s: full `parseIssue` throughput over the corpus, parsed 20 times (BENCH_PARSE_REPS).
 *  - remark_ratio: full parse time / bare `unified().use(remarkParse).use(remarkGfm).parse` time on
 *    the same texts. Both are warmed up, then run interleaved (bare, full, bare, full…) so machine
 *    noise hits both alike; the ratio is of the summed times.
 *  - 10,000 synthetic issues (BENCH_LIBRARY_ISSUES), each a corpus file under a new date (in the
 *    file name and in the text, so no two files are alike), written to a temp folder. A child
 *    process times `IssueLibrary.open` on it with a parse cache in the same temp folder and reports
 *    its own peak RSS (process.resourceUsage().maxRSS), so the figure is the library's, not this
 *    process's copies of the corpus. Two children run in turn:
 *    - library_10k_cold_ms / _cold_rss_mb: the first open, with an empty cache: every file is
 *      parsed, and the cache is written (what a first start, or a start after a parser change, costs);
 *    - library_10k_ms / _rss_mb: the next open (a restart): unchanged files come from the cache.
 *      library_10k_cached counts the files it served from the cache (all of them, or the bench
 *      says so on stderr), library_10k_verified those of them it read to check their hash (files
 *      modified within 2 s of the cold load reading them).
 *    - library_10k_cold_1worker_ms: the same cold load through a pool of one worker (its own empty
 *      cache), before the others; pool_speedup = that / library_10k_cold_ms (workers: one per core,
 *      library_10k_cold_workers);
 *    - first_command_ms / first_command_fraction: the cold open is progressive, as in npm start:
 *      the time until it returned with the newest issue served (a command could be answered), and
 *      that as a fraction of the full cold load.
 *    All children use the parser version this process computed at start, so an edit of the
 *    parser's sources during the run cannot turn the warm load into a second cold one.
 *  - newsletters_remark_ratio and newsletters: the same ratio over the other newsletters of
 *    ../shared/newsletters (or NEWSBOT_NEWSLETTERS), which go through more of the parser (front
 *    matter, Liquid tags, reference links, bare-URL and bold-title entries), and per newsletter
 *    folder its files, served issues, items, and links (item urls plus secondary links).
 *    BENCH_LIBRARY_ISSUES=0 measures only the parse figures.
 * The corpus is ../shared/corpus (or NEWSBOT_CORPUS); without it, the issues/ folder stands in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ParseCache, parserVersion } from '../src/issue/parse-cache.js';
import { IssueLibrary, type LoadStats } from '../src/library/library.js';

const repo = resolve(import.meta.dirname, '..');
const self = fileURLToPath(import.meta.url);

interface Sample {
  name: string;
  text: string;
  bytes: number;
}

function corpusFolder(): string {
  const dir = process.env.NEWSBOT_CORPUS ? resolve(process.env.NEWSBOT_CORPUS) : resolve(repo, '../shared/corpus');
  return existsSync(dir) ? dir : join(repo, 'issues');
}

function newslettersFolder(): string | null {
  const dir = process.env.NEWSBOT_NEWSLETTERS ? resolve(process.env.NEWSBOT_NEWSLETTERS) : resolve(repo, '../shared/newsletters');
  return existsSync(dir) ? dir : null;
}

/** Per newsletter folder: files, issues with items, items, links. */
async function newsletterCounts(dir: string): Promise<Record<string, { files: number; issues: number; items: number; links: number }>> {
  const { parseIssue } = await import('../src/issue/parse.js');
  const out: Record<string, { files: number; issues: number; items: number; links: number }> = {};
  for (const folder of readdirSync(dir).sort()) {
    if (!statSync(join(dir, folder)).isDirectory()) continue;
    const row = { files: 0, issues: 0, items: 0, links: 0 };
    for (const s of readSamples(join(dir, folder))) {
      const issue = parseIssue(s.text, s.name);
      const items = issue.sections.flatMap((sec) => sec.items);
      row.files++;
      if (items.length > 0 && issue.id) row.issues++;
      row.items += items.length;
      row.links += items.reduce((n, it) => n + (it.url ? 1 : 0) + it.links.length, 0);
    }
    out[folder] = row;
  }
  return out;
}

function readSamples(dir: string): Sample[] {
  const out: Sample[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md') && name !== 'README.md') {
        const text = readFileSync(p, 'utf8');
        out.push({ name, text, bytes: Buffer.byteLength(text) });
      }
    }
  };
  walk(dir);
  return out;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Imported here, not at the top, so the library child does not load them (its RSS is the library's). */
async function parseBenchmarks(samples: Sample[], reps: number): Promise<{ mbPerS: number; ratio: number }> {
  const [{ unified }, { default: remarkParse }, { default: remarkGfm }, { parseIssue }] = await Promise.all([
    import('unified'),
    import('remark-parse'),
    import('remark-gfm'),
    import('../src/issue/parse.js'),
  ]);
  const bare = unified().use(remarkParse).use(remarkGfm).freeze();
  const runBare = () => {
    for (const s of samples) bare.parse(s.text);
  };
  const runFull = () => {
    for (const s of samples) parseIssue(s.text, s.name);
  };
  for (let i = 0; i < 2; i++) {
    runBare();
    runFull();
  }
  let bareMs = 0;
  let fullMs = 0;
  for (let i = 0; i < reps; i++) {
    bareMs += time(runBare);
    fullMs += time(runFull);
  }
  const bytes = samples.reduce((sum, s) => sum + s.bytes, 0) * reps;
  return { mbPerS: bytes / 1e6 / (fullMs / 1000), ratio: fullMs / bareMs };
}

/** 10,000 corpus files under new dates, from 2000-01-01 on, in a fresh temp folder. */
function writeSynthetic(samples: Sample[], count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-bench-'));
  const start = Date.UTC(2000, 0, 1);
  for (let i = 0; i < count; i++) {
    const sample = samples[i % samples.length] as Sample;
    const iso = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const id = iso.replaceAll('-', '');
    const oldId = /(\d{8})\.md$/.exec(sample.name)?.[1] ?? '';
    const oldIso = oldId ? `${oldId.slice(0, 4)}-${oldId.slice(4, 6)}-${oldId.slice(6)}` : '';
    const text = oldId ? sample.text.replaceAll(oldId, id).replaceAll(oldIso, iso) : sample.text;
    const sub = join(dir, iso.slice(0, 4));
    if (i % 365 === 0 || !existsSync(sub)) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `AI简报${id}.md`), text);
  }
  return dir;
}

interface LibraryRun {
  ms: number;
  /** Until `open` resolved (progressive: the newest issue served, so the first command could be answered). */
  firstMs: number;
  workers: number;
  rssMb: number;
  issues: number;
  stats: LoadStats;
}

/**
 * Both children get the parser version computed once here: the parser's sources may be edited
 * while the bench runs, and the warm child must look up what the cold one wrote.
 */
function libraryBenchmark(dir: string, cachePath: string, version: string, workers = 0): LibraryRun {
  const child = spawnSync(process.execPath, [...process.execArgv, self, '--library-child', dir, cachePath, version, String(workers)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`library child failed: ${child.stderr || child.error?.message}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string);
}

/** In the child: open the library once (with the parse cache) and report time, peak RSS, issue count and load stats. */
async function libraryChild(dir: string, cachePath: string, version: string, workers: number): Promise<void> {
  const start = performance.now();
  const cache = ParseCache.open(cachePath, { version });
  // As npm start opens it: progressive, through its own pool of `workers` (0: one per core).
  const library = await IssueLibrary.open(dir, { watch: false, cache, progressive: true, pool: { workers } });
  const firstMs = performance.now() - start;
  await library.whenLoaded();
  const ms = performance.now() - start;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const size = workers || availableParallelism();
  process.stdout.write(`${JSON.stringify({ ms, firstMs, workers: size, rssMb, issues: library.list().length, stats: library.loadStats })}\n`);
  await library.close();
  cache.close();
}

export async function run(): Promise<void> {
  const samples = readSamples(corpusFolder());
  const reps = Number(process.env.BENCH_PARSE_REPS ?? 20);
  const count = Number(process.env.BENCH_LIBRARY_ISSUES ?? 10_000);
  const { mbPerS, ratio } = await parseBenchmarks(samples, reps);
  const nlDir = newslettersFolder();
  const others = nlDir ? { ratio: (await parseBenchmarks(readSamples(nlDir), reps)).ratio, counts: await newsletterCounts(nlDir) } : null;
  const newsletterFields = others ? { newsletters_remark_ratio: Number(others.ratio.toFixed(3)), newsletters: others.counts } : {};
  if (count === 0) {
    console.log(JSON.stringify({ bench: 'parse', mb_per_s: Number(mbPerS.toFixed(2)), remark_ratio: Number(ratio.toFixed(3)), ...newsletterFields }));
    return;
  }
  const dir = writeSynthetic(samples, count);
  const cachePath = join(dir, '.cache', 'issue-cache.db');
  try {
    const version = parserVersion();
    // The same cold load through one worker (its own empty cache): the pool's speed-up.
    const single = libraryBenchmark(dir, join(dir, '.cache', 'issue-cache-1.db'), version, 1);
    const cold = libraryBenchmark(dir, cachePath, version);
    const lib = libraryBenchmark(dir, cachePath, version);
    for (const run of [cold, lib]) if (run.issues !== count) console.error(`bench parse: expected ${count} issues, the library served ${run.issues}`);
    if (cold.stats.parsed !== count) console.error(`bench parse: the cold load parsed ${cold.stats.parsed} of ${count} files`);
    if (lib.stats.cached !== count) console.error(`bench parse: the warm load took ${lib.stats.cached} of ${count} files from the cache`);
    const round = (n: number, d: number) => Number(n.toFixed(d));
    console.log(
      JSON.stringify({
        bench: 'parse',
        mb_per_s: round(mbPerS, 2),
        remark_ratio: round(ratio, 3),
        library_10k_ms: Math.round(lib.ms),
        library_10k_rss_mb: Math.round(lib.rssMb),
        library_10k_cold_ms: Math.round(cold.ms),
        library_10k_cold_rss_mb: Math.round(cold.rssMb),
        library_10k_cached: lib.stats.cached,
        library_10k_verified: lib.stats.verified,
        library_10k_cold_workers: cold.workers,
        library_10k_cold_1worker_ms: Math.round(single.ms),
        pool_speedup: round(single.ms / cold.ms, 2),
        first_command_ms: Math.round(cold.firstMs),
        first_command_fraction: round(cold.firstMs / cold.ms, 4),
        ...newsletterFields,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv;
if (argv[1] !== undefined && pathToFileURL(argv[1]).href === import.meta.url && argv[2] === '--library-child') {
  await libraryChild(argv[3] as string, argv[4] as string, argv[5] as string, Number(argv[6] ?? 0));
} else if (argv[1] !== undefined && basename(argv[1]) === 'parse.ts' && pathToFileURL(argv[1]).href === import.meta.url) {
  await run();
}
