/**
 * Roles one instance holds at a time (the scheduler, Telegram long polling, the Discord gateway),
 * taken through the store's `Cluster` (a PostgreSQL advisory lock per role). Every instance keeps
 * trying, every ROLE_POLL_SECONDS on the monotonic clock; the one that gets a role runs its holder's
 * `onLead`, the others stand by. When the holder dies its database connection closes, the lock is
 * freed, and the next instance to poll takes over: the takeover time is at most one poll interval
 * plus the time the database takes to free a dead connection's lock (at once when the process is
 * killed, since the TCP connection closes; up to the TCP keepalive timeout when its machine vanishes).
 *
 * With no cluster (SQLite: `store.cluster === null`) this instance is the only one: every role is
 * held at once, so one instance behaves exactly as before roles existed.
 */
import { monotonicClock, type Clock } from '../clock.js';
import { NewsbotError, StoreError } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import type { Cluster } from '../store/port.js';

/**
 * The scheduler's role: the one instance that fires cron runs. The delivery facade holds it:
 * `await roles.hold(SCHEDULER_ROLE, { onLead: () => scheduler.start(), onLose: () => scheduler.stop() })`.
 */
export const SCHEDULER_ROLE = 'scheduler';

/** Default ROLE_POLL_SECONDS, in milliseconds. */
export const DEFAULT_ROLE_POLL_MS = 5_000;

/** The longest rest after stand-downs in a row (each doubles the last, from one poll interval). */
const MAX_REST_MS = 5 * 60_000;

/** What holding a role starts and stops. Each is called once per change, never two at once. */
export interface RoleHolder {
  /**
   * This instance took the role: start the work (e.g. long polling). The handle lets the work give
   * the role back on its own (`standDown`). Throwing counts as not leading: the keeper reports it,
   * calls `onLose` to clean up, gives the role back and rests before trying again (the very first
   * attempt's error is thrown from `hold` instead, so a bad token still fails the start).
   */
  onLead(handle: RoleHandle): void | Promise<void>;
  /** The role is gone (lost, given back, or the keeper stops): stop the work. Must not throw for a stopped one. */
  onLose(): void | Promise<void>;
}

export interface HoldOptions {
  /**
   * True (default): the role must never run on two instances at once, so an error from the cluster
   * (the database down or unreachable) counts as "not leading": the work stops rather than risk two
   * holders (two Telegram pollers end each other's requests with 409 in a storm; two gateway
   * sessions answer every interaction twice). False: a cluster error leaves the role as it was (for
   * work that is safe twice, e.g. a scheduler whose runs are counted once by the store).
   */
  exclusive?: boolean;
}

/** One role this instance wants. */
export interface RoleHandle {
  readonly role: string;
  /** True from a completed `onLead` until the next `onLose` starts. */
  readonly held: boolean;
  /**
   * The work found it cannot run (Telegram answered 409: another poller): `onLose`, give the role
   * back and rest before trying again (one poll interval, doubling on each stand-down in a row, at
   * most 5 minutes). Resolves once the role is given back.
   */
  standDown(reason: string): Promise<void>;
  /** Gives the role up for good (graceful shutdown hands it over at once): `onLose` if held, then release. */
  release(): Promise<void>;
}

/** What a chat adapter or the scheduler needs of the keeper. */
export interface Roles {
  /**
   * Starts wanting `role`: tries at once and then every poll interval. Resolves after the first
   * attempt (`onLead` finished if the role was taken); rejects when that first `onLead` throws.
   */
  hold(role: string, holder: RoleHolder, options?: HoldOptions): Promise<RoleHandle>;
}

export interface RoleKeeperOptions {
  /** The store's cluster; null: a single instance, which holds every role. */
  cluster: Cluster | null;
  logger: Logger;
  /** ROLE_POLL_SECONDS in milliseconds (default 5 s). */
  pollMs?: number;
  /** Default: the monotonic clock (intervals, never wall time). */
  clock?: Clock;
}

