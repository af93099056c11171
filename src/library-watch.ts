/**
 * Watches the issues folder with `fs.watch` and reports which issue file to re-read, once per
 * burst of events (editors write a file in several steps). Events without a file name, or naming
 * a folder, ask for a rescan of the whole tree (which re-reads only files whose size or
 * modification time changed).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { IssueFileError } from './errors.js';
import { reportError, type Logger } from './log.js';

const ISSUE_FILE = /\.(?:md|markdown)$/i;

/** True for a file name the library reads: Markdown, not hidden, not a README. */
export function isIssueFileName(name: string): boolean {
  return ISSUE_FILE.test(name) && !name.startsWith('.') && !/^readme\./i.test(name);
}

export class FolderWatch {
  private watcher: FSWatcher | null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly waiting = new Set<() => void>();

  constructor(
    dir: string,
    private readonly debounceMs: number,
    private readonly onFile: (rel: string) => void,
    private readonly onRescan: () => void,
    private readonly logger?: Logger,
  ) {
    this.watcher = openWatcher(dir, (_event, name) => this.seen(name), logger);
  }

  private seen(name: string | Buffer | null): void {
    let rel = name === null ? null : String(name).split('\\').join('/');
    if (rel !== null && !isIssueFileName(basename(rel))) {
      // A folder appearing, vanishing or renamed: compare the whole tree. Other files are ignored.
      if (basename(rel).includes('.')) return;
      rel = null;
    }
    const key = rel ?? '';
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (rel === null) this.onRescan();
        else this.onFile(rel);
        if (this.timers.size === 0) for (const done of this.waiting) done();
        this.waiting.clear();
      }, this.debounceMs),
    );
  }

  /** Resolves when no debounced event is pending. */
  flush(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const done of this.waiting) done();
    this.waiting.clear();
    this.watcher?.close();
    this.watcher = null;
  }
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
