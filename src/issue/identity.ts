/**
 * Which issue a file is: an issue NUMBER, a DATE, or both, and the id formed from them.
 *
 * Sources, strongest first: front matter (or a `Key: Value` header block), then the file name
 * (or, for `index.md`, its folder's name), then the first heading. The id is the number when
 * there is one ("375"), else the date as "YYYYMMDD" (so AI 简报 ids are unchanged); a number read
 * only from the title does not displace a date from the name or front matter (`issue-key.ts`). The forms
 * each source accepts are in `numberFromText`, `dateFromName` and `dateFromText`.
 */
import { basename, dirname } from 'node:path';
import type { Issue } from './model.js';

/** What one source says about an issue; either part may be missing. */
export interface IssueKey {
  number: number | null;
  /** "YYYYMMDD". */
  date: string | null;
}

/** Issue numbers above this are not numbers but something else (a timestamp, a phone number). */
export const MAX_ISSUE_NUMBER = 999_999;

/** The forms a file name may take, as shown to an operator whose file could not be identified. */
export const ACCEPTED_NAME_FORMS = [
  'YYYYMMDD',
  'YYYY-MM-DD',
  'YYYY.MM.DD',
  'YYYY_MM_DD',
  'YYYYMMDD-YYYYMMDD (a range: its last day)',
  '#375',
  'issue-300',
  'No.12',
  'vol-7',
  'weekly124',
  '<number or date>/index.md',
];

