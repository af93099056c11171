/** The issue library's events and options. */
import type { Clock } from '../clock.js';
import type { Issue } from '../issue/model.js';
import type { ParseCache } from '../issue/parse-cache.js';
import type { ParsePoolOptions } from '../issue/parse-pool.js';
import type { Logger } from '../log.js';
import type { IssueFileLoader } from './load.js';

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
