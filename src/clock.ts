/**
 * The injected clock. Everything time-dependent takes one, so tests can drive time.
 * `systemClock` reads the global `Date` and timers, which is also what node-cron uses: vitest fake
 * timers (`vi.useFakeTimers`) therefore move the scheduler and the outbox together.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; resolves early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A clock reading `now` and sleeping on the given timer functions. */
function clockOn(now: () => number, setTimer: typeof setTimeout, clearTimer: typeof clearTimeout): Clock {
  return {
    now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimer(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimer(done, Math.max(0, ms));
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}

/** The real clock: `Date.now()` and `setTimeout` (looked up at each call, so vitest fake timers apply). */
export const systemClock: Clock = clockOn(
  () => Date.now(),
  ((fn: () => void, ms: number) => setTimeout(fn, ms)) as typeof setTimeout,
  ((t: NodeJS.Timeout) => clearTimeout(t)) as typeof clearTimeout,
);

// Taken when this module loads, so the monotonic clock keeps real time even where tests fake the global timers.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * A monotonic clock for durations and rate limits: `performance.now()` (milliseconds since start,
 * never set back or forward with the system time) and real timers. Wall time (`systemClock`) is for
 * schedules only: a token bucket on wall time stops refilling for an hour when the clock is set back one.
 */
export const monotonicClock: Clock = clockOn(() => performance.now(), realSetTimeout, realClearTimeout);
