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
import { systemClock, type Clock } from './clock.js';
import { IssueFileError } from './errors.js';
import { ParseCache } from './issue/parse-cache.js';
import type { LoadedIssueFile } from './issue/parse.js';
import { normaliseId } from './issue/identity.js';
import type { Issue, Problem } from './issue/model.js';
import { listIssueFiles, loadFolder, loadIssueFileLazily, toParsedFile, type IssueFileLoader, type LoadStats } from './library-load.js';
import { checkIssuePath, refusedIssue } from './library-paths.js';
import { FolderWatch } from './library-watch.js';
import { reportError, type Logger } from './log.js';

export type { LoadStats } from './library-load.js';

export type LibraryEvent = 'added' | 'changed' | 'removed';
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
  /** Reads and parses one file (default `loadIssueFile`); tests wrap it to count parses. */
  loadFile?: IssueFileLoader;
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
  private readonly listeners: Record<LibraryEvent, Set<LibraryListener>> = { added: new Set(), changed: new Set(), removed: new Set() };
  private watch: FolderWatch | null = null;
  private queue: Promise<void> = Promise.resolve();
  private cache: ParseCache | null = null;
  private ownsCache = false;
  private loadFile: IssueFileLoader = loadIssueFileLazily;
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
    if (typeof options.cache === 'string') {
      library.cache = ParseCache.open(options.cache, options.logger ? { logger: options.logger } : {});
      library.ownsCache = true;
    } else {
      library.cache = options.cache ?? null;
    }
    const { files, stats } = await loadFolder(dir, { cache: library.cache, concurrency: options.concurrency ?? 16, loadFile: library.loadFile });
    for (const [rel, loaded] of files) library.files.set(rel, entryOf(loaded));
    library.loadStats = stats;
    library.recompute(false);
    const { cached, parsed } = stats;
    options.logger?.info({ dir, files: files.size, cached, parsed, issues: library.served.size, problems: library.problems().length }, 'issues loaded');
    if (options.watch ?? true) {
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

  /** By id ("20210814"), date ("2021-08-14"), or file name ("AI简报20210814.md", with or without ".md"). */
  get(ref: string): Issue | null {
    const text = ref.trim();
    const id = normaliseId(text);
    if (id) return this.served.get(id) ?? null;
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

  /** Stops watching and waits for changes already being read. */
  async close(): Promise<void> {
    this.watch?.close();
    this.watch = null;
    await this.queue;
    if (this.ownsCache) this.cache?.close();
    this.cache = null;
  }

  /** Resolves once every change seen so far has been applied (tests wait on this). */
  async settled(): Promise<void> {
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

  private recompute(notify: boolean): void {
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
    this.sorted = [...served.values()].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
    this.byName.clear();
    for (const issue of this.sorted) {
      const name = basename(issue.file);
      for (const key of [issue.file, name, name.replace(ISSUE_FILE, '')]) this.byName.set(key, issue);
    }
    if (!notify) return;
    for (const [id, issue] of served) {
      const old = previous.get(id);
      if (!old) this.emit('added', issue);
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
