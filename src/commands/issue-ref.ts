/**
 * Issue references as readers type them: 20210814, 2021-08-14, 2021/8/14, 2021.8.14 or 0814
 * (the newest year that has an issue on that day). Full-width digits and separators are folded first.
 */

/** What a reference names: a full date, or a month and day of any year. */
export type IssueRef = { kind: 'date'; id: string } | { kind: 'monthDay'; monthDay: string };

/** The longest reference worth parsing; anything longer is rejected before any work. */
export const MAX_ISSUE_REF_LENGTH = 40;

const FULL = /^(\d{4})(\d{2})(\d{2})$/;
const SEPARATED = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const MONTH_DAY = /^(\d{2})(\d{2})$/;
const MONTH_DAY_SEPARATED = /^(\d{1,2})[-/.](\d{1,2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Parses a reference; null when it is no date form we accept (or not a real calendar day). */
export function parseIssueRef(input: string): IssueRef | null {
  const text = input.normalize('NFKC').trim();
  if (text.length === 0 || text.length > MAX_ISSUE_REF_LENGTH) return null;
  const full = FULL.exec(text) ?? SEPARATED.exec(text);
  if (full) {
    const [year, month, day] = [Number(full[1]), Number(full[2]), Number(full[3])];
    return isCalendarDate(year, month, day) ? { kind: 'date', id: `${year}${pad(month)}${pad(day)}` } : null;
  }
  const md = MONTH_DAY.exec(text) ?? MONTH_DAY_SEPARATED.exec(text);
  if (md) {
    const [month, day] = [Number(md[1]), Number(md[2])];
    // 2000 is a leap year, so 0229 is accepted.
    return isCalendarDate(2000, month, day) ? { kind: 'monthDay', monthDay: `${pad(month)}${pad(day)}` } : null;
  }
  return null;
}

/** Days since the epoch of a "YYYYMMDD" id. */
function dayNumber(id: string): number {
  return Date.UTC(Number(id.slice(0, 4)), Number(id.slice(4, 6)) - 1, Number(id.slice(6, 8))) / 86_400_000;
}

/**
 * The issue id a reference names among `ids` ("YYYYMMDD"), or null when none matches.
 * A month-day picks the newest year that has it.
 */
export function matchIssueRef(ref: IssueRef, ids: readonly string[]): string | null {
  if (ref.kind === 'date') return ids.includes(ref.id) ? ref.id : null;
  let best: string | null = null;
  for (const id of ids) if (id.slice(4) === ref.monthDay && (best === null || id > best)) best = id;
  return best;
}

/**
 * The `count` ids closest in time to `ref`, oldest first. For a month-day, distance is measured
 * to that day in the year of the newest issue, so "0815" finds this year's neighbours.
 */
export function nearestIssueIds(ref: IssueRef, ids: readonly string[], count = 3): string[] {
  if (ids.length === 0) return [];
  const newest = ids.reduce((a, b) => (b > a ? b : a));
  const target = dayNumber(ref.kind === 'date' ? ref.id : `${newest.slice(0, 4)}${ref.monthDay}`);
  return [...ids]
    .sort((a, b) => Math.abs(dayNumber(a) - target) - Math.abs(dayNumber(b) - target) || (b < a ? -1 : 1))
    .slice(0, count)
    .sort();
}
