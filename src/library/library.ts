/**
 * The issues folder as the rest of newsbot sees it: every issue parsed once at open, served by
 * id, date or file name, and kept current by watching the folder (only the changed file is
 * re-parsed). A broken file is a problem, never a crash, and never hides the other issues.
 *
 * Served issues: files with a valid id and at least one item. When two files share an id, the
 * newer file (later modification time, then later path) is served and a problem names both.
 *
 * With a parse cache (`options.cache`), a restart reads unchanged files from it instead of parsing
 * them, and every file parsed (at open or when the watcher sees a change) is written back to it.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { IssueFileError } from '../errors.js';
import { ParseCache } from '../issue/parse-cache.js';
import type { LoadedIssueFile } from '../issue/parse.js';
import { normaliseId } from '../issue/identity.js';
import { compareIssues } from '../issue/order.js';
import type { Issue, Problem } from '../issue/model.js';
import { ParsePool, type ParsePoolOptions } from '../issue/parse-pool.js';
import { parseInOrder, readFromCache, toParsedFile, type IssueFileLoader, type LoadStats } from './load.js';
import { checkIssuePath, listFolder, listIssueFiles, refusedIssue } from './paths.js';
import { FolderWatch } from './watch.js';
import { reportError, type Logger } from '../log.js';

export type { LoadStats } from './load.js';

/**
 * `loaded`: an issue of the initial load landed after `open` returned (a progressive start). It is
 * not news: delivery listens to `added` only, so an archive loading in the background is never
 * published as arriving.
 */
export type LibraryEvent = 'added' | 'changed' | 'removed' | 'loaded';

/** How far the initial load has got. */
export interface LoadProgress {
  loaded: number;
  total: number;
}
export type LibraryListener = (issue: Issue) => void;

export interface IssueLibraryOptions {
  /** Watch the folder for added, changed and removed files (default true). */
  watch?: boolean;
  logger?: Logger;
  /** Quiet time after a file event before the file is re-read (default 100 ms). */
  debounceMs?: number;
  /**
   * How long a changed file's size and modification time must hold still before it is read
   * (default 2 s), so a file still being copied in is never served half; a file renamed into
   * place is read at once.
   */
  settleMs?: number;
  /** Paces the settle waits (default the system clock). */
  clock?: Clock;
  /** Files read at once while loading (default 16). */
  concurrency?: number;
  /**
   * The parse cache: an open `ParseCache` (the caller closes it), or the path of its SQLite file
   * (opened here and closed by `close()`). Absent or null: every file is parsed.
   */
  cache?: ParseCache | string | null;
  /**
   * Reads and parses one file. Default: a `ParsePool` (worker threads under a time and memory
   * budget) made from `pool` and closed by `close()`. Tests pass `loadIssueFile` wrapped to count parses.
   */
  loadFile?: IssueFileLoader;
  /** Settings of the library's own parse pool (ignored with `loadFile`). */
  pool?: ParsePoolOptions;
  /**
   * Return from `open` as soon as the newest issue is served and load the rest in the background
   * (`loading()`, `whenLoaded()`, `loaded` events). Default false: `open` returns fully loaded.
   */
  progressive?: boolean;
}

interface FileEntry {
  issue: Issue;
  mtimeMs: number;
  size: number;
}

const ISSUE_FILE = /\.(?:md|markdown)$/i;

export class IssueLibrary {
  private readonly files = new Map<string, FileEntry>();
  private served = new Map<string, Issue>();
  private sorted: Issue[] = [];
  private readonly byName = new Map<string, Issue>();
  private duplicateProblems: Problem[] = [];
  private readonly listeners: Record<LibraryEvent, Set<LibraryListener>> = { added: new Set(), changed: new Set(), removed: new Set(), loaded: new Set() };
  private watch: FolderWatch | null = null;
  private queue: Promise<void> = Promise.resolve();
  private cache: ParseCache | null = null;
  private ownsCache = false;
  private loadFile: IssueFileLoader = async () => {
    throw new Error('no loader');
  };
  private pool: ParsePool | null = null;
  private progress: LoadProgress = { loaded: 0, total: 0 };
  private initialLoad: Promise<void> = Promise.resolve();
  private loadingDone = true;
  private closing = false;
  /** Files landed by the initial load and not yet visible (applied in batches). */
  private landedSinceFlush = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  /** How the initial load went: files found, served from the cache, parsed. */
  loadStats: LoadStats = { files: 0, cached: 0, verified: 0, parsed: 0 };

