/**
 * Watches the issues folder with `fs.watch` and reports which issue file to re-read. Paths follow
 * the same rules as the start-up listing (`library-paths.ts`): events under hidden folders,
 * `node_modules` or too-deep folders, and for non-issue files, are dropped here.
 *
 * A file is reported only once it has arrived whole. Events come in bursts (editors write a file
 * in several steps), so each path waits `debounceMs` of quiet first. Then its size and
 * modification time must hold still for `settleMs`: a file still being copied in keeps changing
 * and is not read half-written. A file renamed into place is complete at once and is reported
 * without the wait: rename changes the inode's ctime but not its mtime, so ctime later than mtime
 * means the file was last touched by something other than a write (a rename, or the final
 * timestamp copy of `cp -p`, `mv` across disks, rsync). Deletions are reported at once.
 *
 * Events without a file name, or naming what may be a folder, ask for a rescan of the whole tree.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Clock } from './clock.js';
import { IssueFileError } from './errors.js';
import { classifyPath } from './library-paths.js';
import { reportError, type Logger } from './log.js';

export { isIssueFileName } from './library-paths.js';

export interface FolderWatchOptions {
  /** Quiet time after a path's last event before it is looked at. */
  debounceMs: number;
  /** How long a changed file's size and mtime must hold still before it is read. */
  settleMs: number;
  /** Paces the settle waits (`sleep` only). */
  clock: Clock;
  /** Read (or drop, when it is gone) this file now: it has settled. */
  onFile: (rel: string) => void;
  /** Compare the whole tree (the watcher lost track, or a folder came or went). */
  onRescan: () => void;
  logger?: Logger;
}

/** What a settle compares: the file's size and times, to the nanosecond. */
interface Look {
  size: bigint;
  mtimeNs: bigint;
  /** ctime later than mtime: the last change to the file was not a write (see the module note). */
  renamed: boolean;
}

export class FolderWatch {
  private watcher: FSWatcher | null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly settling = new Map<string, AbortController>();
  private readonly waiting = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly options: FolderWatchOptions,
  ) {
    this.watcher = openWatcher(dir, (_event, name) => this.seen(name), options.logger);
  }

  /** Reads `rel` once it has settled, as if the watcher had seen it change (rescans use this for new and changed files). */
  consider(rel: string): void {
    if (classifyPath(rel) === 'issue') this.schedule(rel);
  }

  /** Resolves when no event is waiting for its debounce or settle. */
  flush(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const settle of this.settling.values()) settle.abort();
    this.settling.clear();
    this.wake();
    this.watcher?.close();
    this.watcher = null;
  }

  private seen(name: string | Buffer | null): void {
    if (name === null) return this.schedule(null);
    const rel = String(name).split('\\').join('/');
    const kind = classifyPath(rel);
    if (kind === 'issue') this.schedule(rel);
    // A folder appearing, vanishing or renamed: compare the whole tree. Files with an extension are not folders.
    else if (kind === 'other' && !basename(rel).includes('.')) this.schedule(null);
  }

  /** Debounces events per path (`null`: the rescan). */
  private schedule(rel: string | null): void {
    if (this.closed) return;
    const key = rel ?? '';
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (rel === null) this.options.onRescan();
        else this.settle(rel);
        if (this.idle()) this.wake();
      }, this.options.debounceMs),
    );
  }

  /** Waits for `rel` to hold still, then reports it; a later event for the same path starts over. */
  private settle(rel: string): void {
    this.settling.get(rel)?.abort();
    const control = new AbortController();
    this.settling.set(rel, control);
    this.waitUntilSettled(join(this.dir, rel), control.signal)
      .then((ready) => {
        if (ready && !this.closed) this.options.onFile(rel);
      })
      .catch((err) => reportError(this.options.logger, new IssueFileError(`cannot watch issue file ${rel}`, { file: rel }, { cause: err })))
      .finally(() => {
        if (this.settling.get(rel) === control) this.settling.delete(rel);
        if (this.idle()) this.wake();
      });
  }

  /** True once the file is gone, was renamed into place, or kept its size and mtime for `settleMs`; false when superseded. */
  private async waitUntilSettled(path: string, signal: AbortSignal): Promise<boolean> {
    let last = await look(path);
    while (last !== null && !last.renamed) {
      await this.options.clock.sleep(this.options.settleMs, signal);
      if (signal.aborted) return false;
      const now = await look(path);
      if (now !== null && now.size === last.size && now.mtimeNs === last.mtimeNs) break;
      last = now;
    }
    return !signal.aborted;
  }

  private idle(): boolean {
    return this.timers.size === 0 && this.settling.size === 0;
  }

  private wake(): void {
    for (const done of this.waiting) done();
    this.waiting.clear();
  }
}

async function look(path: string): Promise<Look | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info && { size: info.size, mtimeNs: info.mtimeNs, renamed: info.ctimeNs > info.mtimeNs };
}

type Listener = (event: string, name: string | Buffer | null) => void;

/** Recursive where the platform supports it (Node 20 does on Linux, macOS, Windows), else the folder alone. */
function openWatcher(dir: string, listener: Listener, logger?: Logger): FSWatcher | null {
  const attach = (w: FSWatcher): FSWatcher => {
    w.on('error', (err) => reportError(logger, new IssueFileError('issues folder watch failed; changes are no longer picked up', { file: dir }, { cause: err })));
    return w;
  };
  try {
    return attach(watch(dir, { recursive: true, persistent: false }, listener));
  } catch {
    try {
      return attach(watch(dir, { persistent: false }, listener));
    } catch (err) {
      reportError(logger, new IssueFileError('cannot watch the issues folder; changes need a restart', { file: dir }, { cause: err }));
      return null;
    }
  }
}
