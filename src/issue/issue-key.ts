/**
 * Settles an issue's number and date from its sources, strongest first: front matter (or header
 * block), file name, then the title text (front matter title, else the first heading). A weaker
 * source only fills what the stronger ones leave open; where two disagree, the stronger wins and
 * the disagreement is a finding, so an operator sees it rather than a silently wrong issue.
 */
import type { FrontMatter } from './front-matter.js';
import type { Findings } from './findings.js';
import { ACCEPTED_NAME_FORMS, idToDate, issueIdOf, keyFromFileName, keyFromText, normaliseId, numberFromText, type IssueKey } from './identity.js';

export interface SettledKey {
  id: string | null;
  number: number | null;
  /** "YYYY-MM-DD". */
  date: string | null;
}

interface Source {
  name: string;
  key: IssueKey;
}

/** The key front matter gives: `number`/`issue`/`no`, `date`, and `id` as either. */
function frontMatterKey(fm: FrontMatter, findings: Findings): IssueKey & { id: string | null } {
  const key: IssueKey & { id: string | null } = { number: null, date: null, id: null };
  if (fm.number !== undefined) {
    key.number = parseNumber(fm.number);
    if (key.number === null) findings.add(1, `front matter number "${fm.number}" is not an issue number; ignored`);
  }
  if (fm.date !== undefined) {
    key.date = normaliseId(fm.date) ?? keyFromText(fm.date).date;
    if (!key.date) findings.add(1, `front matter date "${fm.date}" is not a date (YYYY-MM-DD); ignored`);
  }
  if (fm.id !== undefined) {
    const asDate = normaliseId(fm.id);
    const asNumber = asDate ? null : parseNumber(fm.id);
    // An explicit id is the id, even beside a different date ("id: 20201009", "date: 2020-10-10").
    if (asDate) [key.id, key.date] = [asDate, key.date ?? asDate];
    else if (asNumber !== null) [key.id, key.number] = [String(asNumber), key.number ?? asNumber];
    else findings.add(1, `front matter id "${fm.id}" is neither a date (YYYYMMDD) nor an issue number; ignored`);
  }
  return key;
}

/** "300", "#300", "No. 300", "第300期". */
function parseNumber(text: string): number | null {
  const t = text.normalize('NFKC').trim();
  if (/^\d{1,6}$/.test(t)) return Number(t);
  return numberFromText(t);
}

/** Number and date from every source, with a finding for each disagreement; a finding when nothing identifies the file. */
export function settleKey(fm: FrontMatter, file: string, titleText: string | null, findings: Findings): SettledKey {
  const explicit = frontMatterKey(fm, findings);
  const sources: Source[] = [
    { name: 'front matter', key: explicit },
    { name: 'file name', key: keyFromFileName(file) },
  ];
  if (titleText) sources.push({ name: 'title', key: keyFromText(titleText) });
  const key: IssueKey = { number: null, date: null };
  let numberFrom = '';
  let dateFrom = '';
  for (const { name, key: k } of sources) {
    if (k.number !== null) {
      if (key.number === null) [key.number, numberFrom] = [k.number, name];
      else if (key.number !== k.number) findings.add(undefined, `issue number ${k.number} in the ${name} disagrees with ${key.number} in the ${numberFrom}; using ${key.number}`);
    }
    if (k.date !== null) {
      if (key.date === null) [key.date, dateFrom] = [k.date, name];
      else if (key.date !== k.date) {
        findings.add(undefined, `date ${idToDate(k.date)} in the ${name} disagrees with ${idToDate(key.date)} in the ${dateFrom}; using ${idToDate(key.date)}`);
      }
    }
  }
  // A number read only from the title never displaces a date from a stronger source as the id:
  // a date-named archive whose titles say "第 N 期" keeps its YYYYMMDD ids (delivery rows key on them).
  const id = explicit.id ?? (key.number !== null && numberFrom === 'title' && key.date !== null && dateFrom !== 'title' ? key.date : issueIdOf(key));
  if (!id) {
    findings.add(undefined, `no issue id: put a number or a date in the file name (${ACCEPTED_NAME_FORMS.join(', ')}), "number" or "date" in front matter, or start the file with a heading such as "# 第 300 期", "# Issue 42", "# #375 | 2026-07-20"`);
  }
  return { id, number: key.number, date: key.date ? idToDate(key.date) : null };
}
