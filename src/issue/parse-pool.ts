/**
 * Parses issue files in a pool of worker threads, each file under a time budget and each worker
 * under a heap cap (`resourceLimits`). remark is super-linear on some inputs (40 KB of `*a` takes
 * seconds, 100 KB of `>` minutes before it overflows the stack), so a file that overruns becomes a
 * problem naming the file and the limit, and its worker is terminated and replaced; the other
 * files never wait on it for longer than the budget. The pool also spreads a cold load over every
 * core. Workers start on first use, so a start served from the parse cache starts none.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { IssueFileError } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import { unreadableIssue } from './identity.js';
import { DEFAULT_LIMITS, type IssueLimits } from './limits.js';
import type { LoadedIssueFile } from './parse.js';
import type { ParseTask } from './parse-worker.js';

export interface ParsePoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  workers?: number;
  /** Time one file may take, in ms (PARSE_TIMEOUT, default 3 s). */
  timeoutMs?: number;
  /** Old-generation heap of one worker, in MB (PARSE_MAX_HEAP_MB, default 256). */
  maxHeapMb?: number;
  limits?: IssueLimits;
  logger?: Logger;
}

export const DEFAULT_PARSE_TIMEOUT_MS = 3_000;
export const DEFAULT_PARSE_MAX_HEAP_MB = 256;
/** Workers that die before they are ready, in a row, before the pool stops trying. */
const MAX_BOOT_FAILURES = 3;

interface Task extends ParseTask {
  done: (loaded: LoadedIssueFile) => void;
  /** Where an overrun of this file is logged (the library that asked), else the pool's logger. */
  logger?: Logger | undefined;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Set when the pool ended this worker itself (budget, close), so its exit is no failure. */
  retired: boolean;
}

/** Counters the library's log line and the tests read. */
export interface ParsePoolStats {
  parsed: number;
  timedOut: number;
  outOfMemory: number;
  failed: number;
  workersStarted: number;
}

/** The process's pools, one per distinct settings (see `ParsePool.shared`). */
const sharedPools = new Map<string, ParsePool>();

export class ParsePool {
  readonly size: number;
  readonly timeoutMs: number;
  readonly maxHeapMb: number;
  readonly limits: IssueLimits;
  readonly stats: ParsePoolStats = { parsed: 0, timedOut: 0, outOfMemory: 0, failed: 0, workersStarted: 0 };
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private bootFailures = 0;
  private closed = false;
  private readonly logger: Logger | undefined;

  constructor(options: ParsePoolOptions = {}) {
    this.size = Math.max(1, options.workers || availableParallelism());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
    this.maxHeapMb = options.maxHeapMb ?? DEFAULT_PARSE_MAX_HEAP_MB;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.logger = options.logger;
  }

  /** Files waiting for a worker or being parsed. */
  get pending(): number {
    return this.queue.length + [...this.slots].filter((s) => s.task).length;
  }

  /**
   * The process's pool for these settings, started on first use and never closed (its idle
   * workers do not keep the process alive). Every library opened with the same settings shares
   * it, so a re-opened library (a restart in tests, the CLI) finds warm workers instead of
   * paying a worker's start-up again.
   */
  static shared(options: Omit<ParsePoolOptions, 'logger'> = {}): ParsePool {
    const settings = { workers: options.workers ?? 0, timeoutMs: options.timeoutMs ?? null, maxHeapMb: options.maxHeapMb ?? null, limits: options.limits ?? null };
    const key = JSON.stringify(settings);
    let pool = sharedPools.get(key);
    if (!pool) sharedPools.set(key, (pool = new ParsePool(options)));
    return pool;
  }

  /**
   * Reads and parses `path` in a worker; `root` is the folder `issue.file` is relative to. Never
   * rejects: an overrun, a crashed worker or a closed pool gives an Issue with a problem.
   */
  load(path: string, root?: string, logger?: Logger): Promise<LoadedIssueFile> {
    return new Promise((done) => {
      if (this.closed) return void this.fail({ id: 0, path, root, limits: this.limits, done }, 'not parsed: shutting down');
      this.queue.push({ id: this.nextId++, path, root, limits: this.limits, done, logger });
      this.pump();
    });
  }

