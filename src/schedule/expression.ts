/**
 * Schedules as admins type them — `cron`, `daily HH:MM`, `weekly <day> HH:MM`, `off` — normalised to
 * a 5-field cron, and run times computed by node-cron itself (its DST-aware matcher), so what we
 * show is what node-cron will do.
 */
import { createTask, validateDetailed, type ScheduledTask } from 'node-cron';
import { firstInstantOfWallTime, gapEndingAt, MINUTE, wallTime } from './wall-time.js';

/** Why a schedule was rejected; `detail` is English, for logs and the English reply. */
export type ScheduleParse =
  | { ok: true; /** Normalised 5-field cron, or null for `off`. */ cron: string | null }
  | { ok: false; input: string; problem: 'empty' | 'time' | 'day' | 'cron'; detail: string };

const DAYS: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
};
const ZH_DAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

/** A weekday name in English or Chinese (mon, Monday, 周一, 星期一, 礼拜一), or 0-7; null when unknown. */
export function parseDay(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^[0-7]$/.test(t)) return Number(t) % 7;
  if (t in DAYS) return DAYS[t] as number;
  const zh = /^(?:周|星期|礼拜)([日天一二三四五六])$/.exec(t);
  return zh ? (ZH_DAYS[zh[1] as string] as number) : null;
}

/** "8:00", "08:30", "8：30" (full-width colon) → minutes and hours; null when not a valid time. */
function parseTime(text: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** Parses a schedule as typed by an admin or set in DEFAULT_SCHEDULE. */
export function parseSchedule(text: string): ScheduleParse {
  const input = text.trim();
  const words = input.split(/\s+/).filter(Boolean);
  const head = (words[0] ?? '').toLowerCase();
  const fail = (problem: 'empty' | 'time' | 'day' | 'cron', detail: string): ScheduleParse => ({ ok: false, input, problem, detail });
  if (words.length === 0) return fail('empty', 'the schedule is empty');
  if (head === 'off' && words.length === 1) return { ok: true, cron: null };
  if (head === 'daily') {
    const time = words.length === 2 ? parseTime(words[1] as string) : null;
    return time ? { ok: true, cron: `${time.minute} ${time.hour} * * *` } : fail('time', 'expected "daily HH:MM" with a time from 00:00 to 23:59');
  }
  if (head === 'weekly') {
    if (words.length !== 3) return fail('day', 'expected "weekly <day> HH:MM"');
    const day = parseDay(words[1] as string);
    if (day === null) return fail('day', `"${words[1]}" is not a day (mon…sun, 周一…周日)`);
    const time = parseTime(words[2] as string);
    return time ? { ok: true, cron: `${time.minute} ${time.hour} * * ${day}` } : fail('time', 'expected a time from 00:00 to 23:59');
  }
  if (words.length === 6) return fail('cron', 'a seconds field is not supported: use 5 fields (minute hour day month weekday)');
  if (words.length !== 5) return fail('cron', `a cron expression has 5 fields (minute hour day month weekday), got ${words.length}`);
  const cron = words.join(' ').toLowerCase();
  const check = validateDetailed(cron);
  if (!check.valid) return fail('cron', check.errors.map((e) => e.message).join('; '));
  return { ok: true, cron };
}

/** Runs `fn` with a throwaway node-cron task (created stopped, destroyed after). */
function withTask<T>(cron: string, timezone: string, fn: (task: ScheduledTask) => T): T {
  const task = createTask(cron, () => undefined, { timezone, name: `newsbot-probe:${cron}@${timezone}` });
  try {
    return fn(task);
  } finally {
    void task.destroy();
  }
}

/**
 * The next `count` run times (epoch ms) after now: node-cron's own `getNextRuns`, plus the runs a
 * spring-forward gap moves to its end (which node-cron leaves out). "Now" is the global Date, as
 * for node-cron's timers (vitest fake timers move both); node-cron offers no way to start from
 * another instant.
 */
export function nextRuns(cron: string, timezone: string, count: number): number[] {
  const runs = withTask(cron, timezone, (task) => task.getNextRuns(count).map((d) => d.getTime()));
  const last = runs.at(-1);
  if (last === undefined) return runs;
  // A year covers every DST change; rarer schedules (yearly) only lose a moved run from the list.
  const moved = gapEndsBetween(timezone, Date.now(), Math.min(last, Date.now() + 400 * 86_400_000)).filter((t) => skippedRunEndsAt(cron, timezone, t));
  return [...new Set([...runs, ...moved])].sort((a, b) => a - b).slice(0, count);
}

const SAMPLE = 6 * 3_600_000;

/** The ends of spring-forward gaps in (from, to]: offsets sampled every 6 h, then the minute found by bisection. */
function gapEndsBetween(timezone: string, from: number, to: number): number[] {
  const offset = (t: number) => wallTime(t, timezone) - t;
  const ends: number[] = [];
  let t = Math.floor(from / MINUTE) * MINUTE;
  let before = offset(t);
  for (; t < to; t += SAMPLE) {
    const after = offset(t + SAMPLE);
    if (after > before) {
      let lo = t;
      let hi = t + SAMPLE;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offset(mid) === before) lo = mid;
        else hi = mid;
      }
      if (hi > from && hi <= to) ends.push(hi);
    }
    before = after;
  }
  return ends;
}

/**
 * True when `ms` ends a spring-forward gap that skipped a wall time the schedule names (02:30 on
 * the night Europe/Berlin jumps from 02:00 to 03:00). node-cron never fires such a run; we owe it
 * at the first minute after the gap. The skipped wall times are matched as UTC instants with the
 * same fields, which node-cron's matcher reads exactly as the local ones.
 */
export function skippedRunEndsAt(cron: string, timezone: string, ms: number): boolean {
  const gap = gapEndingAt(ms, timezone);
  return gap !== null && namesWallTimeIn(cron, gap.from, gap.to);
}

/** True when the schedule names a wall time in [from, to) (UTC-coded wall times). */
function namesWallTimeIn(cron: string, from: number, to: number): boolean {
  return withTask(cron, 'UTC', (task) => {
    for (let wall = from; wall < to; wall += MINUTE) if (task.match(new Date(wall))) return true;
    return false;
  });
}

/**
 * The latest run in (after, until], or null: a minute that matches, or that ends a gap which
 * skipped a match. A wall time shown twice (fall back) is one run, named by its first instant.
 * node-cron can only look forward from now, so this walks back minute by minute with its public
 * `match` (exact across DST: an instant matches when its local wall time does). Callers bound the
 * window (CATCHUP_MAX_AGE), so the walk is short.
 */
export function latestRunBetween(cron: string, timezone: string, after: number, until: number): number | null {
  return withTask(cron, timezone, (task) => {
    let t = Math.floor(until / MINUTE) * MINUTE;
    let wall = wallTime(t, timezone);
    for (; t > after; t -= MINUTE) {
      const before = wallTime(t - MINUTE, timezone);
      const skipped = wall - before > MINUTE && namesWallTimeIn(cron, before + MINUTE, wall);
      if (skipped || task.match(new Date(t))) return firstInstantOfWallTime(t, timezone);
      wall = before;
    }
    return null;
  });
}

/** A run time as the chat reads it, in its zone: "2025-03-31 Mon 08:00 GMT+2" / "2025-03-31 周一 08:00 GMT+8". */
export function formatRunTime(ms: number, timezone: string, language: 'zh' | 'en'): string {
  const parts = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('weekday')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}
