/**
 * The scrape-time gauges on the asynchronous store: chat leases counted from a real store, the roles
 * this instance holds (a shared store only), and one outbox query per scrape for depth and age.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PromMetrics } from '../../src/ops/metrics.js';
import type { OpsView } from '../../src/store/index.js';
import { parsePrometheusText } from '../support/prom-text.js';
import { leasedStore, TestCluster, type LeasedStore } from '../support/leased-store.js';

const NOW = Date.parse('2025-06-02T08:00:00Z');
const A = 'host-a:101:x1';
const B = 'host-b:202:y2';

let leased: LeasedStore | null = null;
afterEach(async () => {
  await leased?.close();
  leased = null;
});

const metricsOver = (store: OpsView | null, now = NOW) => new PromMetrics({ issues: () => null, store: () => store, now: () => now }, { processMetrics: false });
const scrape = async (metrics: PromMetrics) => parsePrometheusText(await metrics.text());

describe('PromMetrics on the asynchronous store', () => {
  it('GIVEN SQLite with three chats leased THEN newsbot_chat_leases is 3 and newsbot_roles_held has no samples (one instance does everything)', async () => {
    leased = await leasedStore(NOW, 3, 2, [A, B]);
    const exposition = await scrape(metricsOver(leased.view(null)));
    expect(exposition.types.get('newsbot_chat_leases')).toBe('gauge');
    expect(exposition.value('newsbot_chat_leases')).toBe(3);
    expect(exposition.types.get('newsbot_roles_held')).toBe('gauge');
    expect(exposition.samples.filter((s) => s.name === 'newsbot_roles_held')).toEqual([]);
    // The outbox gauges read the same store: three parts waiting since NOW - 10 s.
    expect(exposition.value('newsbot_outbox_depth')).toBe(3);
    expect(exposition.value('newsbot_outbox_oldest_pending_age_seconds')).toBe(10);
  });

  it('GIVEN a shared store where this instance is the scheduler and another polls Telegram THEN roles_held says 1 for scheduler and 0 for telegram:polling; WHEN the roles move THEN the next scrape follows', async () => {
    leased = await leasedStore(NOW, 2, 1, [A, B]);
    const cluster = new TestCluster(A, [
      { instance: A, roles: ['scheduler'], seenAgoMs: 0 },
      { instance: B, roles: ['telegram:polling'], seenAgoMs: 900 },
    ]);
    const metrics = metricsOver(leased.view(cluster));
    const first = await scrape(metrics);
    expect(first.value('newsbot_roles_held', { role: 'scheduler' })).toBe(1);
    expect(first.value('newsbot_roles_held', { role: 'telegram:polling' })).toBe(0);
    expect(first.value('newsbot_chat_leases')).toBe(2);

    // B died: A took Telegram polling, and handed the scheduler to a third instance.
    cluster.answer = [
      { instance: A, roles: ['telegram:polling'], seenAgoMs: 0 },
      { instance: 'host-c:303:z3', roles: ['scheduler'], seenAgoMs: 100 },
    ];
    const second = await scrape(metrics);
    expect(second.value('newsbot_roles_held', { role: 'scheduler' })).toBe(0);
    expect(second.value('newsbot_roles_held', { role: 'telegram:polling' })).toBe(1);
    expect(cluster.membersAsked).toBe(2);
  });

  it('GIVEN a scrape THEN the outbox is asked once for both outbox gauges', async () => {
    leased = await leasedStore(NOW, 2, 0, [A, B]);
    const real = leased.view(null);
    let asked = 0;
    const counted: OpsView = { isOpen: true, cluster: null, ops: { ...real.ops, outbox: () => (asked++, real.ops.outbox()) } };
    const exposition = await scrape(metricsOver(counted));
    expect(asked).toBe(1);
    expect(exposition.value('newsbot_outbox_depth')).toBe(2);
    expect(exposition.value('newsbot_outbox_oldest_pending_age_seconds')).toBe(10);
  });

  it('GIVEN a store whose queries start failing (closing, database gone) THEN the scrape still answers and the store gauges keep their last values', async () => {
    leased = await leasedStore(NOW, 2, 1, [A, B]);
    const real = leased.view(null);
    const failing = (): Promise<never> => Promise.reject(new Error('database is gone'));
    let broken = false;
    const ops = Object.fromEntries(Object.entries(real.ops).map(([name, query]) => [name, (...args: unknown[]) => (broken ? failing() : (query as (...a: unknown[]) => Promise<unknown>)(...args))]));
    const cluster = { instance: A, members: () => (broken ? failing() : Promise.resolve([{ instance: A, roles: ['scheduler'], seenAgoMs: 0 }])) };
    const metrics = metricsOver({ isOpen: true, ops: ops as unknown as OpsView['ops'], cluster });
    const before = await scrape(metrics);
    broken = true;
    const after = await scrape(metrics);
    for (const name of ['newsbot_chat_leases', 'newsbot_outbox_depth', 'newsbot_outbox_oldest_pending_age_seconds', 'newsbot_subscriptions_paused']) {
      expect(after.value(name), name).toBe(before.value(name));
    }
    expect(after.value('newsbot_chat_leases')).toBe(2);
    expect(after.value('newsbot_roles_held', { role: 'scheduler' })).toBe(1);
  });
});
