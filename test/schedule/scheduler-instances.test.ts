/**
 * Two schedulers on one store (two instances firing the same run): each subscription's run counts
 * once, because a run queues a subscription only when it moved that subscription's slot itself
 * (`markSlot` compare-and-set).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { digestBuilder } from '../../src/digest/builder.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { targetOf } from '../../src/delivery/parts.js';
import type { ChatRef } from '../../src/platform.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import type { Store, StoreTx, Subscription } from '../../src/store/index.js';
import { makeHarness, recordingLogger, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const BY = 'telegram:1';
const RUN = Date.parse('2025-01-02T08:00:00Z');

/** A second instance's scheduler on `store`: its own outbox, the same ports and issues. */
function secondScheduler(h: Harness, store: Store): Scheduler {
  const { logger } = recordingLogger();
  const outbox = new Outbox({ store, ports: new Map([['telegram', h.port]]), digests: digestBuilder(), clock: systemClock, logger });
  return new Scheduler({
    store,
    issues: h.feed,
    clock: systemClock,
    logger,
    catchUpMaxAgeMs: 24 * 3_600_000,
    publishOnArrival: false,
    queue: async (tx, issue, subs) => (await outbox.enqueueIn(tx, issue, subs.map(targetOf))).chats,
  });
}

/**
 * `store` as an instance sees it that read the subscriptions before another one committed the same
 * run (as two PostgreSQL transactions may): `onSchedule` answers the rows read then.
 */
function readBefore(store: Store, stale: readonly Subscription[]): Store {
  const transaction: Store['transaction'] = (fn, options) =>
    store.transaction((tx) => fn({ ...tx, subscriptions: { ...tx.subscriptions, onSchedule: async () => [...stale] } } as StoreTx), options);
  return new Proxy(store, { get: (target, key) => (key === 'transaction' ? transaction : Reflect.get(target, key, target)) });
}

describe('two schedulers on one store', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN two schedulers WHEN both fire the same run at once THEN each chat is queued once, by one of them, and gets each part once', async () => {
    useFakeTime('2025-01-02T07:59:00Z');
    h = makeHarness();
    for (const id of ['1', '2', '3']) await h.service.subscribe(chat(id), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    const other = secondScheduler(h, h.store);
    const queued = await Promise.all([h.scheduler.fire('0 8 * * *', 'UTC', RUN), other.fire('0 8 * * *', 'UTC', RUN)]);
    expect(queued[0] + queued[1]).toBe(3);
    expect(queued).toContain(0);
    await h.service.start();
    await settle(h.service);
    for (const id of ['1', '2', '3']) expect(h.port.delivered(id)).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    expect(h.port.sends).toHaveLength(9);
  });

  it('GIVEN a scheduler that read the subscriptions before another committed the same run WHEN a newer issue arrived in between THEN its markSlot is refused and the run is not posted twice', async () => {
    useFakeTime('2025-01-02T07:59:00Z');
    h = makeHarness();
    for (const id of ['1', '2']) await h.service.subscribe(chat(id), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    const stale = await h.store.subscriptions.onSchedule('0 8 * * *', 'UTC');
    expect(await h.scheduler.fire('0 8 * * *', 'UTC', RUN)).toBe(2);
    // Dated the run's day: a run that had not been handled would owe it.
    h.feed.add('20250102');
    const late = secondScheduler(h, readBefore(h.store, stale));
    expect(await late.fire('0 8 * * *', 'UTC', RUN)).toBe(0);
    expect(await h.store.parts.hasIssue('telegram', '1', '20250102')).toBe(false);
    expect((await h.store.subscriptions.get('telegram', '1'))?.lastSlotAt).toBe(RUN);
  });
});
