/**
 * DST edges with the real node-cron on vitest's fake clock: a run whose wall time a spring-forward
 * skips happens at the first minute after the gap, and a wall time shown twice (fall back) is one run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRef } from '../../src/platform.js';
import { latestRunBetween } from '../../src/schedule/expression.js';
import { makeHarness, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';
import { FakeIssueFeed } from '../fakes/issue-feed.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const BY = 'telegram:1';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

/** [issue id, when it was queued (ISO)] for each issue queued for a chat, in order. */
async function queued(h: Harness, chatId: string): Promise<Array<[string, string]>> {
  return (await h.store.parts
    .forChat('telegram', chatId))
    .filter((r) => r.partIndex === 0)
    .sort((a, b) => a.id - b.id)
    .map((r) => [r.issueId, new Date(r.createdAt).toISOString()]);
}

describe('scheduler across DST changes (real node-cron, fake clock)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN weekly Sunday 02:15 Europe/Berlin WHEN the clocks jump 02:00→03:00 that Sunday THEN the run happens once, at 03:00 CEST (01:00Z)', async () => {
    useFakeTime('2025-03-29T12:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20250329']) });
    await h.service.subscribe(chat('1'), { schedule: 'weekly sun 02:15', timezone: 'Europe/Berlin', by: BY });
    await h.service.start();
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await queued(h, '1')).toEqual([['20250329', '2025-03-30T01:00:00.000Z']]);
    // The next Sunday is an ordinary one: 02:15 CEST.
    h.feed.add('20250405');
    await vi.advanceTimersByTimeAsync(7 * DAY);
    expect((await queued(h, '1')).map(([, t]) => t)).toEqual(['2025-03-30T01:00:00.000Z', '2025-04-06T00:15:00.000Z']);
  });

  it('GIVEN 02:30 Europe/Berlin and the bot down across the spring-forward gap THEN at start catch-up delivers the skipped run', async () => {
    useFakeTime('2025-03-29T12:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20250330']) });
    await h.service.subscribe(chat('1'), { schedule: '30 2 * * *', timezone: 'Europe/Berlin', by: BY });
    await h.service.stop();
    vi.setSystemTime(at('2025-03-30T01:20:00Z'));
    await h.restart();
    await h.service.start();
    await settle(h.service);
    expect(await queued(h, '1')).toEqual([['20250330', '2025-03-30T01:20:00.000Z']]);
    expect(h.port.delivered('1')).toEqual(['20250330#0', '20250330#1', '20250330#2']);
  });

  it('GIVEN 02:30 Europe/Berlin on the fall-back night WHEN the first 02:30 was caught up at a restart and a new issue arrives before the second 02:30 THEN the second 02:30 posts nothing; the new issue waits for the next day', async () => {
    useFakeTime('2025-10-26T00:00:00Z');
    h = makeHarness({ feed: new FakeIssueFeed(['20251025']) });
    await h.service.subscribe(chat('1'), { schedule: '30 2 * * *', timezone: 'Europe/Berlin', by: BY });
    await h.service.stop();
    // Down over 02:30 CEST (00:30Z); back at 02:00 CET (01:00Z), before 02:30 CET (01:30Z).
    vi.setSystemTime(at('2025-10-26T01:00:00Z'));
    await h.restart();
    await h.service.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(await queued(h, '1')).toEqual([['20251025', '2025-10-26T01:00:00.000Z']]);
    h.feed.add('20251026');
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(await queued(h, '1')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(await queued(h, '1')).toEqual([
      ['20251025', '2025-10-26T01:00:00.000Z'],
      ['20251026', '2025-10-27T01:30:00.000Z'],
    ]);
  });

  it('GIVEN every 30 minutes in Europe/Berlin across the fall-back hour THEN each wall time runs once (node-cron picks the second instant; the gap watcher adds nothing)', async () => {
    useFakeTime('2025-10-25T23:50:00Z');
    let n = 0;
    h = makeHarness({ feed: new FakeIssueFeed([]) });
    await h.service.subscribe(chat('1'), { schedule: '*/30 * * * *', timezone: 'Europe/Berlin', by: BY });
    await h.service.start();
    // A new issue before every half hour, so any run that fires has something to post.
    for (let i = 0; i < 6; i++) {
      h.feed.add(`2025-10-${String(++n).padStart(2, '0')}`.replace(/-/g, ''));
      await vi.advanceTimersByTimeAsync(30 * MINUTE);
    }
    // node-cron fires a repeated wall time at its second instant (CET): 02:00 and 02:30 CET, then 03:00 and 03:30.
    expect((await queued(h, '1')).map(([, t]) => t)).toEqual([
      '2025-10-26T01:00:00.000Z',
      '2025-10-26T01:30:00.000Z',
      '2025-10-26T02:00:00.000Z',
      '2025-10-26T02:30:00.000Z',
    ]);
  });

  it('GIVEN a window holding a skipped or a repeated wall time THEN latestRunBetween names the run at its first valid instant', () => {
    const berlin = (from: string, to: string, cron = '30 2 * * *') => latestRunBetween(cron, 'Europe/Berlin', at(from), at(to));
    expect(berlin('2025-03-29T12:00:00Z', '2025-03-30T03:00:00Z')).toBe(at('2025-03-30T01:00:00Z'));
    expect(berlin('2025-03-29T12:00:00Z', '2025-03-30T00:59:00Z')).toBeNull();
    expect(berlin('2025-10-25T12:00:00Z', '2025-10-26T03:00:00Z')).toBe(at('2025-10-26T00:30:00Z'));
    // Lord Howe skips 02:00-02:30 (half-hour DST), ending 15:30Z on 2025-10-04.
    expect(latestRunBetween('15 2 * * *', 'Australia/Lord_Howe', at('2025-10-04T00:00:00Z'), at('2025-10-04T20:00:00Z'))).toBe(at('2025-10-04T15:30:00Z'));
  });
});
