import { setMaxListeners } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { monotonicClock } from '../../src/clock.js';
import type { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { rateLimiterFor } from '../../src/delivery/shared-rate.js';
import { createLogger } from '../../src/log.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { describePostgres } from '../support/postgres-suite.js';
import { tg } from '../support/stepping-clock.js';

const R = 50;
const LIMITS = { telegram: { global: { count: R, perMs: 1000 } } } as const;

const opened: PostgresStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
});

/** Sends from 8 loops as fast as `limiter` lets them until `signal` aborts; records each send's monotonic time. */
function flatOut(limiter: RateLimiter, name: string, signal: AbortSignal, times: number[]): Promise<void[]> {
  return Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      while (await limiter.acquire(tg(`${name}-${i}`), signal, 'bulk')) if (!signal.aborted) times.push(monotonicClock.now());
    }),
  );
}

describePostgres('shared rate on PostgreSQL (issue 14)', (server) => {
  /** `n` instances: as many stores (pools, cluster members) on one database. */
  async function instances(n: number): Promise<PostgresStore[]> {
    const url = await server().createDatabase();
    const stores: PostgresStore[] = [];
    for (let i = 0; i < n; i++) stores.push(await PostgresStore.open({ url, poolSize: 2 }));
    opened.push(...stores);
    return stores;
  }

  it('GIVEN two instances on one database sending flat out WHEN 3 s pass THEN together they send no more than the one global rate allows, each about half', async () => {
    const [a, b] = (await instances(2)) as [PostgresStore, PostgresStore];
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    const times = { a: [] as number[], b: [] as number[] };
    const start = monotonicClock.now();
    const runs = [
      flatOut(rateLimiterFor(LIMITS, monotonicClock, undefined, a.cluster), 'a', stop.signal, times.a),
      flatOut(rateLimiterFor(LIMITS, monotonicClock, undefined, b.cluster), 'b', stop.signal, times.b),
    ];
    await monotonicClock.sleep(3_000);
    const end = monotonicClock.now();
    stop.abort();
    await Promise.all(runs);
    const sent = [...times.a, ...times.b].filter((t) => t < end).length;
    // Each send goes at or after its slot on the database's schedule, one slot per 1/R s from the first.
    const allowed = ((end - start) * R) / 1000 + 1;
    expect(sent).toBeLessThanOrEqual(allowed);
    // Two local limiters would have sent about twice that; here both instances sent, neither alone.
    expect(sent).toBeGreaterThan(0.5 * allowed);
    expect(times.a.length).toBeGreaterThan(0.25 * sent);
    expect(times.b.length).toBeGreaterThan(0.25 * sent);
  });

  it('GIVEN three instances seen WHEN the database stops under one sending flat out THEN it keeps sending at a third of the rate, logs the outage once, and shares the rate again once the database is back', async () => {
    const [a] = (await instances(3)) as [PostgresStore];
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger({ level: 'info', secrets: [], destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    const times: number[] = [];
    const run = flatOut(rateLimiterFor(LIMITS, monotonicClock, undefined, a.cluster, logger), 'a', stop.signal, times);
    await monotonicClock.sleep(1_000);
    await server().stop('immediate');
    const downAt = monotonicClock.now();
    await monotonicClock.sleep(2_000);
    const upAt = monotonicClock.now();
    const during = times.filter((t) => t >= downAt && t < upAt).length;
    await server().start();
    await monotonicClock.sleep(2_500);
    stop.abort();
    await run;

    // A third of R for the outage (a block of 5 on top at most), and sends kept going.
    expect(during).toBeLessThanOrEqual(((upAt - downAt) * R) / 3 / 1000 + 5);
    expect(during).toBeGreaterThan(0);
    const outages = lines.filter((l) => l.msg.includes('unavailable'));
    expect(outages).toHaveLength(1);
    expect(outages[0]?.msg).toContain('1/3 of the global rate');
    expect(lines.filter((l) => l.msg.includes('answers again'))).toHaveLength(1);
  });
});