  private constructor(
    /** The folder, or null for a library built in memory. */
    readonly dir: string | null,
    private readonly logger?: Logger,
  ) {}

  /**
   * Loads every issue file under `dir` (Markdown files, up to three folders deep; README.md
   * and hidden files are skipped). Rejects with IssueFileError only when `dir` itself cannot
   * be read; problems with single files are listed by `problems()`.
   */
  static async open(dir: string, options: IssueLibraryOptions = {}): Promise<IssueLibrary> {
    const info = await stat(dir).catch(() => null);
    if (!info) throw new IssueFileError(`issues folder not found: ${dir}`, { file: dir });
    if (!info.isDirectory()) throw new IssueFileError(`not a folder: ${dir}`, { file: dir });
    const library = new IssueLibrary(dir, options.logger);
    if (options.loadFile) library.loadFile = options.loadFile;
    else {
      // The process's pool for these settings: a library re-opened in the same process reuses warm workers.
      const pool = ParsePool.shared(options.pool ?? {});
      library.pool = pool;
      library.loadFile = (path, root) => pool.load(path, root, options.logger);
    }
    if (typeof options.cache === 'string') {
      library.cache = ParseCache.open(options.cache, options.logger ? { logger: options.logger } : {});
      library.ownsCache = true;
    } else {
      library.cache = options.cache ?? null;
    }
    const { files: paths, refused } = await listFolder(dir);
    const { found, misses, toStore, stats } = await readFromCache(dir, paths, library.cache);
    for (const [rel, loaded] of found) library.files.set(rel, entryOf(loaded));
    for (const [rel, reason] of refused) library.files.set(rel, entryOf({ issue: refusedIssue(rel, reason), mtimeMs: 0, size: 0 }));
    library.loadStats = stats;
    library.progress = { loaded: found.size, total: paths.length };
    library.recompute(false);
    const started = performance.now();
    let firstServed!: () => void;
    const newestReady = new Promise<void>((resolve) => (firstServed = resolve));
    // The newest issue is parsed first; once the files before it and it have landed, it is served.
    const waitingFor = new Set(misses.slice(0, 1));
    library.loadingDone = misses.length === 0;
    library.initialLoad = parseInOrder(dir, misses, paths, toStore, {
      loadFile: library.loadFile,
      concurrency: options.concurrency ?? Math.max(2, (library.pool?.size ?? 8) * 2),
      cache: library.cache,
      stopped: () => library.closing,
      onLanded: (rel, loaded) => {
        library.files.set(rel, entryOf(loaded));
        library.progress.loaded++;
        library.landed();
        if (waitingFor.delete(rel) && waitingFor.size === 0) {
          library.flush();
          firstServed();
        }
      },
    }).then(
      (parsed) => {
        stats.parsed = parsed;
        library.flush();
        library.loadingDone = true;
        firstServed();
        const ms = Math.round(performance.now() - started);
        options.logger?.info({ dir, files: paths.length, cached: stats.cached, parsed, ms, issues: library.served.size, problems: library.problems().length }, 'issues loaded');
        library.logUnserved();
      },
      (err) => {
        library.loadingDone = true;
        firstServed();
        reportError(options.logger, new IssueFileError('loading the issues folder failed', { file: dir }, { cause: err }));
      },
    );
    await (options.progressive ? newestReady : library.initialLoad);
    if (options.progressive && !library.loadingDone) {
      options.logger?.info({ dir, loaded: library.progress.loaded, total: paths.length }, 'serving the newest issue; loading the rest in the background');
    }
    if (options.watch ?? true) {
      // Changes wait for the initial load, so a file it is still parsing is not read twice.
      library.queue = library.initialLoad;
      library.watch = new FolderWatch(dir, {
        debounceMs: options.debounceMs ?? 100,
        settleMs: options.settleMs ?? 2_000,
        clock: options.clock ?? systemClock,
        onFile: (rel) => library.enqueue(rel),
        onRescan: () => library.enqueueRescan(),
        ...(options.logger ? { logger: options.logger } : {}),
      });
    }
    return library;
  }

  /** Initial-load progress while it runs; null once every file is loaded. */
  loading(): LoadProgress | null {
    return this.loadingDone ? null : { ...this.progress };
  }

  /** Resolves once the initial load is complete. */
  whenLoaded(): Promise<void> {
    return this.initialLoad;
  }

