/**
 * Reading the issues folder for `IssueLibrary`: which files are issues, and loading them all,
 * from the parse cache where a file is unchanged (stat only) and by parsing the rest.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseCache, ParsedFile } from './issue/parse-cache.js';
import type { LoadedIssueFile } from './issue/parse.js';
import { contentHash } from './issue/source.js';
import { listFolder, refusedIssue } from './library-paths.js';

export { listIssueFiles } from './library-paths.js';

/** Stats and hash checks at once: cheap calls, so more of them than parses. */
const STAT_CONCURRENCY = 64;

/** Reads and parses one issue file (`loadIssueFile`, or a wrapper around it in tests). */
export type IssueFileLoader = (path: string, root: string) => Promise<LoadedIssueFile>;

/**
 * `loadIssueFile`, imported on first use: a start served wholly from the parse cache never loads
 * the Markdown parser (about 15 MB of resident memory).
 */
export const loadIssueFileLazily: IssueFileLoader = async (path, root) => (await import('./issue/parse.js')).loadIssueFile(path, root);

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

export interface LoadFolderOptions {
  cache?: ParseCache | null;
  /** Files parsed at once (default 16). */
  concurrency?: number;
  loadFile?: IssueFileLoader;
}

/** Every issue file under `dir`, loaded (keys: paths relative to `dir`, sorted). */
export async function loadFolder(dir: string, options: LoadFolderOptions = {}): Promise<{ files: Map<string, LoadedIssueFile>; stats: LoadStats }> {
  const loadFile = options.loadFile ?? loadIssueFileLazily;
  const { files: paths, refused } = await listFolder(dir);
  const cache = options.cache?.enabled ? options.cache : null;
  const found = new Map<string, LoadedIssueFile>();
  const stats: LoadStats = { files: paths.length, cached: 0, verified: 0, parsed: 0 };
  /** Entries to (re)write: parsed files, and racy entries just verified. */
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

  const misses = paths.filter((rel) => !found.has(rel));
  await mapLimit(misses, options.concurrency ?? 16, async (rel) => {
    const readAt = Date.now();
    const loaded = await loadFile(join(dir, rel), dir);
    found.set(rel, loaded);
    stats.parsed++;
    const entry = toParsedFile(loaded, readAt);
    if (entry) toStore.set(rel, entry);
  });
  cache?.update(dir, toStore, new Set(paths));
  const files = new Map<string, LoadedIssueFile>();
  for (const rel of paths) files.set(rel, found.get(rel) as LoadedIssueFile);
  for (const [rel, reason] of refused) files.set(rel, { issue: refusedIssue(rel, reason), mtimeMs: 0, size: 0 });
  return { files, stats };
}

/** The cache entry for a loaded file, or null when it was not read (missing, too large). */
export function toParsedFile(loaded: LoadedIssueFile, readAt: number): ParsedFile | null {
  if (loaded.hash === undefined) return null;
  return { issue: loaded.issue, size: loaded.size, mtimeMs: loaded.mtimeMs, hash: loaded.hash, readAt };
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
