/**
 * The issues folder as the rest of newsbot sees it: every issue parsed once at open, served by
 * id, date or file name, and kept current by watching the folder (only the changed file is
 * re-parsed). A broken file is a problem, never a crash, and never hides the other issues.
 * Which files are served: see served.ts. The initial load: see initial-load.ts.
 *
 * With a parse cache (`options.cache`), a restart reads unchanged files from it instead of parsing
 * them, and every file parsed (at open or when the watcher sees a change) is written back to it.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../clock.js';
import { IssueFileError } from '../errors.js';
import { ParseCache } from '../issue/parse-cache.js';
import { normaliseId } from '../issue/identity.js';
import type { Issue, Problem } from '../issue/model.js';
import { ParsePool } from '../issue/parse-pool.js';
import { startInitialLoad, type InitialLoad } from './initial-load.js';
import type { IssueLibraryOptions, LibraryEvent, LibraryListener, LoadProgress } from './options.js';
import { toParsedFile, type IssueFileLoader, type LoadStats } from './load.js';
import { checkIssuePath, listIssueFiles, refusedIssue } from './paths.js';
import { entryOf, serve, type FileEntry } from './served.js';
import { FolderWatch } from './watch.js';
import { reportError, type Logger } from '../log.js';

export type { LoadStats } from './load.js';
export type { IssueLibraryOptions, LibraryEvent, LibraryListener, LoadProgress } from './options.js';


export class IssueLibrary {
  private readonly files = new Map<string, FileEntry>();
  private served = new Map<string, Issue>();
  private sorted: Issue[] = [];
  private byName = new Map<string, Issue>();
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
  private load: InitialLoad | null = null;
  private initialLoad: Promise<void> = Promise.resolve();
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
    const load = await startInitialLoad(
      dir,
      {
        loadFile: library.loadFile,
        cache: library.cache,
        concurrency: options.concurrency ?? Math.max(2, (library.pool?.size ?? 8) * 2),
        logger: options.logger,
        stopped: () => library.closing,
      },
      {
        put: (rel, loaded) => void library.files.set(rel, entryOf(loaded)),
        cachedIn: () => library.recompute(false),
        landed: () => library.landed(),
        flush: () => library.flush(),
        finished: (stats, ms) => {
          options.logger?.info({ dir, files: stats.files, cached: stats.cached, parsed: stats.parsed, ms, issues: library.served.size, problems: library.problems().length }, 'issues loaded');
          library.logUnserved();
        },
      },
    );
    library.load = load;
    library.loadStats = load.stats;
    library.initialLoad = load.done;
    await (options.progressive ? load.newestReady : load.done);
    if (options.progressive && !load.finished()) {
      options.logger?.info({ dir, loaded: load.loaded(), total: load.total }, 'serving the newest issue; loading the rest in the background');
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
    const load = this.load;
    return !load || load.finished() ? null : { loaded: load.loaded(), total: load.total };
  }

  /** Resolves once the initial load is complete. */
  whenLoaded(): Promise<void> {
    return this.initialLoad;
  }

  /** Makes landed files visible: at once for the first, then at most every 200 ms (a recompute sorts every issue). */
  private landed(): void {
    this.landedSinceFlush++;
    this.flushTimer ??= setTimeout(() => this.flush(), 200);
    const loaded = this.load?.loaded() ?? 0;
    if (loaded % 1000 === 0) this.logger?.info({ loaded, total: this.load?.total ?? 0 }, 'loading issues');
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
    if (this.load && !this.load.finished()) {
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
    const next = serve(this.files.values());
    const previous = this.served;
    this.served = next.byId;
    this.duplicateProblems = next.duplicates;
    this.sorted = next.sorted;
    this.byName = next.byName;
    if (!notify) return;
    for (const [id, issue] of next.byId) {
      const old = previous.get(id);
      if (!old || (notify === 'loaded' && old !== issue)) this.emit(notify === 'loaded' ? 'loaded' : 'added', issue);
      else if (old !== issue) this.emit('changed', issue);
    }
    for (const [id, issue] of previous) if (!next.byId.has(id)) this.emit('removed', issue);
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
