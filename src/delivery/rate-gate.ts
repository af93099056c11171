/**
 * The pieces of the rate limiter: a token bucket, and the gate that hands out one platform's global
 * tokens to waiting senders, interactive replies before broadcast parts.
 */
import type { Clock } from '../clock.js';
import type { Rate } from '../config.js';

/**
 * Who is waiting for a token. `interactive`: someone is waiting for this answer (a command reply, a
 * page edit). `bulk`: scheduled and broadcast posts from the outbox.
 */
export type Priority = 'interactive' | 'bulk';

/**
 * When both kinds wait, one token in this many goes to bulk work: replies go first, yet a steady
 * stream of commands never stops a broadcast (it keeps a quarter of the rate).
 */
export const BULK_SHARE_EVERY = 4;

/**
 * What a gate hands out: a process-local `TokenBucket`, or a bucket whose tokens come in blocks from
 * a rate shared by several instances (shared-rate.ts).
 */
export interface Bucket {
  /** Milliseconds until one token is available (0 when one is). */
  delay(now: number): number;
  /** Takes one token (into debt when none is available). */
  take(now: number): void;
  /** Drops the saved-up burst: the next sends go at the sustained rate. */
  drain(now: number): void;
  /** No token for `ms` from now (the platform's wait for every send on the token). */
  holdFor(now: number, ms: number): void;
  /**
   * Resolves when `delay` may have become shorter than it said (a shared bucket's reservation was
   * answered), so a gate sleeping on the estimate wakes at once; null when `delay` is exact. A local
   * bucket never changes early.
   */
  changed?(): Promise<void> | null;
}

/** A classic token bucket on an injected time line (a monotonic one: see `monotonicClock`). */
export class TokenBucket implements Bucket {
  #tokens: number;
  #at: number;

  constructor(readonly capacity: number, readonly perMs: number, now: number) {
    this.#tokens = capacity;
    this.#at = now;
  }

  static of(rate: Rate, now: number, burst = rate.count): TokenBucket {
    return new TokenBucket(Math.max(1, burst, rate.count), rate.count / rate.perMs, now);
  }

  #refill(now: number): void {
    // A time line that steps back (a wall clock set back) counts as no time passing, never as a debt.
    if (now > this.#at) this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#at) * this.perMs);
    this.#at = now;
  }

  /** Milliseconds until one token is available (0 when one is). */
  delay(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.perMs);
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** Drops the saved-up burst: the next sends go at the sustained rate. */
  drain(now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  holdFor(now: number, ms: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, 1 - Math.max(0, ms) * this.perMs);
  }

  /** True when full again, i.e. forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.capacity;
  }
}

interface Waiter {
  resolve: (granted: boolean) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

/** A FIFO of waiters that skips those whose signal aborted. */
class WaitQueue {
  #items: Waiter[] = [];
  #first = 0;

  push(waiter: Waiter): void {
    this.#items.push(waiter);
  }

  /** The oldest waiter still waiting, or null. */
  head(): Waiter | null {
    while (this.#first < this.#items.length) {
      const waiter = this.#items[this.#first] as Waiter;
      if (!waiter.settled) return waiter;
      this.#first++;
    }
    this.clear();
    return null;
  }

  shift(): void {
    this.#first++;
    if (this.#first > 1024) {
      this.#items.splice(0, this.#first);
      this.#first = 0;
    }
  }

  clear(): void {
    this.#items.length = 0;
    this.#first = 0;
  }
}

/**
 * Hands out one platform's global tokens: first come, first served within a priority, interactive
 * before bulk (but see BULK_SHARE_EVERY). Waiting senders queue; one timer wakes when the next token
 * is due and grants every token that has accrued by then, so the rate holds whatever the timer's
 * granularity (at 3,000/s a wake, at least 1 ms apart, grants 3 or more). Each sender sleeping on its
 * own would wake all of them for every token: at thousands per second, most of the limiter's work,
 * and with setTimeout's 1 ms granularity the order would be a lottery.
 */
export class Gate {
  readonly #queues: Record<Priority, WaitQueue> = { interactive: new WaitQueue(), bulk: new WaitQueue() };
  /** Interactive grants since the last bulk one while bulk work waited. */
  #sinceBulk = 0;
  #pumping = false;

  constructor(readonly bucket: Bucket, private readonly clock: Clock) {}

  /** Resolves true with a token taken, or false when `signal` aborted first. */
  acquire(signal: AbortSignal | undefined, priority: Priority): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const now = this.clock.now();
    if (!this.#pumping && this.bucket.delay(now) === 0) {
      this.bucket.take(now);
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined, settled: false };
      if (signal) {
        waiter.onAbort = () => {
          waiter.settled = true;
          resolve(false);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queues[priority].push(waiter);
      if (!this.#pumping) void this.#pump();
    });
  }

  /** The queue whose head gets the next token, or null when nobody waits. */
  #nextQueue(): WaitQueue | null {
    const interactive = this.#queues.interactive.head() ? this.#queues.interactive : null;
    const bulk = this.#queues.bulk.head() ? this.#queues.bulk : null;
    if (interactive && bulk) {
      if (this.#sinceBulk + 1 >= BULK_SHARE_EVERY) {
        this.#sinceBulk = 0;
        return bulk;
      }
      this.#sinceBulk++;
      return interactive;
    }
    if (bulk) this.#sinceBulk = 0;
    return interactive ?? bulk;
  }

  /** Sleeps until the bucket's next token, or until it says its estimate changed. */
  async #sleep(now: number): Promise<void> {
    const ms = this.bucket.delay(now);
    const changed = this.bucket.changed?.() ?? null;
    if (!changed) return this.clock.sleep(ms);
    const timer = new AbortController();
    await Promise.race([this.clock.sleep(ms, timer.signal), changed]);
    timer.abort();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (;;) {
        const now = this.clock.now();
        let waiting = false;
        while (this.bucket.delay(now) === 0) {
          const queue = this.#nextQueue();
          const waiter = queue?.head();
          if (!queue || !waiter) break;
          this.bucket.take(now);
          queue.shift();
          waiter.settled = true;
          if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.resolve(true);
        }
        waiting = this.#queues.interactive.head() !== null || this.#queues.bulk.head() !== null;
        if (!waiting) break;
        await this.#sleep(now);
      }
    } finally {
      this.#queues.interactive.clear();
      this.#queues.bulk.clear();
      this.#pumping = false;
    }
  }
}
