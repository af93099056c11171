/**
 * Which issue a file is: its id ("YYYYMMDD") and date ("YYYY-MM-DD").
 * Front matter `id` wins, then the 8-digit date in the file name, then front matter `date`,
 * then a date in the first heading. The file name wins over dates written in the text
 * ("AI 简报20201030.md" says "本期为 AI 简报 20201023 期" inside).
 */
import { basename } from 'node:path';
import type { Issue } from './model.js';

/** "20210814" when it is a real calendar date, else null. */
export function normaliseId(text: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return valid && Number(y) >= 1970 ? `${y}${mo}${d}` : null;
}

/** "20210814" → "2021-08-14". */
export function idToDate(id: string): string {
  return `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}`;
}

/** The last valid 8-digit date in a file name ("AI简报20210814.md" → "20210814"). */
export function idFromFileName(file: string): string | null {
  const runs = basename(file).match(/(?<!\d)\d{8}(?!\d)/g) ?? [];
  for (let i = runs.length - 1; i >= 0; i--) {
    const id = normaliseId(runs[i] as string);
    if (id) return id;
  }
  return null;
}

/** A date written in a heading: "2026-05-21", "2026.08.22", "2026年8月2日", "20210814". */
export function idFromText(text: string): string | null {
  const m = /(20\d{2}|19\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})/.exec(text);
  if (m) return normaliseId(`${m[1]}${(m[2] as string).padStart(2, '0')}${(m[3] as string).padStart(2, '0')}`);
  const compact = /(?<!\d)(\d{8})(?!\d)/.exec(text);
  return compact ? normaliseId(compact[1] as string) : null;
}

/** The file name without folder and extension, as a last-resort title. */
export function titleFromFileName(file: string): string {
  return basename(file).replace(/\.(?:md|markdown)$/i, '');
}

/** The Issue of a file that could not be parsed: no sections, one problem saying why. */
export function unreadableIssue(file: string, reason: string): Issue {
  const id = idFromFileName(file);
  return { id: id ?? '', date: id ? idToDate(id) : '', title: titleFromFileName(file), intro: '', sections: [], file, problems: [{ file, message: reason }] };
}