/** "20210814" when it is a real calendar date, else null. */
export function normaliseId(text: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  return calendarId(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** "YYYYMMDD" of a real calendar day from 1970 on, else null. */
export function calendarId(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid || year < 1970) return null;
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

/** "20210814" → "2021-08-14". */
export function idToDate(id: string): string {
  return `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}`;
}

/** The id of an issue with this key: the number when there is one, else the date; null with neither. */
export function issueIdOf(key: IssueKey): string | null {
  return key.number !== null ? String(key.number) : key.date;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DMY_WORDS = new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_WORD},?\\s+(\\d{4})(?!\\d)`, 'i');
const MDY_WORDS = new RegExp(`\\b${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'i');

function monthIndex(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

/**
 * The first date written in text: "2026-05-21", "2026.08.22", "2026/8/2", "2026_08_22",
 * "2026年8月2日", "20210814", "July 20, 2026", "20 July 2026", "Jul. 20 2026".
 */
export function dateFromText(text: string): string | null {
  const m = /(?<!\d)((?:19|20)\d{2})\s*[-./_年]\s*(\d{1,2})\s*[-./_月]\s*(\d{1,2})(?!\d)/.exec(text);
  if (m) {
    const id = calendarId(Number(m[1]), Number(m[2]), Number(m[3]));
    if (id) return id;
  }
  const mdy = MDY_WORDS.exec(text);
  if (mdy) {
    const id = calendarId(Number(mdy[3]), monthIndex(mdy[1] as string), Number(mdy[2]));
    if (id) return id;
  }
  const dmy = DMY_WORDS.exec(text);
  if (dmy) {
    const id = calendarId(Number(dmy[3]), monthIndex(dmy[2] as string), Number(dmy[1]));
    if (id) return id;
  }
  const compact = /(?<!\d)(\d{8})(?!\d)/.exec(text);
  return compact ? normaliseId(compact[1] as string) : null;
}

/** Kept for callers that read a date from a heading: the date as "YYYYMMDD". */
export const idFromText = dateFromText;

/** Spellings that mark a number as the issue's: "第 300 期", "#375", "Issue 42", "No. 12", "Vol. 3", "Newsletter #419". */
const NUMBER_FORMS = [
  /第\s*(\d{1,6})\s*[期号號刊]/,
  /(?:^|[^\w&])#\s?(\d{1,6})(?!\d)/,
  /\b(?:issue|newsletter|edition|episode|weekly|digest)[\s_-]*(?:no\.?\s*|#\s*)?(\d{1,6})(?!\d)/i,
  /\bno\.?[\s_-]*(\d{1,6})(?!\d)/i,
  /\bvol(?:ume)?\.?[\s_-]*(\d{1,6})(?!\d)/i,
];

/** The issue number a heading or title names, or null. Dates are removed first, so "2026-07-20" is never "#20". */
export function numberFromText(text: string): number | null {
  const undated = withoutDates(text);
  for (const form of NUMBER_FORMS) {
    const m = form.exec(undated);
    if (m) return toNumber(m[1] as string);
  }
  return null;
}

function toNumber(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n <= MAX_ISSUE_NUMBER ? n : null;
}

function withoutDates(text: string): string {
  return text.replace(/(?<!\d)(?:19|20)\d{2}\s*[-./_年]\s*\d{1,2}\s*[-./_月]\s*\d{1,2}(?:\s*日)?(?!\d)/g, ' ').replace(/(?<!\d)\d{8}(?!\d)/g, ' ');
}

/** One separator, the same twice, or none: "2026.07.20", never "1000-19" + "90". */
const DATE_IN_NAME = /(?<!\d)(\d{4})([-._]?)(\d{2})\2(\d{2})(?!\d)/g;

/** The dates in a file name: "YYYYMMDD", "YYYY-MM-DD", "YYYY.MM.DD", "YYYY_MM_DD"; for a range, both ends. */
function datesInName(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(DATE_IN_NAME)) {
    const id = calendarId(Number(m[1]), Number(m[3]), Number(m[4]));
    if (id) out.push(id);
  }
  return out;
}

/**
 * The number and date a file name gives. A date range ("20231119-20231125") is dated by its LAST
 * day: the issue is complete, and sent, once that day has passed. `index.md` (or `_index.md`,
 * `README.md`) takes its folder's name ("300/index.md", "2024-05-17/index.md").
 */
export function keyFromFileName(file: string): IssueKey {
  let name = basename(file).replace(/\.(?:md|markdown)$/i, '');
  if (/^_?index$|^readme$/i.test(name)) name = basename(dirname(file));
  const dates = datesInName(name);
  const date = dates[dates.length - 1] ?? null;
  // Dates out first: "#375-2026.07.20" → "#375-", "2026-08-21-newsletter" → "-newsletter".
  const rest = name.replace(DATE_IN_NAME, (m, y: string, _sep: string, mo: string, d: string) => (calendarId(Number(y), Number(mo), Number(d)) ? ' ' : m));
  let number = numberFromText(rest);
  if (number === null) {
    // A name that is a number ("300"), or a word then a number ("weekly124", "issue_300"): one digit run, at the end.
    const runs = rest.match(/\d+/g) ?? [];
    const m = /^[\p{L}\s_.-]*?(\d{1,6})$/u.exec(rest.trim());
    if (m && runs.length === 1) number = toNumber(m[1] as string);
  }
  if (number !== null && date === null && String(number).length === 8) return { number: null, date: normaliseId(String(number)) };
  return { number, date };
}

/** The date in a file name ("AI简报20210814.md" → "20210814"; a range → its last day). */
export function idFromFileName(file: string): string | null {
  return keyFromFileName(file).date;
}

/** What a heading or title says: its number and its date. */
export function keyFromText(text: string): IssueKey {
  return { number: numberFromText(text), date: dateFromText(text) };
}

/** A section title that names the newsletter and one day: "GoCN 每日新闻 (2021-04-19)". */
const DAY_SECTION = /^(.*?\S)\s*[（(]?\s*(\d{4}-\d{2}-\d{2})\s*[)）]?\s*$/u;

/**
 * A file of daily sections that all name the same newsletter ("GoCN 每日新闻 (2021-04-19)" …
 * "(2021-04-25)") is titled by that name and its first and last day; null for any other file.
 */
export function titleFromDaySections(sectionTitles: readonly string[]): string | null {
  if (sectionTitles.length === 0) return null;
  const days = sectionTitles.map((t) => DAY_SECTION.exec(t));
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return null;
  const name = (m: RegExpExecArray) => (m[1] as string).replace(/\s+/gu, '').toLowerCase();
  if (!days.every((m) => m !== null && name(m) === name(first))) return null;
  return first[2] === last[2] ? `${first[1]} ${first[2]}` : `${first[1]} ${first[2]} – ${last[2]}`;
}

/** The file name without folder and extension, as a last-resort title. */
export function titleFromFileName(file: string): string {
  return basename(file).replace(/\.(?:md|markdown)$/i, '');
}

/** The Issue of a file that could not be parsed: no sections, one problem saying why. */
export function unreadableIssue(file: string, reason: string): Issue {
  const key = keyFromFileName(file);
  const id = issueIdOf(key);
  const issue: Issue = { id: id ?? '', date: key.date ? idToDate(key.date) : '', title: titleFromFileName(file), intro: '', sections: [], file, problems: [{ file, message: reason }] };
  if (key.number !== null) issue.number = key.number;
  return issue;
}
