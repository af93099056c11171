/**
 * Timed delivery: one node-cron task per distinct (schedule, time zone) pair of active
 * subscriptions. When a pair fires, each of its chats gets what the run owes it (see owed.ts: the
 * latest issue dated on or before the run's day, unless it has that one or a newer one). Catch-up
 * at start replays the most recent missed run, once, when it is younger than CATCHUP_MAX_AGE.
 *
 * DST: a run is its wall time. One whose wall time a spring-forward skips (02:30 in Berlin's gap)
 * runs at the first minute after the gap, from a quarter-hourly watcher per zone (node-cron alone
 * never fires it); one whose wall time a fall-back shows twice runs once, its slot being the first
 * instant. Each subscription's `last_slot_at` makes any run count once.
 */
import cron, { type ScheduledTask, type TaskContext } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Issue } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { Store, StoreTx, Subscription } from '../store/index.js';
import { latestRunBetween, skippedRunEndsAt } from './expression.js';
import { issueForDay, owes, runDay, type IssueFeed, type RunDay } from './owed.js';
import { firstInstantOfWallTime, gapEndingAt } from './wall-time.js';

export type { IssueFeed } from './owed.js';

export interface SchedulerDeps {
  store: Store;
  issues: IssueFeed;
  /** Queues `issue` for these subscriptions inside the run's transaction `tx`; returns chats queued. */
  queue(tx: StoreTx, issue: Issue, subscriptions: readonly Subscription[]): Promise<number>;
  /** Told once a run that queued something has committed (the worker looks at the outbox). */
  queued?(): void;
  clock: Clock;
  logger: Logger;
  catchUpMaxAgeMs: number;
  publishOnArrival: boolean;
  /** Told each scheduled run once committed (the last successful run, in metrics). */
  observer?: OpsObserver;
}

