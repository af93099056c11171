/**
 * Wall-clock time in a zone, for the two DST cases node-cron leaves to us: a run whose wall time
 * the zone skips (spring forward: node-cron never fires it) and a run whose wall time the zone
 * shows twice (fall back: both instants match). A wall time is written as the UTC instant with
 * the same fields, so minutes can be added and compared.
 */

export const MINUTE = 60_000;
/** Longer than any DST shift in the tz database (they are 30 min to 2 h). */
const LONGEST_SHIFT = 3 * 3_600_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timezone: string): Intl.DateTimeFormat {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timezone, f);
  }
  return f;
}

/** The wall time `timezone` shows at `ms`, to the minute, as a UTC-coded instant. */
export function wallTime(ms: number, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const p of format(timezone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
}

/** The calendar day in `timezone` at `ms`: "YYYY-MM-DD". */
export function localDate(ms: number, timezone: string): string {
  return new Date(wallTime(ms, timezone)).toISOString().slice(0, 10);
}

/**
 * When `ms` is the first minute after a spring-forward gap: the wall minutes the zone skipped,
 * [from, to) as UTC-coded wall times. Null at any other minute.
 */
export function gapEndingAt(ms: number, timezone: string): { from: number; to: number } | null {
  const t = Math.floor(ms / MINUTE) * MINUTE;
  const before = wallTime(t - MINUTE, timezone);
  const now = wallTime(t, timezone);
  return now - before > MINUTE ? { from: before + MINUTE, to: now } : null;
}

/**
 * The first instant showing the same wall minute as `ms`. It differs from `ms` only in the
 * repeated hour after a fall-back, where it names the first of the two: a run is identified by its
 * wall time, so the second match counts as the same run.
 */
export function firstInstantOfWallTime(ms: number, timezone: string): number {
  const t = Math.floor(ms / MINUTE) * MINUTE;
  const wall = wallTime(t, timezone);
  let first = t;
  // Shifts are whole quarter hours; look back one quarter at a time.
  for (let back = 15 * MINUTE; back <= LONGEST_SHIFT; back += 15 * MINUTE) {
    if (wallTime(t - back, timezone) === wall) first = t - back;
  }
  return first;
}
