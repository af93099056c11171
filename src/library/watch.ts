/**
 * Watches the issues folder and reports which issue file to re-read. It watches exactly the
 * folders the start-up listing reads (`library-paths.ts`), one non-recursive `fs.watch` each, so
 * nothing under hidden folders, `node_modules` or too-deep folders is watched or served, and events
 * for non-issue files are dropped. (Node's own recursive watch on Linux walks and watches every file
 * and folder of the tree, `.git/` and `node_modules/` included, synchronously.)
 *
 * A file is reported only once it has arrived whole. Events come in bursts (editors write a file
 * in several steps), so each path waits `debounceMs` of quiet first. Then its size and
 * modification time must hold still for `settleMs`: a file still being copied in keeps changing
 * and is not read half-written. A file renamed into place is complete at once and is reported
 * without the wait: rename changes the inode's ctime but not its mtime, so ctime later than mtime
 * means the file was last touched by something other than a write (a rename, or the final
 * timestamp copy of `cp -p`, `mv` across disks, rsync). Deletions are reported at once.
 *
 * An event naming a folder that appeared or vanished, or one without a name, updates the watched
 * folders and asks for a rescan of the whole tree.
 */
import { lstatSync, statSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Clock } from '../clock.js';
import { IssueFileError } from '../errors.js';
import { classifyPath, isServedFolder, listServedFolders } from './paths.js';
import { reportError, type Logger } from '../log.js';

export { isIssueFileName } from './paths.js';

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

/** Debounce key of a possible folder change (file paths never start with "/"); '' is a full rescan. */
const folderKey = (rel: string) => `/${rel}`;

export class FolderWatch {
  /** One watcher per served folder, by path ('' is the issues folder), with the folder's identity (`identityOf`). */
  private readonly folders = new Map<string, { watcher: FSWatcher; id: string }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly settling = new Map<string, AbortController>();
  private readonly waiting = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly options: FolderWatchOptions,
  ) {
    this.syncFolders();
  }

  /** Reads `rel` once it has settled, as if the watcher had seen it change (rescans use this for new and changed files). */
  consider(rel: string): void {
    if (classifyPath(rel) === 'issue') this.schedule(rel, () => this.settle(rel));
  }

  /** Resolves when no event is waiting for its debounce or settle. */
  flush(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const settle of this.settling.values()) settle.abort();
    this.settling.clear();
    this.wake();
    for (const { watcher } of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  private seen(folder: string, name: string | Buffer | null): void {
    if (name === null) return this.schedule('', () => this.rescan());
    const leaf = String(name).split('\\').join('/');
    if (folder !== '' && leaf === basename(folder)) {
      // Linux names a watched folder itself when it is deleted; its watcher then sees nothing more,
      // even when a folder of that name is made again. Drop it; the rescan watches what is there now.
      this.dropFolder(folder);
      return this.schedule('', () => this.rescan());
    }
    const rel = folder ? `${folder}/${leaf}` : leaf;
    if (classifyPath(rel) === 'issue') this.schedule(rel, () => this.settle(rel));
    else if (isServedFolder(rel)) this.schedule(folderKey(rel), () => this.folderEvent(rel));
  }

  /** A name that may be a folder changed: rescan when a folder appeared there, or a watched one is gone. */
  private folderEvent(rel: string): void {
    let info: ReturnType<typeof lstatSync> | undefined;
    try {
      info = lstatSync(join(this.dir, rel));
    } catch {
      info = undefined;
    }
    if (info?.isDirectory() || (!info && this.folders.has(rel))) this.rescan();
  }

  /** Watches the folders as they now are, then asks the library to compare the tree. */
  private rescan(): void {
    this.syncFolders();
    this.options.onRescan();
  }

  /** Debounces events per key: `run` happens after `debounceMs` without another event for the same key. */
  private schedule(key: string, run: () => void): void {
    if (this.closed) return;
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
        if (this.isIdle()) this.wake();
      }, this.options.debounceMs),
    );
  }

  /**
   * Starts watching served folders not yet watched and stops watching those gone. A folder deleted
   * and made again under the same name is another folder, which the old watcher does not see.
   */
  private syncFolders(): void {
    if (this.closed) return;
    const wanted = new Map<string, string>();
    for (const rel of listServedFolders(this.dir)) {
      const id = identityOf(join(this.dir, rel));
      if (id !== null) wanted.set(rel, id);
    }
    for (const [rel, { id }] of this.folders) if (wanted.get(rel) !== id) this.dropFolder(rel);
    for (const [rel, id] of wanted) {
      if (this.folders.has(rel)) continue;
      const watcher = this.openFolder(rel);
      if (watcher) this.folders.set(rel, { watcher, id });
    }
  }

  private dropFolder(rel: string): void {
    this.folders.get(rel)?.watcher.close();
    this.folders.delete(rel);
  }

  private openFolder(rel: string): FSWatcher | null {
    const path = join(this.dir, rel);
    const { logger } = this.options;
    try {
      const watcher = watch(path, { persistent: false }, (_event, name) => this.seen(rel, name));
      watcher.on('error', (err) => {
        if (this.folders.get(rel)?.watcher === watcher) this.dropFolder(rel);
        else watcher.close();
        // A sub-folder's watcher ends when the folder goes away; the rescan finds out what is left.
        if (rel !== '') return this.schedule('', () => this.rescan());
        reportError(logger, new IssueFileError('issues folder watch failed; changes are no longer picked up', { file: this.dir }, { cause: err }));
      });
      return watcher;
    } catch (err) {
      const what = rel === '' ? 'the issues folder' : `folder ${rel}`;
      reportError(logger, new IssueFileError(`cannot watch ${what}; its changes need a restart`, { file: path }, { cause: err }));
      return null;
    }
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
        if (this.isIdle()) this.wake();
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

  /** True when no event is waiting for its debounce or settle. */
  isIdle(): boolean {
    return this.timers.size === 0 && this.settling.size === 0;
  }

  private wake(): void {
    for (const done of this.waiting) done();
    this.waiting.clear();
  }
}

/** Inode and birth time: an inode number alone is often reused by a folder made just after one was deleted. */
function identityOf(path: string): string | null {
  try {
    const info = statSync(path);
    return `${info.ino}:${info.birthtimeMs}`;
  } catch {
    return null;
  }
}

async function look(path: string): Promise<Look | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info && { size: info.size, mtimeNs: info.mtimeNs, renamed: info.ctimeNs > info.mtimeNs };
}
