/**
 * A platform's global rate counted across instances (issue 14): N instances on one token must not
 * send N × 30 messages/s. The rate lives in the store (`Cluster.reserve`, a GCRA on the database's
 * clock); each instance takes sends from it in blocks (the rate × BLOCK_MS, at least 1; more from a
 * store slower than that to answer), so a send costs no database round trip, and paces each block
 * locally on the monotonic clock. The next block is asked for shortly before the current one runs out.
 *
 * Only the global bucket is shared. Per-chat and per-group buckets stay local to the instance: a chat
 * is sent by one instance at a time (chat leases, `Parts.claimChats`), so its own limits are only ever
 * spent in one process.
 *
 * No burst across instances: a block is reserved with burst 1, so every instance's sends follow the
 * shared schedule and together never exceed the rate in any window. A single instance gives up the
 * one-second burst of the local bucket for that.
 *
 * When the store cannot reserve (the database is down or slow beyond RESERVE_TIMEOUT_MS), sends go on
 * at a conservative local rate, the global rate divided by the number of instances last seen (÷ 2
 * when never seen), and the store is asked again every RETRY_CLUSTER_MS; the outage is logged once.
 */
import type { Clock } from '../clock.js';
import type { Rate } from '../config.js';
import { StoreError } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { PlatformName } from '../platform.js';
import type { Cluster } from '../store/port.js';
import type { Bucket } from './rate-gate.js';
import { RateLimiter, TokenBucket, type RateLimits } from './rate-limiter.js';

/** The time one block of reserved sends lasts at the full rate. */
export const BLOCK_MS = 100;
/** A reservation not answered by then counts as failed: sends go on at the local fallback rate. */
export const RESERVE_TIMEOUT_MS = 1_000;
/** During an outage, how often the store is asked again. */
export const RETRY_CLUSTER_MS = 1_000;
/** However slow the store answers, an instance holds at most this much of the schedule ahead. */
const MAX_LEAD_MS = 4 * BLOCK_MS;
/** How often the number of instances (for the fallback rate) is read again. */
const MEMBERS_EVERY_MS = 30_000;
/** A send that comes late (a busy event loop) may catch up at most this much of its schedule. */
const CATCH_UP_MS = BLOCK_MS;
/** Reserved sends left unused this long after their time are forgotten (nobody was sending). */
const STALE_MS = 1_000;

const TIMED_OUT = Symbol('timed out');

/** What a shared bucket needs of the store's cluster. */
export type SharedRates = Pick<Cluster, 'reserve' | 'members'>;

/**
 * Sends reserved together: `left` more, none before `notBefore`, one per `interval` ms. A `local` block
 * stands in for the store during an outage.
 */
interface Block {
  left: number;
  notBefore: number;
  interval: number;
  local: boolean;
}

export interface SharedBucketOptions {
  platform: PlatformName;
  rate: Rate;
  cluster: SharedRates;
  /** The monotonic clock the gate runs on. */
  clock: Clock;
  logger?: Logger | undefined;
  /** Sends per reservation (default: the rate × BLOCK_MS, at least 1). */
  block?: number;
}

/** The store's key of a platform's global rate. */
export const sharedRateKey = (platform: PlatformName): string => `rate:${platform}:global`;

/** One platform's global bucket, its tokens reserved from the rate all instances share. */
export class SharedBucket implements Bucket {
  readonly key: string;
  /** Milliseconds per send at the full rate. */
  readonly interval: number;
  readonly block: number;
  readonly #o: SharedBucketOptions;
  #blocks: Block[] = [];
  /** The earliest time of this instance's next send (the pacing across blocks). */
  #nextAt = -Infinity;
  /** Sends taken with no reserved token (`take` without waiting): paid from the next reservation. */
  #debt = 0;
  #pending: Promise<void> | null = null;
  /** Round-trip time of the last reservation: the next is asked for at least twice that early. */
  #rtt = 0;
  #outage: { retryAt: number } | null = null;
  #instances: number | null = null;
  #membersAt = -Infinity;

  constructor(options: SharedBucketOptions) {
    this.#o = options;
    this.key = sharedRateKey(options.platform);
    this.interval = options.rate.perMs / options.rate.count;
    this.block = Math.max(1, options.block ?? Math.floor((options.rate.count * BLOCK_MS) / options.rate.perMs));
  }

