/**
 * The library's initial load: list the folder, take what the parse cache serves unchanged, then
 * parse the rest newest first, so a progressive start can answer for the newest issue while older
 * ones load behind it. The library decides when landed files become visible (`LoadSink`).
 */
import type { ParseCache } from '../issue/parse-cache.js';
import type { LoadedIssueFile } from '../issue/parse.js';
import { IssueFileError } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import { parseInOrder, readFromCache, type IssueFileLoader, type LoadStats } from './load.js';
import { listFolder, refusedIssue } from './paths.js';

/** What the initial load tells the library as it goes. */
export interface LoadSink {
  /** A file's issue: served from the cache, refused, or parsed. */
  put(rel: string, loaded: LoadedIssueFile): void;
  /** The cached and refused files are in: make them visible, without events. */
  cachedIn(): void;
  /** One parsed file landed (the library batches making them visible). */
  landed(): void;
  /** Make every landed file visible now. */
  flush(): void;
  /** Every file landed; `ms` since the parsing started. */
  finished(stats: LoadStats, ms: number): void;
}

export interface InitialLoadOptions {
  loadFile: IssueFileLoader;
  cache: ParseCache | null;
  /** Files parsed at once. */
  concurrency: number;
  logger?: Logger | undefined;
  /** True once the library is closing: no more files are started, late results are dropped. */
  stopped: () => boolean;
}

export interface InitialLoad {
  /** Issue files found. */
  readonly total: number;
  readonly stats: LoadStats;
  /** Files landed so far, cached ones included. */
  loaded(): number;
  finished(): boolean;
  /** Resolves once the newest issue (and every file before it) landed, or the load ended. */
  readonly newestReady: Promise<void>;
  /** Resolves once every file landed; a failure is reported, never thrown. */
  readonly done: Promise<void>;
}

/** Starts loading `dir`; resolves once the cache has been read and parsing has begun. */
export async function startInitialLoad(dir: string, options: InitialLoadOptions, sink: LoadSink): Promise<InitialLoad> {
  const { files: paths, refused } = await listFolder(dir);
  const { found, misses, toStore, stats } = await readFromCache(dir, paths, options.cache);
  for (const [rel, loaded] of found) sink.put(rel, loaded);
  for (const [rel, reason] of refused) sink.put(rel, { issue: refusedIssue(rel, reason), mtimeMs: 0, size: 0 });
  sink.cachedIn();
  let loaded = found.size;
  let finished = misses.length === 0;
  const started = performance.now();
  let newestServed!: () => void;
  const newestReady = new Promise<void>((resolve) => (newestServed = resolve));
  // The newest issue is parsed first; once the files before it and it have landed, it is served.
  const waitingFor = new Set(misses.slice(0, 1));
  const done = parseInOrder(dir, misses, paths, toStore, {
    loadFile: options.loadFile,
    concurrency: options.concurrency,
    cache: options.cache,
    stopped: options.stopped,
    onLanded: (rel, file) => {
      sink.put(rel, file);
      loaded++;
      sink.landed();
      if (waitingFor.delete(rel) && waitingFor.size === 0) {
        sink.flush();
        newestServed();
      }
    },
  }).then(
    (parsed) => {
      stats.parsed = parsed;
      sink.flush();
      finished = true;
      newestServed();
      sink.finished(stats, Math.round(performance.now() - started));
    },
    (err) => {
      finished = true;
      newestServed();
      reportError(options.logger, new IssueFileError('loading the issues folder failed', { file: dir }, { cause: err }));
    },
  );
  return { total: paths.length, stats, loaded: () => loaded, finished: () => finished, newestReady, done };
}