interface Entry {
  readonly role: string;
  readonly holder: RoleHolder;
  readonly exclusive: boolean;
  readonly handle: RoleHandle;
  /** Every change of this role runs on this chain, one at a time. */
  chain: Promise<void>;
  /** Changes queued or running on the chain. */
  pending: number;
  /** `onLead` was called and `onLose` not yet: the work may be (partly) running. */
  started: boolean;
  /** `onLead` completed and `onLose` not yet started. */
  leading: boolean;
  /** The cluster said yes last time, so the role is ours to release. */
  locked: boolean;
  released: boolean;
  /** No tries before this time (monotonic ms): after a stand-down or a failed `onLead`. */
  restUntil: number;
  restMs: number;
  leadSince: number;
  /** Cluster errors in a row (only the first of a streak is reported). */
  failures: number;
}

/**
 * Keeps trying to take the roles asked for; see the file comment. Errors from the cluster (the
 * database down or unreachable) are reported through `reportError`, once per streak, and count as
 * "not leading" for exclusive roles (the default): their work stops rather than risk two holders.
 */
export class RoleKeeper implements Roles {
  readonly #cluster: Cluster | null;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: RoleKeeperOptions) {
    this.#cluster = options.cluster;
    this.#logger = options.logger;
    this.#clock = options.clock ?? monotonicClock;
    this.#pollMs = options.pollMs ?? DEFAULT_ROLE_POLL_MS;
  }

  /** Roles this instance holds now (onLead completed). */
  get held(): string[] {
    return [...this.#entries.values()].filter((e) => e.leading).map((e) => e.role);
  }

  async hold(role: string, holder: RoleHolder, options: HoldOptions = {}): Promise<RoleHandle> {
    if (this.#stopping) throw new Error(`roles: cannot hold "${role}": the keeper is stopping`);
    if (this.#entries.has(role)) throw new Error(`roles: "${role}" is already held by this instance`);
    const entry: Entry = {
      role,
      holder,
      exclusive: options.exclusive ?? true,
      handle: {
        role,
        get held() {
          return entry.leading;
        },
        standDown: (reason) => this.#run(entry, () => this.#standDown(entry, reason)),
        release: () => this.#release(entry),
      },
      chain: Promise.resolve(),
      pending: 0,
      started: false,
      leading: false,
      locked: false,
      released: false,
      restUntil: -Infinity,
      restMs: this.#pollMs,
      leadSince: 0,
      failures: 0,
    };
    this.#entries.set(role, entry);
    let firstError: unknown = null;
    await this.#run(entry, () => this.#step(entry, (err) => (firstError = err)));
    if (firstError !== null) {
      this.#entries.delete(role);
      entry.released = true;
      throw firstError;
    }
    this.#loop ??= this.#poll();
    return entry.handle;
  }

  /** Stops trying and gives every role up (each `onLose` after any `onLead` under way). Idempotent. */
  stop(): Promise<void> {
    return (this.#stopping ??= (async () => {
      this.#abort.abort();
      await Promise.all([...this.#entries.values()].map((e) => this.#release(e)));
      await this.#loop;
    })());
  }

  async #poll(): Promise<void> {
    while (!this.#abort.signal.aborted) {
      await this.#clock.sleep(this.#pollMs, this.#abort.signal);
      if (this.#abort.signal.aborted) return;
      // A role still changing hands (a slow login) is not asked again until it is done.
      for (const entry of this.#entries.values()) if (entry.pending === 0 && !entry.released) void this.#run(entry, () => this.#step(entry));
    }
  }

  /** Runs `work` on the role's chain, after whatever is under way; never rejects. */
  #run(entry: Entry, work: () => Promise<void>): Promise<void> {
    entry.pending++;
    const next = entry.chain.then(async () => {
      try {
        await work();
      } catch (err) {
        reportError(this.#logger, err, { method: 'role', role: entry.role });
      } finally {
        entry.pending--;
      }
    });
    entry.chain = next;
    return next;
  }

  /** One attempt: ask the cluster, then start or stop the work if that changed. */
  async #step(entry: Entry, onFirstError?: (err: unknown) => void): Promise<void> {
    if (entry.released || this.#clock.now() < entry.restUntil) return;
    const lead = await this.#ask(entry);
    if (lead && !entry.leading) await this.#lead(entry, onFirstError);
    else if (!lead && entry.leading) {
      this.#logger.warn({ role: entry.role }, 'role lost: standing by');
      await this.#lose(entry);
    } else if (lead && this.#clock.now() - entry.leadSince >= MAX_REST_MS) entry.restMs = this.#pollMs;
  }

  /** Whether this instance may hold the role now, by the cluster (always, with none). */
  async #ask(entry: Entry): Promise<boolean> {
    const cluster = this.#cluster;
    if (!cluster) return true;
    try {
      const lead = await cluster.tryLead(entry.role);
      if (entry.failures > 0) this.#logger.info({ role: entry.role, failures: entry.failures }, 'roles: the cluster answers again');
      entry.failures = 0;
      entry.locked = lead;
      return lead;
    } catch (err) {
      if (entry.failures++ === 0) reportError(this.#logger, asStoreError(err, 'tryLead', entry.role), { role: entry.role });
      else this.#logger.debug({ role: entry.role, failures: entry.failures }, 'roles: the cluster still fails');
      return entry.exclusive ? false : entry.leading;
    }
  }

  async #lead(entry: Entry, onFirstError?: (err: unknown) => void): Promise<void> {
    entry.started = true;
    try {
      await entry.holder.onLead(entry.handle);
    } catch (err) {
      if (onFirstError) onFirstError(err);
      else reportError(this.#logger, err, { method: 'onLead', role: entry.role });
      await this.#lose(entry);
      this.#rest(entry);
      return;
    }
    entry.leading = true;
    entry.leadSince = this.#clock.now();
    this.#logger.info({ role: entry.role, ...(this.#cluster ? { instance: this.#cluster.instance } : {}) }, 'role taken');
  }

  /** `onLose` if `onLead` was called since the last one (errors reported), then the lock back to the cluster. */
  async #lose(entry: Entry): Promise<void> {
    entry.leading = false;
    if (entry.started) {
      entry.started = false;
      try {
        await entry.holder.onLose();
      } catch (err) {
        reportError(this.#logger, err, { method: 'onLose', role: entry.role });
      }
    }
    if (!this.#cluster || !entry.locked) return;
    entry.locked = false;
    try {
      await this.#cluster.releaseLead(entry.role);
    } catch (err) {
      // Its connection is likely gone, and the lock with it; in a streak of failures that was reported already.
      if (entry.failures === 0) reportError(this.#logger, asStoreError(err, 'releaseLead', entry.role), { role: entry.role });
      else this.#logger.debug({ role: entry.role, err }, 'roles: releaseLead failed too');
    }
  }

  async #standDown(entry: Entry, reason: string): Promise<void> {
    if (entry.released) return;
    const wasLeading = entry.leading;
    await this.#lose(entry);
    this.#rest(entry);
    this.#logger.info({ role: entry.role, reason, restMs: entry.restUntil - this.#clock.now(), wasLeading }, 'role given back: standing by');
  }

  #rest(entry: Entry): void {
    entry.restUntil = this.#clock.now() + entry.restMs;
    entry.restMs = Math.min(entry.restMs * 2, Math.max(MAX_REST_MS, this.#pollMs));
  }

  #release(entry: Entry): Promise<void> {
    return this.#run(entry, async () => {
      if (entry.released) return;
      entry.released = true;
      this.#entries.delete(entry.role);
      await this.#lose(entry);
    });
  }
}

function asStoreError(err: unknown, method: string, role: string): NewsbotError {
  if (err instanceof NewsbotError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new StoreError(`roles: ${method}("${role}") failed: ${reason}`, { method, role }, { cause: err });
}