  delay(now: number): number {
    this.#refill(now);
    const head = this.#blocks[0];
    if (head) return Math.max(0, Math.ceil(Math.max(this.#nextAt, head.notBefore) - now));
    // A reservation is on its way: the gate sleeps on this guess and wakes when it lands (`changed`).
    return Math.max(1, Math.ceil(this.interval), Math.ceil(this.#nextAt - now));
  }

  take(now: number): void {
    this.#refill(now);
    const head = this.#blocks[0];
    if (!head) {
      this.#debt++;
      this.#nextAt = Math.max(this.#nextAt, now) + this.interval;
      return;
    }
    const at = Math.max(this.#nextAt, head.notBefore, now - CATCH_UP_MS);
    this.#nextAt = at + head.interval;
    if (--head.left === 0) this.#blocks.shift();
    this.#refill(now);
  }

  /**
   * A 429 (`RateLimiter.penalize`): the shared schedule has no saved-up burst to drop, so only this
   * instance's catching up goes: its next send waits its turn from now. Other instances are not held
   * (see `RateLimiter.penalize` for why).
   */
  drain(now: number): void {
    this.#nextAt = Math.max(this.#nextAt, now);
  }

  /**
   * Every send on the token waits `ms`: this instance drops what it holds, and the wait is reserved
   * on the shared rate (`ms` worth of sends, burst 1), so every instance's next block comes after it.
   * Blocks other instances already hold (BLOCK_MS or two of sends) still go, and the wait is queued
   * behind the sends already reserved, so it may outlast `ms` by as much.
   */
  holdFor(now: number, ms: number): void {
    if (!(ms > 0)) return;
    this.#blocks = [];
    this.#nextAt = Math.max(this.#nextAt, now + ms);
    const count = Math.ceil(ms / this.interval);
    Promise.resolve()
      .then(() => this.#o.cluster.reserve(this.key, count, this.interval, 1))
      .catch(() => undefined);
  }

  changed(): Promise<void> | null {
    return this.#pending;
  }

  /** Forgets stale blocks, and asks for the next one when the held ones run out within the lead time. */
  #refill(now: number): void {
    const head = this.#blocks[0];
    if (head && Math.max(this.#nextAt, head.notBefore) + STALE_MS < now) this.#blocks = [];
    if (this.#scheduleEnd(now) - now >= Math.min(MAX_LEAD_MS, Math.max(BLOCK_MS / 2, 2 * this.#rtt))) return;
    // In an outage the fallback block comes at once, even while the store is being asked again (it
    // may hang until RESERVE_TIMEOUT_MS); the store is asked again now and then.
    if (this.#outage) this.#blocks.push(this.#fallbackBlock(now));
    if (!this.#pending && (!this.#outage || now >= this.#outage.retryAt)) this.#pending = this.#reserve(now);
  }

  /** When the sends held now are used up, at this instance's pace. */
  #scheduleEnd(now: number): number {
    let end = Math.max(this.#nextAt, now);
    for (const b of this.#blocks) end = Math.max(end, b.notBefore) + b.left * b.interval;
    return end;
  }

  #fallbackBlock(now: number): Block {
    return { left: this.block, notBefore: now, interval: this.interval * (this.#instances ?? 2), local: true };
  }

  async #reserve(started: number): Promise<void> {
    const { cluster, clock } = this.#o;
    const debt = this.#debt;
    this.#debt = 0;
    // A slow store is asked for more at a time: enough to last until its next answer (MAX_LEAD_MS at most).
    const count = this.block * Math.min(MAX_LEAD_MS / BLOCK_MS, Math.max(1, Math.ceil((2 * this.#rtt) / BLOCK_MS)));
    const timer = new AbortController();
    try {
      const timeout = clock.sleep(RESERVE_TIMEOUT_MS, timer.signal).then((): typeof TIMED_OUT => TIMED_OUT);
      const reserving = Promise.resolve().then(() => cluster.reserve(this.key, count + debt, this.interval, 1));
      const wait = await Promise.race([reserving, timeout]);
      if (wait === TIMED_OUT) throw new Error(`no answer within ${RESERVE_TIMEOUT_MS} ms`);
      const at = clock.now();
      this.#rtt = Math.max(0, at - started);
      if (this.#outage) {
        // The shared rate is back: the slower stand-ins go, so its sends are not queued behind them.
        this.#blocks = this.#blocks.filter((b) => !b.local);
        this.#outage = null;
        this.#o.logger?.info({ platform: this.#o.platform, key: this.key }, 'shared rate: the store answers again; sending at the shared rate');
      }
      this.#blocks.push({ left: count, notBefore: at + Math.max(0, wait) + debt * this.interval, interval: this.interval, local: false });
      this.#refreshMembers(at);
    } catch (err) {
      const at = clock.now();
      if (!this.#outage) {
        reportError(
          this.#o.logger,
          new StoreError(`shared rate ${this.key} unavailable; sending at 1/${this.#instances ?? 2} of the global rate until the store answers`, { platform: this.#o.platform, key: this.key }, { cause: err }),
        );
        this.#blocks.push(this.#fallbackBlock(at));
      }
      this.#outage = { retryAt: at + RETRY_CLUSTER_MS };
    } finally {
      timer.abort();
      this.#pending = null;
    }
  }

  #refreshMembers(now: number): void {
    if (now - this.#membersAt < MEMBERS_EVERY_MS) return;
    this.#membersAt = now;
    this.#o.cluster.members().then(
      (members) => {
        this.#instances = Math.max(1, members.length);
      },
      () => undefined,
    );
  }
}

/**
 * The rate limiter for this process: with a cluster (PostgreSQL, several instances) each platform's
 * global bucket is shared through it; without one (SQLite, one instance) it is the local limiter.
 * `cluster` may be a getter, read when a platform sends for the first time, for a composition root
 * that builds the limiter before it opens the store: the store must be open by the first send.
 */
export function rateLimiterFor(
  limits: RateLimits,
  clock: Clock,
  observer?: OpsObserver,
  cluster?: SharedRates | null | (() => SharedRates | null | undefined),
  logger?: Logger,
): RateLimiter {
  if (!cluster) return new RateLimiter(limits, clock, observer);
  const current = typeof cluster === 'function' ? cluster : () => cluster;
  return new RateLimiter(limits, clock, observer, (platform, rate, now) => {
    const shared = current();
    return shared ? new SharedBucket({ platform, rate, cluster: shared, clock, logger }) : TokenBucket.of(rate, now);
  });
}
