/**
 * Timed delivery: one node-cron task per distinct (schedule, time zone) pair of active
 * subscriptions. When a pair fires, each of its chats gets the latest issue unless it already has
 * that issue or a newer one. Catch-up at start replays the most recent missed run, once, when it is
 * younger than CATCHUP_MAX_AGE. Each subscription's `last_slot_at` makes any run count once.
 */
import cron, { type ScheduledTask, type TaskContext } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Issue } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { Store, Subscription } from '../store/index.js';
import { latestRunBetween } from './expression.js';

/** Where issues come from: the parts of IssueLibrary the scheduler needs. */
export interface IssueFeed {
  latest(): Issue | null;
  get(ref: string): Issue | null;
  /** 'added': a new issue file appeared (not an edit of a known one). */
  on(event: 'added', listener: (issue: Issue) => void): unknown;
  off?(event: 'added', listener: (issue: Issue) => void): unknown;
}

export interface SchedulerDeps {
  store: Store;
  issues: IssueFeed;
  /** Queues `issue` for these subscriptions (inside the caller's transaction); returns chats queued. */
  queue(issue: Issue, subscriptions: readonly Subscription[]): number;
  clock: Clock;
  logger: Logger;
  catchUpMaxAgeMs: number;
  publishOnArrival: boolean;
}

const pairKey = (schedule: string, timezone: string) => `${schedule}\u0000${timezone}`;

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #tasks = new Map<string, ScheduledTask>();
  readonly #onAdded = (issue: Issue) => this.#guarded('publish on arrival', () => this.publish(issue));
  #running = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Starts the cron tasks, then catches up (in that order, so no run falls between the two). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.sync();
    this.#guarded('catch-up', () => this.catchUp());
    if (this.#deps.publishOnArrival) this.#deps.issues.on('added', this.#onAdded);
  }

  stop(): void {
    this.#running = false;
    this.#deps.issues.off?.('added', this.#onAdded);
    for (const task of this.#tasks.values()) void task.destroy();
    this.#tasks.clear();
  }

  /** How many cron tasks run (one per distinct schedule and time zone). */
  get taskCount(): number {
    return this.#tasks.size;
  }

  /** Makes the cron tasks match the subscriptions: adds new pairs, drops unused ones. Call after any change. */
  sync(): void {
    if (!this.#running) return;
    const wanted = new Map(this.#deps.store.subscriptions.schedulePairs().map((p) => [pairKey(p.schedule, p.timezone), p]));
    for (const [key, task] of this.#tasks) {
      if (!wanted.has(key)) {
        void task.destroy();
        this.#tasks.delete(key);
      }
    }
    for (const [key, { schedule, timezone }] of wanted) {
      if (this.#tasks.has(key)) continue;
      const task = cron.schedule(schedule, (ctx: TaskContext) => this.#guarded('scheduled run', () => this.fire(schedule, timezone, ctx.date.getTime())), {
        timezone,
        name: `newsbot:${schedule}@${timezone}`,
        logger: this.#cronLogger,
      });
      // node-cron skips a run when the process was busy or asleep past its tolerance; we still owe it.
      task.on('execution:missed', (ctx) => this.#guarded('missed run', () => this.#late(schedule, timezone, ctx.date.getTime())));
      this.#tasks.set(key, task);
    }
  }

  /**
   * One run of a pair at `slot` (epoch ms): queues the latest issue for each of its subscriptions that
   * has not handled this run yet and does not have this issue or a newer one. Returns chats queued.
   */
  fire(schedule: string, timezone: string, slot: number): number {
    const { store, issues } = this.#deps;
    return store.transaction(() => {
      const issue = issues.latest();
      const due: Subscription[] = [];
      for (const sub of store.subscriptions.onSchedule(schedule, timezone)) {
        if (sub.lastSlotAt >= slot) continue;
        store.subscriptions.markSlot(sub.id, slot);
        if (issue && this.#isNewFor(sub, issue)) due.push(sub);
      }
      return issue && due.length > 0 ? this.#deps.queue(issue, due) : 0;
    });
  }

  /** At start: for each pair, the most recent run within CATCHUP_MAX_AGE that its chats missed. */
  catchUp(now = this.#deps.clock.now()): number {
    let queued = 0;
    for (const { schedule, timezone } of this.#deps.store.subscriptions.schedulePairs()) {
      const slot = latestRunBetween(schedule, timezone, now - this.#deps.catchUpMaxAgeMs, now);
      if (slot !== null) queued += this.fire(schedule, timezone, slot);
    }
    if (queued > 0) this.#deps.logger.info({ chats: queued }, 'catch-up: queued runs missed while stopped');
    return queued;
  }

  /** PUBLISH_ON_ARRIVAL: a new issue goes to every active subscription that has nothing newer. */
  publish(issue: Issue): number {
    const { store } = this.#deps;
    return store.transaction(() => {
      const due = store.subscriptions.active().filter((sub) => this.#isNewFor(sub, issue));
      return due.length > 0 ? this.#deps.queue(issue, due) : 0;
    });
  }

  #late(schedule: string, timezone: string, slot: number): void {
    if (this.#deps.clock.now() - slot <= this.#deps.catchUpMaxAgeMs) this.fire(schedule, timezone, slot);
  }

  /** Never an issue the chat has, never one older than the newest it has. */
  #isNewFor(sub: Subscription, issue: Issue): boolean {
    const newest = this.#deps.store.deliveries.latestIssue(sub.platform, sub.chatId);
    return newest === null || issue.id > newest;
  }

  #guarded(what: string, fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      reportError(this.#deps.logger, err, { op: what });
    }
  }

  readonly #cronLogger = {
    info: (m: string) => this.#deps.logger.debug({ lib: 'node-cron' }, m),
    warn: (m: string) => this.#deps.logger.warn({ lib: 'node-cron' }, m),
    error: (m: string | Error, err?: Error) => reportError(this.#deps.logger, err ?? m, { lib: 'node-cron' }),
    debug: (m: string | Error) => this.#deps.logger.debug({ lib: 'node-cron' }, String(m)),
  };
}
