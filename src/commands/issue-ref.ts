/**
 * Issue references as readers type them. Full-width digits and separators are folded first.
 * - A date: 20210814, 2021-08-14, 2021/8/14, 2021.8.14, 2021_08_14, 2021年8月14日, July 20, 2026, 20 Jul 2026.
 * - A number: #375, 第300期, No. 12, Issue 42, Vol. 3, or bare digits (300).
 * - A month and day: 0814 or 8/14 (the newest year that has an issue on that day).
 *
 * Ambiguity is settled one way: 8 digits are a date when they are a real calendar day; other bare
 * digits are an issue number when an issue has that number, else (4 digits such as 0814) a
 * month-day when they are one.
 */
import { calendarId, dateFromText, idToDate, MAX_ISSUE_NUMBER } from '../issue/identity.js';

/** What a reference names. A bare "0814" is a month-day that may also be issue number 814. */
export type IssueRef =
  | { kind: 'date'; id: string }
  | { kind: 'monthDay'; monthDay: string; number?: number }
  | { kind: 'number'; number: number };

/** What a reference is matched against: an issue's id, date ("YYYY-MM-DD" or "") and number. */
export interface IssueRefTarget {
  id: string;
  date: string;
  number?: number;
}

/** The longest reference worth parsing; anything longer is rejected before any work. */
export const MAX_ISSUE_REF_LENGTH = 40;

const FULL = /^(\d{4})(\d{2})(\d{2})$/;
const SEPARATED = /^(\d{4})\s*[-/._年]\s*(\d{1,2})\s*[-/._月]\s*(\d{1,2})\s*日?$/;
const MONTH_DAY = /^(\d{2})(\d{2})$/;
const MONTH_DAY_SEPARATED = /^(\d{1,2})[-/.](\d{1,2})$/;
const NUMBER = /^(?:#|第|no\.?|issue|vol(?:ume)?\.?|期)?\s*#?\s*(\d{1,6})\s*(?:期|号|號)?$/i;
const WORDY_DATE = /^[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}$|^\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** Parses a reference; null when it is no form we accept (or not a real calendar day). */
export function parseIssueRef(input: string): IssueRef | null {
  const text = input.normalize('NFKC').trim();
  if (text.length === 0 || text.length > MAX_ISSUE_REF_LENGTH) return null;
  const full = FULL.exec(text) ?? SEPARATED.exec(text);
  if (full) {
    const id = calendarId(Number(full[1]), Number(full[2]), Number(full[3]));
    if (id) return { kind: 'date', id };
    if (!FULL.test(text)) return null;
  }
  if (WORDY_DATE.test(text)) {
    const id = dateFromText(text);
    return id ? { kind: 'date', id } : null;
  }
  const md = MONTH_DAY.exec(text) ?? MONTH_DAY_SEPARATED.exec(text);
  if (md) {
    const [month, day] = [Number(md[1]), Number(md[2])];
    // 2000 is a leap year, so 0229 is accepted.
    if (calendarId(2000, month, day)) {
      const ref: IssueRef = { kind: 'monthDay', monthDay: `${pad(month)}${pad(day)}` };
      if (MONTH_DAY.test(text)) ref.number = Number(text);
      return ref;
    }
  }
  const n = NUMBER.exec(text);
  if (n) {
    const number = Number(n[1]);
    return number <= MAX_ISSUE_NUMBER ? { kind: 'number', number } : null;
  }
  return null;
}

/** A bare id as a target: "YYYYMMDD" is dated, digits are a number. */
function asTarget(t: string | IssueRefTarget): IssueRefTarget {
  if (typeof t !== 'string') return t;
  if (/^\d{8}$/.test(t)) return { id: t, date: idToDate(t) };
  return /^\d{1,6}$/.test(t) ? { id: t, date: '', number: Number(t) } : { id: t, date: '' };
}

const compact = (date: string) => date.replace(/-/g, '');

/**
 * The id of the issue a reference names among `targets` (issues, or bare ids), or null. A date
 * names the issue of that day; a month-day the newest year that has it; a number its issue.
 * Targets are in the library's order (oldest first), so the last match is the newest.
 */
export function matchIssueRef(ref: IssueRef, targets: readonly (string | IssueRefTarget)[]): string | null {
  const all = targets.map(asTarget);
  const last = (pick: (t: IssueRefTarget) => boolean): string | null => {
    let best: IssueRefTarget | null = null;
    for (const t of all) if (pick(t) && (best === null || compact(t.date) >= compact(best.date))) best = t;
    return best?.id ?? null;
  };
  if (ref.kind === 'number') return last((t) => t.number === ref.number);
  if (ref.kind === 'date') return last((t) => compact(t.date) === ref.id);
  if (ref.number !== undefined) {
    const byNumber = last((t) => t.number === ref.number);
    if (byNumber !== null) return byNumber;
  }
  return last((t) => t.date !== '' && compact(t.date).slice(4) === ref.monthDay);
}

/** Days since the epoch of a "YYYYMMDD" id. */
function dayNumber(id: string): number {
  return Date.UTC(Number(id.slice(0, 4)), Number(id.slice(4, 6)) - 1, Number(id.slice(6, 8))) / 86_400_000;
}

/**
 * The `count` ids closest to `ref`, oldest first: closest in time for a date (a month-day is
 * measured in the year of the newest issue, so "0815" finds this year's neighbours), closest in
 * number for a number.
 */
export function nearestIssueIds(ref: IssueRef, targets: readonly (string | IssueRefTarget)[], count = 3): string[] {
  const all = targets.map(asTarget);
  if (ref.kind === 'number') {
    const numbered = all.filter((t): t is IssueRefTarget & { number: number } => t.number !== undefined);
    return numbered
      .sort((a, b) => Math.abs(a.number - ref.number) - Math.abs(b.number - ref.number) || b.number - a.number)
      .slice(0, count)
      .sort((a, b) => a.number - b.number)
      .map((t) => t.id);
  }
  const dated = all.filter((t) => t.date !== '').map((t) => ({ id: t.id, day: compact(t.date) }));
  if (dated.length === 0) return [];
  const newest = dated.reduce((a, b) => (b.day > a.day ? b : a)).day;
  const target = dayNumber(ref.kind === 'date' ? ref.id : `${newest.slice(0, 4)}${ref.monthDay}`);
  return dated
    .sort((a, b) => Math.abs(dayNumber(a.day) - target) - Math.abs(dayNumber(b.day) - target) || (b.day < a.day ? -1 : 1))
    .slice(0, count)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map((t) => t.id);
}