  /** Makes landed files visible: at once for the first, then at most every 200 ms (a recompute sorts every issue). */
  private landed(): void {
    this.landedSinceFlush++;
    this.flushTimer ??= setTimeout(() => this.flush(), 200);
    if (this.progress.loaded % 1000 === 0) this.logger?.info({ loaded: this.progress.loaded, total: this.progress.total }, 'loading issues');
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.landedSinceFlush === 0) return;
    this.landedSinceFlush = 0;
    this.recompute('loaded');
  }

  /** One warning per file that is not served because of its problems, so an operator sees which and why. */
  private logUnserved(): void {
    for (const [rel, entry] of this.files) {
      if (entry.issue.sections.length > 0 || entry.issue.problems.length === 0) continue;
      this.logger?.warn({ file: rel, problems: entry.issue.problems.map((p) => p.message) }, 'issue file not served');
    }
  }

  /** A library over issues already in memory (no folder, no watching): for tests and tools. */
  static fromIssues(issues: Issue[]): IssueLibrary {
    const library = new IssueLibrary(null);
    issues.forEach((issue, i) => library.files.set(issue.file || `#${i}`, { issue, mtimeMs: i, size: 0 }));
    library.recompute(false);
    return library;
  }

  /** The issue with the latest date, or null when there is none. */
  latest(): Issue | null {
    return this.sorted[this.sorted.length - 1] ?? null;
  }

  /** By id ("20210814", "375"), date ("2021-08-14"), or file name ("AI简报20210814.md", with or without ".md"). */
  get(ref: string): Issue | null {
    const text = ref.trim();
    const id = normaliseId(text);
    if (id) return this.served.get(id) ?? null;
    // A numbered issue's id is its number without leading zeros ("375").
    if (/^\d{1,6}$/.test(text)) {
      const n = Number(text);
      return this.served.get(String(n)) ?? this.sorted.findLast((i) => i.number === n) ?? null;
    }
    return this.byName.get(text) ?? this.byName.get(text.replace(/\\/g, '/')) ?? null;
  }

  /** Every served issue, oldest first (by date, then id). Newest-first views are the caller's choice. */
  list(): Issue[] {
    return this.sorted.slice();
  }

  /** Every current problem: each file's own findings, unreadable files, duplicate ids. */
  problems(): Problem[] {
    const out: Problem[] = [];
    for (const rel of [...this.files.keys()].sort()) out.push(...(this.files.get(rel) as FileEntry).issue.problems);
    return [...out, ...this.duplicateProblems];
  }

  /** Listens for a served issue appearing, changing or going away; returns a function that stops listening. */
  on(event: LibraryEvent, listener: LibraryListener): () => void {
    this.listeners[event].add(listener);
    return () => this.off(event, listener);
  }

  off(event: LibraryEvent, listener: LibraryListener): void {
    this.listeners[event].delete(listener);
  }

  /**
   * Stops watching and waits for changes already being read. An initial load still running gets a
   * grace time (three parse budgets, at least 10 s: enough for a small folder to finish and
   * report its bad files), then the pool is closed and what was parsed so far stays in the cache.
   */
  async close(): Promise<void> {
    this.watch?.close();
    this.watch = null;
    if (!this.loadingDone) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(10_000, 3 * (this.pool?.timeoutMs ?? 0)))));
      await Promise.race([this.initialLoad, grace]);
      clearTimeout(timer);
    }
    this.closing = true;
    await this.initialLoad;
    await this.queue;
    if (this.ownsCache) this.cache?.close();
    this.cache = null;
  }

  /** Resolves once every change seen so far has been applied (tests wait on this). */
  async settled(): Promise<void> {
    await this.initialLoad;
    // A rescan in the queue can hand new files back to the watcher to settle: wait until both are quiet.
    for (;;) {
      await this.watch?.flush();
      const queue = this.queue;
      await queue;
      if (queue === this.queue && (this.watch?.isIdle() ?? true)) return;
    }
  }

  private enqueue(rel: string): void {
    this.queue = this.queue
      .then(() => this.refreshFile(rel))
      .catch((err) => reportError(this.logger, new IssueFileError(`cannot re-read issue file ${rel}`, { file: rel }, { cause: err })));
  }

  private enqueueRescan(): void {
    this.queue = this.queue
      .then(() => this.rescan())
      .catch((err) => reportError(this.logger, new IssueFileError('cannot rescan the issues folder', { file: this.dir ?? '' }, { cause: err })));
  }

  private async refreshFile(rel: string): Promise<void> {
    if (!this.dir) return;
    const path = join(this.dir, rel);
    const before = this.files.get(rel);
    // The start-up rules, applied to every change: a file swapped for a link to outside the folder stops being served.
    const check = await checkIssuePath(this.dir, rel);
    if (check.kind === 'refused') {
      const issue = refusedIssue(rel, check.reason);
      if (before?.issue.problems[0]?.message !== check.reason) this.logger?.warn({ file: rel, reason: check.reason }, 'issue file refused');
      this.files.set(rel, { issue, mtimeMs: 0, size: 0 });
      this.cache?.remove(this.dir, rel);
      this.recompute(true);
      return;
    }
    const info = check.kind === 'file' ? await stat(path).catch(() => null) : null;
    if (!info) {
      if (!before) return;
      this.files.delete(rel);
      this.cache?.remove(this.dir, rel);
      this.logger?.info({ file: rel }, 'issue file removed');
    } else {
      // Unchanged files (during a rescan, or a repeated event) are not read again.
      if (before && before.mtimeMs === info.mtimeMs && before.size === info.size) return;
      const readAt = Date.now();
      const loaded = await this.loadFile(path, this.dir);
      this.files.set(rel, entryOf(loaded));
      const cached = toParsedFile(loaded, readAt);
      if (cached) this.cache?.update(this.dir, new Map([[rel, cached]]));
      this.logger?.info({ file: rel, problems: loaded.issue.problems.length }, before ? 'issue file changed' : 'issue file added');
    }
    this.recompute(true);
  }

  /** The watcher lost track (a folder event without a name): compare the whole folder. */
  private async rescan(): Promise<void> {
    if (!this.dir) return;
    const now = new Set(await listIssueFiles(this.dir));
    for (const rel of [...this.files.keys()]) if (!now.has(rel)) await this.refreshFile(rel);
    for (const rel of now) {
      const before = this.files.get(rel);
      const info = before ? await stat(join(this.dir, rel)).catch(() => null) : null;
      // New and changed files wait, like any change the watcher sees, until they have settled.
      if (!before || !info || before.mtimeMs !== info.mtimeMs || before.size !== info.size) this.watch?.consider(rel);
    }
  }

  /** `notify`: false (no events), true (added/changed/removed), 'loaded' (initial load: new issues as `loaded`). */
  private recompute(notify: boolean | 'loaded'): void {
    const groups = new Map<string, FileEntry[]>();
    for (const entry of this.files.values()) {
      if (!entry.issue.id || entry.issue.sections.length === 0) continue;
      const group = groups.get(entry.issue.id);
      if (group) group.push(entry);
      else groups.set(entry.issue.id, [entry]);
    }
    const served = new Map<string, Issue>();
    const duplicates: Problem[] = [];
    for (const [id, group] of groups) {
      group.sort((a, b) => a.mtimeMs - b.mtimeMs || a.issue.file.localeCompare(b.issue.file));
      const winner = group[group.length - 1] as FileEntry;
      served.set(id, winner.issue);
      for (const loser of group.slice(0, -1)) {
        duplicates.push({
          file: loser.issue.file,
          message: `duplicate issue id ${id}: ${loser.issue.file} and ${winner.issue.file}; serving ${winner.issue.file} (newer)`,
        });
      }
    }
    const previous = this.served;
    this.served = served;
    this.duplicateProblems = duplicates;
    this.sorted = [...served.values()].sort(compareIssues);
    this.byName.clear();
    for (const issue of this.sorted) {
      const name = basename(issue.file);
      for (const key of [issue.file, name, name.replace(ISSUE_FILE, '')]) this.byName.set(key, issue);
    }
    if (!notify) return;
    for (const [id, issue] of served) {
      const old = previous.get(id);
      if (!old || (notify === 'loaded' && old !== issue)) this.emit(notify === 'loaded' ? 'loaded' : 'added', issue);
      else if (old !== issue) this.emit('changed', issue);
    }
    for (const [id, issue] of previous) if (!served.has(id)) this.emit('removed', issue);
  }

  private emit(event: LibraryEvent, issue: Issue): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        listener(issue);
      } catch (err) {
        // A listener's bug must not stop the others or the watcher; it is reported as the bug it is.
        reportError(this.logger, err, { method: `library ${event} listener`, issueId: issue.id });
      }
    }
  }
}

function entryOf(loaded: LoadedIssueFile): FileEntry {
  return { issue: loaded.issue, mtimeMs: loaded.mtimeMs, size: loaded.size };
}
