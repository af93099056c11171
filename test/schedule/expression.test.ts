import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatRunTime, latestRunBetween, nextRuns, parseDay, parseSchedule } from '../../src/schedule/expression.js';
import { canonicalTimeZone } from '../../src/schedule/timezone.js';

describe('parseSchedule', () => {
  it.each([
    ['daily 08:00', '0 8 * * *'],
    ['daily 8:05', '5 8 * * *'],
    ['DAILY 23:59', '59 23 * * *'],
    ['daily 7：30', '30 7 * * *'],
    ['weekly mon 08:00', '0 8 * * 1'],
    ['weekly Sunday 9:00', '0 9 * * 0'],
    ['weekly 周一 08:30', '30 8 * * 1'],
    ['weekly 星期日 08:30', '30 8 * * 0'],
    ['weekly 周天 08:30', '30 8 * * 0'],
    ['weekly 礼拜五 18:00', '0 18 * * 5'],
    ['weekly 7 06:00', '0 6 * * 0'],
    ['0 8 * * *', '0 8 * * *'],
    ['  0   8 * *   MON-FRI ', '0 8 * * mon-fri'],
    ['*/30 6-22 * * *', '*/30 6-22 * * *'],
  ])('GIVEN %j THEN it becomes the cron %j', (input, cron) => {
    expect(parseSchedule(input)).toEqual({ ok: true, cron });
  });

  it('GIVEN "off" THEN the schedule is off (null)', () => {
    expect(parseSchedule(' OFF ')).toEqual({ ok: true, cron: null });
  });

  it.each([
    ['', 'empty'],
    ['daily', 'time'],
    ['daily 24:00', 'time'],
    ['daily 8', 'time'],
    ['weekly funday 08:00', 'day'],
    ['weekly mon', 'day'],
    ['weekly mon 8:60', 'time'],
    ['every morning', 'cron'],
    ['0 25 * * *', 'cron'],
    ['0 0 8 * * *', 'cron'],
    ['@daily', 'cron'],
    ['0 8 * * * ; rm', 'cron'],
  ])('GIVEN %j THEN it is rejected as a %s problem', (input, problem) => {
    const result = parseSchedule(input);
    expect(result).toMatchObject({ ok: false, problem });
    expect(result.ok === false && result.detail.length > 0).toBe(true);
  });

  it('GIVEN day names THEN English and Chinese spellings map to cron weekdays', () => {
    expect(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map(parseDay)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(['周日', '周一', '周二', '周三', '周四', '周五', '周六'].map(parseDay)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(['星期一', '星期天', 'Friday', 'x', '周八'].map(parseDay)).toEqual([1, 0, 5, null, null]);
  });
});

describe('run times', () => {
  afterEach(() => vi.useRealTimers());

  it('GIVEN 02:30 Europe/Berlin on the eve of spring-forward THEN the next three runs include 03:00 CEST on the day without 02:30', () => {
    vi.useFakeTimers({ now: Date.parse('2025-03-29T12:00:00Z'), toFake: ['Date'] });
    expect(nextRuns('30 2 * * *', 'Europe/Berlin', 3).map((t) => new Date(t).toISOString())).toEqual([
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T00:30:00.000Z',
      '2025-04-01T00:30:00.000Z',
    ]);
    // A schedule at 03:00 runs once that morning, not twice.
    expect(nextRuns('0 2,3 * * *', 'Europe/Berlin', 2).map((t) => new Date(t).toISOString())).toEqual(['2025-03-30T01:00:00.000Z', '2025-03-31T00:00:00.000Z']);
  });

  it('GIVEN daily 08:00 Asia/Shanghai THEN the next three runs are 00:00Z on consecutive days', () => {
    vi.useFakeTimers({ now: Date.parse('2025-06-01T01:00:00Z'), toFake: ['Date'] });
    expect(nextRuns('0 8 * * *', 'Asia/Shanghai', 3).map((t) => new Date(t).toISOString())).toEqual([
      '2025-06-02T00:00:00.000Z',
      '2025-06-03T00:00:00.000Z',
      '2025-06-04T00:00:00.000Z',
    ]);
  });

  it('GIVEN a window THEN latestRunBetween finds the last run in it, in local time, or null', () => {
    const until = Date.parse('2025-03-31T12:00:00Z');
    expect(latestRunBetween('0 8 * * *', 'Europe/Berlin', until - 24 * 3_600_000, until)).toBe(Date.parse('2025-03-31T06:00:00Z'));
    expect(latestRunBetween('0 8 * * *', 'Europe/Berlin', Date.parse('2025-03-31T06:00:00Z'), until)).toBeNull();
    expect(latestRunBetween('0 8 * * 1', 'UTC', until - 3_600_000, until)).toBeNull();
  });

  it('GIVEN a run time THEN it is shown in the chat zone and language', () => {
    const t = Date.parse('2025-03-31T06:00:00Z');
    expect(formatRunTime(t, 'Europe/Berlin', 'en')).toBe('2025-03-31 Mon 08:00 GMT+2');
    expect(formatRunTime(t, 'Asia/Shanghai', 'zh')).toBe('2025-03-31 周一 14:00 GMT+8');
  });

  it('GIVEN time zone spellings THEN valid ones are made canonical and unknown ones rejected', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone(' europe/berlin ')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
