/**
 * `npm run bench -- shared-rate`: two instances' rate limiters sharing one platform rate R through the
 * store's `Cluster.reserve` (issue 14), each sending flat out from 8 loops for BENCH_SHARED_SECONDS
 * (10) of real time on the monotonic clock. The cluster is the in-process GCRA of the tests with a
 * 1 ms round trip. One JSON line, ratios only:
 *   {"bench":"shared-rate","instances":2,"rate":R,"achieved_ratio","busiest_1s_ratio","share_a","sends_per_reservation",…}
 *  - achieved_ratio: sends of both instances ÷ (R × seconds) (target ≥ 0.9 and ≤ 1.0).
 *  - busiest_1s_ratio: the most sends in any one-second window ÷ R (≤ 1 + 1/R: paced, no burst).
 *  - share_a: the first instance's part of the sends (about 0.5).
 *  - sends_per_reservation: database round trips saved by taking sends in blocks.
 *  - alone_ratio: one instance alone for the same time, ÷ (R × seconds) (target ≥ 0.9).
 * Settings: BENCH_SHARED_RATE (30 messages/s, Telegram's), BENCH_SHARED_SECONDS (10).
 */
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import { monotonicClock } from '../src/clock.js';
import type { RateLimiter } from '../src/delivery/rate-limiter.js';
import { rateLimiterFor } from '../src/delivery/shared-rate.js';
import { GcraCluster } from '../test/support/gcra-cluster.js';

const RATE = Number(process.env.BENCH_SHARED_RATE ?? 30);
const SECONDS = Number(process.env.BENCH_SHARED_SECONDS ?? 10);
const SENDERS = 8;

/** Sends flat out from `SENDERS` loops until `signal` aborts; returns the send times (monotonic ms). */
async function flatOut(limiter: RateLimiter, name: string, signal: AbortSignal): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, i) => {
      const chat = { platform: 'telegram', chatId: `${name}-${i}`, threadId: null } as const;
      while (await limiter.acquire(chat, signal, 'bulk')) if (!signal.aborted) times.push(monotonicClock.now());
    }),
  );
  return times;
}

/** Runs one limiter per name on one cluster for SECONDS; each one's send times. */
async function race(names: readonly string[]): Promise<{ times: number[][]; reservations: number }> {
  const cluster = new GcraCluster(monotonicClock, 1);
  const stop = new AbortController();
  setMaxListeners(100, stop.signal);
  const runs = names.map((name) => flatOut(rateLimiterFor({ telegram: { global: { count: RATE, perMs: 1000 } } }, monotonicClock, undefined, cluster), name, stop.signal));
  await monotonicClock.sleep(SECONDS * 1000);
  stop.abort();
  return { times: await Promise.all(runs), reservations: cluster.reservations.length };
}

function busiest(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function run(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const two = await race(['a', 'b']);
  const [a = [], b = []] = two.times;
  const sent = a.length + b.length;
  const alone = await race(['a']);
  console.log(
    JSON.stringify({
      bench: 'shared-rate',
      instances: 2,
      rate: RATE,
      seconds: SECONDS,
      achieved_ratio: round(sent / (RATE * SECONDS)),
      busiest_1s_ratio: round(busiest([...a, ...b], 1000) / RATE),
      share_a: round(a.length / Math.max(1, sent)),
      sends_per_reservation: round(sent / Math.max(1, two.reservations)),
      alone_ratio: round((alone.times[0]?.length ?? 0) / (RATE * SECONDS)),
      load_average: round(load),
    }),
  );
}
