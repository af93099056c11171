import { setMaxListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { BULK_SHARE_EVERY } from '../../src/delivery/rate-gate.js';
import type { Priority, RateLimiter, RateLimits } from '../../src/delivery/rate-limiter.js';
import { BLOCK_MS, RESERVE_TIMEOUT_MS, RETRY_CLUSTER_MS, rateLimiterFor } from '../../src/delivery/shared-rate.js';
import { createLogger } from '../../src/log.js';
import { GcraCluster } from '../support/gcra-cluster.js';
import { tg } from '../support/stepping-clock.js';

// Virtual time: systemClock reads the faked Date and timers, and so does the cluster's GCRA.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const R = 30;
const LIMITS: RateLimits = { telegram: { global: { count: R, perMs: 1000 } } };

/**
 * `senders` loops sending to chats of their own as fast as `limiter` lets them; the send times go to
 * `times`, and each loop's last send time to `last` (a loop whose grant never comes stops moving).
 */
function flatOut(limiter: RateLimiter, name: string, senders: number, signal: AbortSignal, times: number[], last: number[] = []): Promise<void[]> {
  return Promise.all(
    Array.from({ length: senders }, async (_, i) => {
      while (await limiter.acquire(tg(`${name}-${i}`), signal, 'bulk')) {
        times.push(Date.now());
        last[i] = Date.now();
      }
    }),
  );
}

/** The most sends in any `windowMs` (half-open) window. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

/** Runs the limiters flat out for `ms` of virtual time; returns each one's send times. */
function runFor(ms: number, limiters: Record<string, RateLimiter>): Promise<Record<string, number[]>> {
  return runWhile(limiters, () => vi.advanceTimersByTimeAsync(ms).then(() => undefined));
}

/** Runs the limiters flat out while `during` moves virtual time (and acts on them); returns each one's send times. */
async function runWhile(limiters: Record<string, RateLimiter>, during: () => Promise<void>): Promise<Record<string, number[]>> {
  const stop = new AbortController();
  setMaxListeners(100, stop.signal);
  const times: Record<string, number[]> = {};
  const runs = Object.entries(limiters).map(([name, limiter]) => flatOut(limiter, name, 8, stop.signal, (times[name] = [])));
  await during();
  stop.abort();
  await vi.advanceTimersByTimeAsync(2 * RESERVE_TIMEOUT_MS);
  await Promise.all(runs);
  return times;
}

function capturedLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger({ level: 'info', secrets: [], destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe('shared rate: one platform rate counted across instances (issue 14)', () => {
  it.each([2, 300])('GIVEN two instances sending flat out on one shared rate, the store answering in %i ms, WHEN 10 s pass THEN together they stay within the one global rate, and use at least 90% of it', async (latencyMs) => {
    const cluster = new GcraCluster(systemClock, latencyMs);
    const a = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    const b = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    const times = await runFor(10_000, { a, b });
    const all = [...(times.a ?? []), ...(times.b ?? [])];
    // Two local limiters would send 2 × 300 here; a shared schedule, strictly paced, at most R per second.
    expect(busiestWindow(all, 1000)).toBeLessThanOrEqual(R + 1);
    expect(all.length).toBeLessThanOrEqual(10 * R + 1);
    expect(all.length).toBeGreaterThanOrEqual(0.9 * 10 * R);
    // Both instances send, neither starves.
    expect(times.a?.length).toBeGreaterThan(0.3 * all.length);
    expect(times.b?.length).toBeGreaterThan(0.3 * all.length);
    // Sends come in blocks: one reservation per 100 ms of sends, not one database round trip per send.
    expect(cluster.reservations.length).toBeLessThan(all.length / 2);
  });

  it.each([2, 300])('GIVEN one instance alone on the shared rate, the store answering in %i ms, WHEN it sends flat out THEN it gets the full rate', async (latencyMs) => {
    const cluster = new GcraCluster(systemClock, latencyMs);
    const times = await runFor(10_000, { a: rateLimiterFor(LIMITS, systemClock, undefined, cluster) });
    const sent = times.a?.length ?? 0;
    expect(sent).toBeGreaterThanOrEqual(0.95 * 10 * R);
    expect(busiestWindow(times.a ?? [], 1000)).toBeLessThanOrEqual(R + 1);
  });

  it('GIVEN no cluster (SQLite, one instance) THEN the limiter is the local one, its one-second burst included', async () => {
    const limiter = rateLimiterFor(LIMITS, systemClock, undefined, null);
    const grants = await Promise.all(Array.from({ length: R }, (_, i) => limiter.acquire(tg(`c${i}`))));
    expect(grants.every(Boolean)).toBe(true);
    expect(Date.now()).toBe(1_000_000);
  });

  it('GIVEN the cluster as a getter (a limiter built before the store opens) THEN the first send reads it and shares the rate; a getter that finds none keeps the local bucket', async () => {
    const holder: { cluster: GcraCluster | null } = { cluster: null };
    const limiter = rateLimiterFor(LIMITS, systemClock, undefined, () => holder.cluster);
    holder.cluster = new GcraCluster(systemClock);
    const first = limiter.acquire(tg('c'));
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toBe(true);
    expect(holder.cluster.reservations).toHaveLength(1);
    const local = rateLimiterFor(LIMITS, systemClock, undefined, () => null);
    const grants = await Promise.all(Array.from({ length: R }, (_, i) => local.acquire(tg(`c${i}`))));
    expect(grants.every(Boolean)).toBe(true);
    expect(Date.now()).toBe(1_000_010);
  });

  it('GIVEN bulk parts queued first and replies arriving behind them on a shared rate THEN replies go first, yet bulk keeps one token in BULK_SHARE_EVERY', async () => {
    const cluster = new GcraCluster(systemClock, 2);
    const limiter = rateLimiterFor({ telegram: { global: { count: 100, perMs: 1000 } } }, systemClock, undefined, cluster);
    const warmUp = limiter.acquire(tg('warm-up'));
    await vi.advanceTimersByTimeAsync(5);
    expect(await warmUp).toBe(true);
    const order: string[] = [];
    const send = (name: string, priority: Priority) => limiter.acquire(tg(name), undefined, priority).then(() => order.push(name));
    const all = [...Array.from({ length: 8 }, (_, i) => send(`b${i}`, 'bulk')), ...Array.from({ length: 8 }, (_, i) => send(`i${i}`, 'interactive'))];
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(BULK_SHARE_EVERY).toBe(4);
    expect(order.slice(0, 12)).toEqual(['i0', 'i1', 'i2', 'b0', 'i3', 'i4', 'i5', 'b1', 'i6', 'i7', 'b2', 'b3']);
    expect(order.filter((k) => k.startsWith('b'))).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}`));
  });
});

describe('shared rate: a wait for the whole platform (issue 14)', () => {
  it('GIVEN two instances sending flat out WHEN one is told every send on the token waits 1 s (Discord global 429) THEN the other stops too once its held block is spent, and both resume after', async () => {
    const cluster = new GcraCluster(systemClock, 2);
    const a = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    const b = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    let heldAt = 0;
    const times = (await runWhile({ a, b }, async () => {
      await vi.advanceTimersByTimeAsync(2_000);
      heldAt = Date.now();
      a.holdPlatform('telegram', 1_000);
      await vi.advanceTimersByTimeAsync(2_000);
    })) as { a: number[]; b: number[] };
    const inHold = (ts: number[], from: number) => ts.filter((t) => t >= heldAt + from && t < heldAt + 1_000).length;
    expect(inHold(times.a, 0)).toBe(0);
    // The other instance spends what it already held (two blocks of 3 at most), then waits as well.
    expect(inHold(times.b, 0)).toBeLessThanOrEqual(2 * 3);
    expect(inHold(times.b, 500)).toBe(0);
    // The wait is queued behind the sends already reserved (two blocks per instance), then the full rate is back.
    const resumed = heldAt + 1_000 + 4 * BLOCK_MS;
    const after = [...times.a, ...times.b].filter((t) => t >= resumed && t < heldAt + 2_000).length;
    expect(after).toBeGreaterThanOrEqual(0.9 * R * ((heldAt + 2_000 - resumed) / 1000));
  });
});

describe('shared rate: a 429 that names no scope (issue 14)', () => {
  it('GIVEN two instances sending flat out WHEN one sees a 429 (penalize, as for Telegram) THEN neither pauses: the pair keeps the full rate', async () => {
    const cluster = new GcraCluster(systemClock, 2);
    const a = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    const b = rateLimiterFor(LIMITS, systemClock, undefined, cluster);
    let at = 0;
    const times = (await runWhile({ a, b }, async () => {
      await vi.advanceTimersByTimeAsync(2_000);
      at = Date.now();
      for (let i = 0; i < 5; i++) {
        a.penalize('telegram');
        await vi.advanceTimersByTimeAsync(200);
      }
    })) as { a: number[]; b: number[] };
    const inSecond = (ts: number[]) => ts.filter((t) => t >= at && t < at + 1_000).length;
    expect(inSecond(times.a) + inSecond(times.b)).toBeGreaterThanOrEqual(0.9 * R);
    expect(inSecond(times.a)).toBeGreaterThanOrEqual(0.3 * R);
    expect(inSecond(times.b)).toBeGreaterThanOrEqual(0.3 * R);
  });
});

describe('shared rate: the store cannot reserve (issue 14)', () => {
  it('GIVEN three instances seen WHEN the database goes down for 5 s THEN sends go on at a third of the rate, none is lost, the outage is logged once, and the shared rate returns with the database', async () => {
    const cluster = new GcraCluster(systemClock, 2);
    cluster.instances = 3;
    const { logger, lines } = capturedLogger();
    const limiter = rateLimiterFor(LIMITS, systemClock, undefined, cluster, logger);
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    const times: number[] = [];
    const last: number[] = [];
    const run = flatOut(limiter, 'a', 8, stop.signal, times, last);
    await vi.advanceTimersByTimeAsync(2_000);
    const before = times.length;
    cluster.failing = true;
    const downAt = Date.now();
    await vi.advanceTimersByTimeAsync(5_000);
    const during = times.filter((t) => t >= downAt).length;
    const lastDuring = [...last];
    cluster.failing = false;
    const upAt = Date.now();
    await vi.advanceTimersByTimeAsync(3_000);
    // The store is asked again within RETRY_CLUSTER_MS and a block of the slow rate (3 sends × 100 ms).
    const backBy = upAt + RETRY_CLUSTER_MS + 3 * BLOCK_MS;
    const after = times.filter((t) => t >= backBy).length;
    const afterS = (upAt + 3_000 - backBy) / 1000;
    stop.abort();
    await vi.advanceTimersByTimeAsync(2 * RESERVE_TIMEOUT_MS);
    await run;

    expect(before).toBeGreaterThanOrEqual(0.9 * 2 * R);
    // A third of 30/s for 5 s is 50; the database's failures cost a block or two on top at most.
    expect(during).toBeGreaterThanOrEqual(40);
    expect(during).toBeLessThanOrEqual(50 + 2 * 3);
    expect(after).toBeGreaterThanOrEqual(0.9 * afterS * R);
    // No send dropped or stuck: each of the 8 loops was granted sends in the outage's last second.
    expect(lastDuring).toHaveLength(8);
    for (const t of lastDuring) expect(t).toBeGreaterThanOrEqual(upAt - 1_000);
    expect(cluster.failures).toBeGreaterThan(1);
    const outages = lines.filter((l) => l.level === 40 && l.msg.includes('unavailable'));
    expect(outages).toHaveLength(1);
    expect(outages[0]?.msg).toContain('1/3 of the global rate');
    expect(lines.filter((l) => l.msg.includes('answers again'))).toHaveLength(1);
  });

  it('GIVEN a database that never answers WHEN sends wait THEN they go after RESERVE_TIMEOUT_MS at the fallback rate (half, with no instances seen), asked again meanwhile without pausing', async () => {
    const cluster = new GcraCluster(systemClock);
    cluster.hanging = true;
    const { logger, lines } = capturedLogger();
    const limiter = rateLimiterFor(LIMITS, systemClock, undefined, cluster, logger);
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    const start = Date.now();
    const times: number[] = [];
    const run = flatOut(limiter, 'a', 8, stop.signal, times);
    await vi.advanceTimersByTimeAsync(RESERVE_TIMEOUT_MS + 5_000);
    stop.abort();
    await vi.advanceTimersByTimeAsync(2 * RESERVE_TIMEOUT_MS);
    await run;
    expect(Math.min(...times) - start).toBeGreaterThanOrEqual(RESERVE_TIMEOUT_MS);
    // 15/s for 5 s: 75, though the store was asked again (and hung) every second or so.
    const fallback = times.filter((t) => t < start + RESERVE_TIMEOUT_MS + 5_000).length;
    expect(fallback).toBeGreaterThanOrEqual(0.9 * 75);
    expect(fallback).toBeLessThanOrEqual(75 + 3);
    expect(lines.filter((l) => l.msg.includes('unavailable'))).toHaveLength(1);
    expect(lines.some((l) => l.msg.includes('1/2 of the global rate'))).toBe(true);
  });
});
