/**
 * Which issue a run sends: the latest dated on or before the run's day in the schedule's zone,
 * unless the chat has it or a newer one. Real node-cron and SQLite, on vitest's fake clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRef } from '../../src/platform.js';
import { makeHarness, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';
import { FakeIssueFeed } from '../fakes/issue-feed.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const BY = 'telegram:1';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A file named with a mistyped year: 2062 for 2026. */
const TYPO = '20621120';

/** The issues queued for a chat, in order (one entry per issue). */
async function issuesOf(h: Harness, chatId: string): Promise<string[]> {
  return (await h.store.parts
    .forChat('telegram', chatId))
    .filter((r) => r.partIndex === 0)
    .sort((a, b) => a.id - b.id)
    .map((r) => r.issueId);
}

describe('scheduler: what a run owes a chat', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN an issue with a mistyped future id WHEN daily runs go by THEN each day gets its own issue and the future one is never sent', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20241231', '20250101', TYPO]) });
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    h.feed.add('20250102');
    await vi.advanceTimersByTimeAsync(DAY);
    h.feed.add('20250103');
    await vi.advanceTimersByTimeAsync(DAY);
    await settle(h.service);
    expect(await issuesOf(h, '1')).toEqual(['20250101', '20250102', '20250103']);
    expect(h.port.sends.filter((s) => s.message.issueId === TYPO)).toEqual([]);
  });

  it('GIVEN a chat that already received the mistyped future issue (broadcast) THEN later scheduled issues still go out', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20250101', TYPO]) });
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.start();
    await h.service.broadcast(TYPO, { by: BY });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    h.feed.add('20250102');
    await vi.advanceTimersByTimeAsync(DAY);
    await settle(h.service);
    expect(await issuesOf(h, '1')).toEqual([TYPO, '20250101', '20250102']);
  });

  it("GIVEN an issue dated 2025-01-02 WHEN two chats' runs fall at 20:00Z on Jan 1 THEN Shanghai (already the 2nd) gets it and UTC (still the 1st) gets the 1st's", async () => {
    useFakeTime('2025-01-01T19:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20250101', '20250102']) });
    await h.service.subscribe(chat('sh'), { schedule: 'daily 04:00', timezone: 'Asia/Shanghai', by: BY });
    await h.service.subscribe(chat('utc'), { schedule: 'daily 20:00', timezone: 'UTC', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(await issuesOf(h, 'sh')).toEqual(['20250102']);
    expect(await issuesOf(h, 'utc')).toEqual(['20250101']);
    // The UTC chat's next run, on the 2nd, brings the 2nd's issue.
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await issuesOf(h, 'utc')).toEqual(['20250101', '20250102']);
  });

  it('GIVEN a chat that has the newest issue WHEN that file goes away THEN runs do not fall back to an older issue it never had', async () => {
    useFakeTime('2025-01-05T07:00:00Z');
    const feed = new FakeIssueFeed(['20250104']);
    h = makeHarness({ feed });
    await h.service.subscribe(chat('1'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.service.start();
    await h.service.deliverNow(feed.add('20250105').id, chat('1'));
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(await issuesOf(h, '1')).toEqual(['20250105']);
    feed.remove('20250105');
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await issuesOf(h, '1')).toEqual(['20250105']);
  });

  it('GIVEN PUBLISH_ON_ARRIVAL WHEN a file with a mistyped future date arrives THEN it is not published, and the next real issue is', async () => {
    useFakeTime('2025-01-05T07:00:00Z');
    h = makeHarness({ publishOnArrival: true });
    await h.service.subscribe(chat('1'), { schedule: 'off', by: BY });
    await h.service.start();
    h.feed.add(TYPO);
    await settle(h.service);
    expect(await issuesOf(h, '1')).toEqual([]);
    h.feed.add('20250105');
    await settle(h.service);
    expect(await issuesOf(h, '1')).toEqual(['20250105']);
  });
});