const pairKey = (schedule: string, timezone: string) => `${schedule}\u0000${timezone}`;
/** Every DST change in the tz database ends on a quarter hour of the new wall time (Chatham: :45). */
const GAP_WATCH = '*/15 * * * *';

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #tasks = new Map<string, ScheduledTask>();
  /** One watcher per time zone in use, for runs a spring-forward gap skipped. */
  readonly #gapWatchers = new Map<string, ScheduledTask>();
  readonly #onAdded = (issue: Issue) => this.#guarded('publish on arrival', () => this.publish(issue));
  /** Runs under way (cron callbacks, catch-up, publish): `stop` waits for them. */
  readonly #inFlight = new Set<Promise<void>>();
  /** The last `sync`: syncs run one after another, so two never add the same pair's task twice. */
  #synced: Promise<void> = Promise.resolve();
  #running = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Starts the cron tasks, then catches up (in that order, so no run falls between the two). */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    if (this.#deps.publishOnArrival) this.#deps.issues.on('added', this.#onAdded);
    try {
      await this.sync();
    } catch (err) {
      reportError(this.#deps.logger, err, { op: 'scheduler start' });
    }
    await this.#guarded('catch-up', () => this.catchUp());
  }

  /** Stops the cron tasks and waits for runs under way to commit. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#deps.issues.off?.('added', this.#onAdded);
    for (const task of [...this.#tasks.values(), ...this.#gapWatchers.values()]) void task.destroy();
    this.#tasks.clear();
    this.#gapWatchers.clear();
    await Promise.all([...this.#inFlight]);
  }

  /** How many cron tasks run (one per distinct schedule and time zone; gap watchers not counted). */
  get taskCount(): number {
    return this.#tasks.size;
  }

  /** Makes the cron tasks match the subscriptions: adds new pairs, drops unused ones. Call after any change. */
  sync(): Promise<void> {
    const next = this.#synced.then(() => this.#syncNow());
    this.#synced = next.catch(() => undefined);
    return next;
  }

  async #syncNow(): Promise<void> {
    if (!this.#running) return;
    const pairs = await this.#deps.store.subscriptions.schedulePairs();
    if (!this.#running) return;
    const wanted = new Map(pairs.map((p) => [pairKey(p.schedule, p.timezone), p]));
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
    this.#syncGapWatchers(new Set(pairs.map((p) => p.timezone)));
  }

  /**
   * One run of a pair at `slot` (epoch ms): queues what the run owes each of its subscriptions that
   * has not handled this run yet. Returns chats queued. A subscription counts only when this run
   * moved its slot (compare-and-set): two schedulers firing the same run queue it once.
   */
  async fire(schedule: string, timezone: string, slot: number): Promise<number> {
    const { store, issues } = this.#deps;
    const run = firstInstantOfWallTime(slot, timezone);
    const day = runDay(run, timezone);
    const queued = await store.transaction(async (tx) => {
      const issue = issueForDay(issues, day);
      const due: Subscription[] = [];
      for (const sub of await tx.subscriptions.onSchedule(schedule, timezone)) {
        if (sub.lastSlotAt >= run || !(await tx.subscriptions.markSlot(sub.id, run))) continue;
        if (issue && (await owes(tx, sub, issue, day, issues))) due.push(sub);
      }
      return issue && due.length > 0 ? this.#deps.queue(tx, issue, due) : 0;
    });
    if (queued > 0) this.#deps.queued?.();
    this.#deps.observer?.scheduledRun(this.#deps.clock.now());
    return queued;
  }

  /** At start: for each pair, the most recent run within CATCHUP_MAX_AGE that its chats missed. */
  async catchUp(now = this.#deps.clock.now()): Promise<number> {
    let queued = 0;
    for (const { schedule, timezone } of await this.#deps.store.subscriptions.schedulePairs()) {
      const slot = latestRunBetween(schedule, timezone, now - this.#deps.catchUpMaxAgeMs, now);
      if (slot !== null) queued += await this.fire(schedule, timezone, slot);
    }
    if (queued > 0) this.#deps.logger.info({ chats: queued }, 'catch-up: queued runs missed while stopped');
    return queued;
  }

  /**
   * PUBLISH_ON_ARRIVAL: a new issue goes at once to every active subscription a run now would
   * send it to: not when it is dated after today in the chat's zone, or older than what the chat has.
   */
  async publish(issue: Issue): Promise<number> {
    const { store, issues } = this.#deps;
    const now = this.#deps.clock.now();
    const owedIn = new Map<string, { day: RunDay; owed: Issue | null }>();
    const queued = await store.transaction(async (tx) => {
      const due: Subscription[] = [];
      for (const sub of await tx.subscriptions.active()) {
        let zone = owedIn.get(sub.timezone);
        if (!zone) {
          const day = runDay(now, sub.timezone);
          owedIn.set(sub.timezone, (zone = { day, owed: issueForDay(issues, day) }));
        }
        if (zone.owed?.id === issue.id && (await owes(tx, sub, issue, zone.day, issues))) due.push(sub);
      }
      return due.length > 0 ? this.#deps.queue(tx, issue, due) : 0;
    });
    if (queued > 0) this.#deps.queued?.();
    return queued;
  }

  /** A quarter-hourly watcher per zone: at the end of a spring-forward gap, runs the pairs whose run it skipped. */
  #syncGapWatchers(zones: ReadonlySet<string>): void {
    for (const [zone, task] of this.#gapWatchers) {
      if (zones.has(zone)) continue;
      void task.destroy();
      this.#gapWatchers.delete(zone);
    }
    for (const zone of zones) {
      if (this.#gapWatchers.has(zone)) continue;
      const check = (at: number) => void this.#guarded('DST gap run', () => this.#afterGap(zone, at));
      const task = cron.schedule(GAP_WATCH, (ctx: TaskContext) => check(ctx.date.getTime()), {
        timezone: zone,
        name: `newsbot:dst-gap@${zone}`,
        logger: this.#cronLogger,
      });
      task.on('execution:missed', (ctx) => check(ctx.date.getTime()));
      this.#gapWatchers.set(zone, task);
    }
  }

  async #afterGap(timezone: string, at: number): Promise<void> {
    if (gapEndingAt(at, timezone) === null || this.#deps.clock.now() - at > this.#deps.catchUpMaxAgeMs) return;
    for (const pair of await this.#deps.store.subscriptions.schedulePairs()) {
      if (pair.timezone === timezone && skippedRunEndsAt(pair.schedule, timezone, at)) await this.fire(pair.schedule, timezone, at);
    }
  }

  async #late(schedule: string, timezone: string, slot: number): Promise<void> {
    if (this.#deps.clock.now() - slot <= this.#deps.catchUpMaxAgeMs) await this.fire(schedule, timezone, slot);
  }

  /** Runs `fn` (a cron callback, catch-up, publish) with its one catch; `stop` waits for it. */
  #guarded(what: string, fn: () => Promise<unknown>): Promise<void> {
    const run = Promise.resolve()
      .then(fn)
      .then(
        () => undefined,
        (err: unknown) => reportError(this.#deps.logger, err, { op: what }),
      )
      .finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
    return run;
  }

  readonly #cronLogger = {
    info: (m: string) => this.#deps.logger.debug({ lib: 'node-cron' }, m),
    warn: (m: string) => this.#deps.logger.warn({ lib: 'node-cron' }, m),
    error: (m: string | Error, err?: Error) => reportError(this.#deps.logger, err ?? m, { lib: 'node-cron' }),
    debug: (m: string | Error) => this.#deps.logger.debug({ lib: 'node-cron' }, String(m)),
  };
}