  /** Ends every worker; files still waiting or being parsed get a problem saying the pool closed. */
  async close(): Promise<void> {
    this.closed = true;
    const ending: Array<Promise<number>> = [];
    for (const slot of this.slots) {
      slot.retired = true;
      if (slot.timer) clearTimeout(slot.timer);
      if (slot.task) void this.fail(slot.task, 'not parsed: shutting down');
      ending.push(slot.worker.terminate());
    }
    this.slots.clear();
    for (const task of this.queue.splice(0)) void this.fail(task, 'not parsed: shutting down');
    await Promise.allSettled(ending);
  }

  private pump(): void {
    this.assignAndSpawn();
    this.holdProcess();
  }

  /**
   * Workers keep the process alive only while files wait or are being parsed: an idle shared
   * pool must not stop a finished process from exiting, and a starting worker must not let it
   * exit under a pending load.
   */
  private holdProcess(): void {
    const busy = !this.closed && (this.queue.length > 0 || [...this.slots].some((s) => s.task));
    for (const slot of this.slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private assignAndSpawn(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.task) this.assign(slot, this.queue.shift() as Task);
    }
    const starting = [...this.slots].filter((s) => !s.ready).length;
    while (this.queue.length > starting && this.slots.size < this.size && this.bootFailures < MAX_BOOT_FAILURES) this.spawn();
    if (this.bootFailures >= MAX_BOOT_FAILURES) for (const task of this.queue.splice(0)) void this.fail(task, 'not parsed: parse workers cannot start');
  }

  private assign(slot: Slot, task: Task): void {
    slot.task = task;
    slot.timer = setTimeout(() => this.overrun(slot, `parsing took longer than ${this.timeoutMs} ms (PARSE_TIMEOUT); file skipped`, 'timedOut'), this.timeoutMs);
    const { done: _done, logger: _logger, ...message } = task;
    slot.worker.postMessage(message);
  }

  private spawn(): void {
    const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, stackSizeMb: 4 },
    });
    const slot: Slot = { worker, ready: false, task: null, timer: null, retired: false };
    this.slots.add(slot);
    this.stats.workersStarted++;
    worker.on('message', (msg: { ready?: true; id?: number; loaded?: LoadedIssueFile }) => {
      if (msg.ready) {
        slot.ready = true;
        this.bootFailures = 0;
      } else if (slot.task && msg.id === slot.task.id && msg.loaded) {
        if (slot.timer) clearTimeout(slot.timer);
        const task = slot.task;
        slot.task = null;
        slot.timer = null;
        this.stats.parsed++;
        task.done(msg.loaded);
      }
      this.pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (slot.retired) return;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const reason = oom ? `parsing needed more than ${this.maxHeapMb} MB (PARSE_MAX_HEAP_MB); file skipped` : `parser crashed: ${err.message}`;
      if (!slot.ready && !slot.task) {
        this.bootFailures++;
        reportError(this.logger, new IssueFileError('parse worker failed to start', { file: '' }, { cause: err }));
      }
      this.overrun(slot, reason, oom ? 'outOfMemory' : 'failed');
    });
    worker.on('exit', () => {
      if (!slot.retired) this.overrun(slot, 'parser exited unexpectedly; file skipped', 'failed');
    });
  }

  /** Ends a worker that overran (or died) and reports its file; a replacement starts on demand. */
  private overrun(slot: Slot, reason: string, counter: 'timedOut' | 'outOfMemory' | 'failed'): void {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.timer) clearTimeout(slot.timer);
    this.slots.delete(slot);
    void slot.worker.terminate();
    const task = slot.task;
    slot.task = null;
    if (task) {
      this.stats[counter]++;
      (task.logger ?? this.logger)?.warn({ file: task.root === undefined ? task.path : relative(task.root, task.path), reason }, 'issue file over its parse budget; worker replaced');
      void this.fail(task, reason);
    }
    this.pump();
  }

  /** Resolves a task with an Issue holding `reason`, and the file's stat so the library does not re-read it until it changes. */
  private async fail(task: Task, reason: string): Promise<void> {
    const file = task.root === undefined ? task.path : relative(task.root, task.path).split('\\').join('/');
    const info = await stat(task.path).catch(() => null);
    task.done({ issue: unreadableIssue(file, reason), mtimeMs: info?.mtimeMs ?? 0, size: info?.size ?? 0 });
  }
}
