import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Issue } from '../../src/issue/model.js';
import type { ChatRef } from '../../src/platform.js';
import { makeHarness, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';
import { FakeIssueFeed, makeIssue } from '../fakes/issue-feed.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const BY = 'telegram:1';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A feed whose latest issue is "today" (UTC) by the fake clock, so every run has something new to queue. */
class DailyFeed extends FakeIssueFeed {
  override latest(): Issue {
    return makeIssue(new Date().toISOString().slice(0, 10).replace(/-/g, ''));
  }
}

/** When each issue was queued for a chat (its part 0's created_at), ISO, in order. */
async function queuedAt(h: Harness, chatId: string): Promise<string[]> {
  return (await h.store.parts
    .forChat('telegram', chatId))
    .filter((r) => r.partIndex === 0)
    .map((r) => new Date(r.createdAt).toISOString());
}

describe('scheduler with real node-cron on fake time', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN daily 08:00 Europe/Berlin across the spring-forward night THEN it fires at 08:00 local on each day (07:00Z, then 06:00Z)', async () => {
    useFakeTime('2025-03-28T12:00:00Z');
    h = makeHarness({ feed: new DailyFeed() });
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'Europe/Berlin', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(await queuedAt(h, '1')).toEqual(['2025-03-29T07:00:00.000Z', '2025-03-30T06:00:00.000Z', '2025-03-31T06:00:00.000Z']);
  });

  it('GIVEN 02:30 Europe/Berlin THEN on the spring-forward day (no 02:30) it runs at 03:00 CEST, the first minute after the gap, and the fall-back day (two 02:30s) runs once', async () => {
    useFakeTime('2025-03-28T12:00:00Z');
    h = makeHarness({ feed: new DailyFeed() });
    await h.service.subscribe(chat('1'), { schedule: '30 2 * * *', timezone: 'Europe/Berlin', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(await queuedAt(h, '1')).toEqual(['2025-03-29T01:30:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-31T00:30:00.000Z']);

    vi.setSystemTime(Date.parse('2025-10-25T12:00:00Z'));
    await h.restart({ catchUpMaxAgeMs: HOUR });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(2 * DAY);
    const autumn = (await queuedAt(h, '1')).filter((t) => t >= '2025-10');
    // 02:30 CEST is 00:30Z, 02:30 CET is 01:30Z: exactly one of the two on the 26th.
    expect(autumn).toHaveLength(2);
    expect(['2025-10-26T00:30:00.000Z', '2025-10-26T01:30:00.000Z']).toContain(autumn[0]);
    expect(autumn[1]).toBe('2025-10-27T01:30:00.000Z');
  });

  it('GIVEN daily 08:00 America/New_York across both DST changes THEN it fires at 08:00 local (13:00Z in winter, 12:00Z in summer)', async () => {
    useFakeTime('2025-03-07T20:00:00Z');
    h = makeHarness({ feed: new DailyFeed() });
    await h.service.subscribe(chat('1'), { schedule: '0 8 * * *', timezone: 'America/New_York', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    vi.setSystemTime(Date.parse('2025-10-31T20:00:00Z'));
    await h.restart({ catchUpMaxAgeMs: HOUR });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(await queuedAt(h, '1')).toEqual([
      '2025-03-08T13:00:00.000Z',
      '2025-03-09T12:00:00.000Z',
      '2025-03-10T12:00:00.000Z',
      '2025-11-01T12:00:00.000Z',
      '2025-11-02T13:00:00.000Z',
      '2025-11-03T13:00:00.000Z',
    ]);
  });

  it('GIVEN subscriptions on two distinct schedules THEN there is one cron task per (schedule, time zone), kept in step with changes', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    await h.service.start();
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.subscribe(chat('2'), { schedule: '0 8 * * *', timezone: 'utc', by: BY });
    await h.service.subscribe(chat('3'), { schedule: 'weekly 周一 08:00', timezone: 'Asia/Shanghai', by: BY });
    expect(h.scheduler.taskCount).toBe(2);
    await h.service.unsubscribe(chat('3'));
    expect(h.scheduler.taskCount).toBe(1);
    await h.service.setSchedule(chat('2'), 'off', { by: BY });
    expect(h.scheduler.taskCount).toBe(1);
    await h.service.setSchedule(chat('1'), 'daily 09:30', { by: BY });
    expect(h.scheduler.taskCount).toBe(1);
    expect(await h.store.subscriptions.schedulePairs()).toEqual([{ schedule: '30 9 * * *', timezone: 'UTC' }]);
  });

  it('GIVEN the bot was down over a scheduled time THEN at start the chat gets the missed delivery once, and a second restart adds nothing', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.stop();
    // Down from 07:00 to 10:00: the 08:00 run was missed.
    vi.setSystemTime(Date.parse('2025-01-01T10:00:00Z'));
    await h.restart();
    await h.service.start();
    await settle(h.service);
    expect(await queuedAt(h, '1')).toEqual(['2025-01-01T10:00:00.000Z']);
    expect(h.port.delivered('1')).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    vi.setSystemTime(Date.parse('2025-01-01T11:00:00Z'));
    await h.restart();
    await h.service.start();
    await settle(h.service);
    expect(h.port.sends).toHaveLength(3);
  });

  it('GIVEN a miss older than CATCHUP_MAX_AGE THEN no catch-up, and the next run delivers as usual', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness({ catchUpMaxAgeMs: HOUR });
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.stop();
    vi.setSystemTime(Date.parse('2025-01-01T10:00:00Z'));
    await h.restart();
    await h.service.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(await queuedAt(h, '1')).toEqual([]);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await queuedAt(h, '1')).toEqual(['2025-01-02T08:00:00.000Z']);
  });

  it('GIVEN a run handled while up and a new issue after it THEN a restart does not treat the new issue as missed', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    h.feed.add('20250102');
    await vi.advanceTimersByTimeAsync(HOUR);
    await h.restart();
    await h.service.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect((await h.store.parts.forChat('telegram', '1')).map((r) => r.issueId)).toEqual(['20250101', '20250101', '20250101']);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await queuedAt(h, '1')).toEqual(['2025-01-01T08:00:00.000Z', '2025-01-02T08:00:00.000Z']);
  });

  it('GIVEN two schedules firing at the same instant, a repeated run, catch-up and a broadcast together THEN each chat gets each part exactly once', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness();
    // 08:00 UTC and 09:00 Berlin (CET) are the same instant.
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.subscribe(chat('2'), { schedule: 'daily 09:00', timezone: 'Europe/Berlin', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    const slot = Date.parse('2025-01-01T08:00:00Z');
    // The same run delivered again (a duplicate fire), and an owner broadcast on top.
    expect(await h.scheduler.fire('0 8 * * *', 'UTC', slot)).toBe(0);
    expect(await h.scheduler.fire('0 9 * * *', 'Europe/Berlin', slot + 60_000)).toBe(0);
    expect(await h.scheduler.catchUp()).toBe(0);
    await h.service.broadcast('20250101', { by: BY });
    await settle(h.service);
    for (const id of ['1', '2']) expect(h.port.delivered(id)).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    expect(h.port.sends).toHaveLength(6);
  });

  it('GIVEN PUBLISH_ON_ARRIVAL THEN a new issue goes to every active chat at once; an older issue than a chat has is never sent', async () => {
    useFakeTime('2025-01-05T07:00:00Z');
    h = makeHarness({ publishOnArrival: true });
    await h.service.subscribe(chat('1'), { schedule: 'off', by: BY });
    await h.service.subscribe(chat('2'), { by: BY });
    await h.service.subscribe(chat('3'), { by: BY });
    await h.store.subscriptions.pause('telegram', '3', 'blocked', Date.now());
    await h.service.start();
    h.feed.add('20250105');
    await settle(h.service);
    expect(h.port.delivered('1')).toEqual(['20250105#0', '20250105#1', '20250105#2']);
    expect(h.port.delivered('2')).toHaveLength(3);
    expect(h.port.delivered('3')).toHaveLength(0);
    h.feed.add('20250104');
    await settle(h.service);
    expect(h.port.sends).toHaveLength(6);
  });

  it('GIVEN PUBLISH_ON_ARRIVAL off THEN a new issue waits for the schedule', async () => {
    useFakeTime('2025-01-05T07:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.start();
    h.feed.add('20250105');
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(h.port.sends).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(HOUR);
    await settle(h.service);
    expect(h.port.delivered('1')).toEqual(['20250105#0', '20250105#1', '20250105#2']);
  });
});
