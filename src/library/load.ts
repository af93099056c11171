/**
 * Reading the issues folder for `IssueLibrary`: which files are issues, which of them the parse
 * cache serves unchanged (stat only), and in which order to parse the rest.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseCache, ParsedFile } from '../issue/parse-cache.js';
import type { LoadedIssueFile } from '../issue/parse.js';
import { idFromFileName } from '../issue/identity.js';
import { contentHash } from '../issue/decode.js';

export { listIssueFiles } from './paths.js';

/** Stats and hash checks at once: cheap calls, so more of them than parses. */
const STAT_CONCURRENCY = 64;

/** Reads and parses one issue file (`loadIssueFile`, or a wrapper around it in tests). */
export type IssueFileLoader = (path: string, root: string) => Promise<LoadedIssueFile>;

/**
 * `loadIssueFile`, imported on first use: a start served wholly from the parse cache never loads
 * the Markdown parser (about 15 MB of resident memory).
 */
export const loadIssueFileLazily: IssueFileLoader = async (path, root) => (await import('../issue/parse.js')).loadIssueFile(path, root);

/** How a folder load went. */
export interface LoadStats {
  /** Issue files found. */
  files: number;
  /** Served from the parse cache without parsing. */
  cached: number;
  /** Of `cached`: racy entries whose content hash was checked first. */
  verified: number;
  /** Read and parsed. */
  parsed: number;
}

/** What the parse cache gave for a folder: files served from it, and the rest to parse. */
export interface CachedLoad {
  found: Map<string, LoadedIssueFile>;
  /** Files to parse, newest first (by the date in the file name; undated ones last). */
  misses: string[];
  /** Verified racy entries to write back. */
  toStore: Map<string, ParsedFile>;
  stats: LoadStats;
}

/** Every issue file under `dir` that the cache can serve (stat only), and the rest in the order to parse them. */
export async function readFromCache(dir: string, paths: readonly string[], parseCache?: ParseCache | null): Promise<CachedLoad> {
  const cache = parseCache?.enabled ? parseCache : null;
  const found = new Map<string, LoadedIssueFile>();
  const stats: LoadStats = { files: paths.length, cached: 0, verified: 0, parsed: 0 };
  const toStore = new Map<string, ParsedFile>();
  if (cache) {
    const current = new Map<string, { size: number; mtimeMs: number }>();
    const infos = await mapLimit(paths, STAT_CONCURRENCY, (rel) => stat(join(dir, rel)).catch(() => null));
    paths.forEach((rel, i) => {
      const info = infos[i];
      if (info?.isFile()) current.set(rel, { size: info.size, mtimeMs: info.mtimeMs });
    });
    const hits = cache.read(dir, current);
    await mapLimit([...hits], STAT_CONCURRENCY, async ([rel, hit]) => {
      const now = current.get(rel) as { size: number; mtimeMs: number };
      if (hit.verifyHash !== null) {
        const readAt = Date.now();
        const bytes = await readFile(join(dir, rel)).catch(() => null);
        if (!bytes || contentHash(bytes) !== hit.verifyHash) return;
        // Verified now, later than before: the entry stops being racy once the file is old enough.
        toStore.set(rel, { ...now, issue: hit.issue, hash: hit.verifyHash, readAt });
        stats.verified++;
      }
      found.set(rel, { issue: hit.issue, ...now });
      stats.cached++;
    });
  }
  return { found, misses: newestFirst(paths.filter((rel) => !found.has(rel))), toStore, stats };
}

/** Newest issue first, so a cold start can answer for it while older ones load: by file-name date, then path. */
export function newestFirst(paths: readonly string[]): string[] {
  const keyed = paths.map((rel) => ({ rel, id: idFromFileName(rel) ?? '' }));
  keyed.sort((a, b) => (a.id === b.id ? (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0) : a.id < b.id ? 1 : -1));
  return keyed.map((k) => k.rel);
}

/** The cache entry for a loaded file, or null when it was not read (missing, too large). */
export function toParsedFile(loaded: LoadedIssueFile, readAt: number): ParsedFile | null {
  if (loaded.hash === undefined) return null;
  return { issue: loaded.issue, size: loaded.size, mtimeMs: loaded.mtimeMs, hash: loaded.hash, readAt };
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface ParseInOrderOptions {
  loadFile: IssueFileLoader;
  /** Files parsed at once. */
  concurrency: number;
  cache: ParseCache | null;
  /** Each parsed file, as it lands. */
  onLanded: (rel: string, loaded: LoadedIssueFile) => void;
  /** True once the library is closing: no more files are started, late results are dropped. */
  stopped: () => boolean;
}

/** Cache entries are written in batches of this many, so a start cut short keeps what it parsed. */
const CACHE_BATCH = 250;

/**
 * Parses `order` (newest first) with `concurrency` files at once, handing each result to
 * `onLanded`, and writes them to the cache in batches; the last write also prunes entries of
 * files no longer in `paths`. Resolves with the number of files parsed.
 */
export async function parseInOrder(dir: string, order: readonly string[], paths: readonly string[], toStore: Map<string, ParsedFile>, options: ParseInOrderOptions): Promise<number> {
  const { cache } = options;
  let parsed = 0;
  await mapLimit(order, options.concurrency, async (rel) => {
    if (options.stopped()) return;
    const readAt = Date.now();
    const loaded = await options.loadFile(join(dir, rel), dir);
    if (options.stopped()) return;
    parsed++;
    const entry = toParsedFile(loaded, readAt);
    if (entry) toStore.set(rel, entry);
    options.onLanded(rel, loaded);
    if (toStore.size >= CACHE_BATCH) {
      cache?.update(dir, toStore);
      toStore.clear();
    }
  });
  cache?.update(dir, toStore, options.stopped() ? undefined : new Set(paths));
  return parsed;
}
