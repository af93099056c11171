/**
 * How an issue is named where a reader sees it (digest headers, item views, search hits, the
 * archive, Discord autocomplete): its date, with its number in front when it has one
 * ("第 300 期 · 2024-05-17"). An issue without a number reads as before: its date alone.
 */
import type { Issue } from '../issue/model.js';

export function issueLabel(issue: Pick<Issue, 'date' | 'number'>): string {
  if (issue.number === undefined) return issue.date;
  return issue.date ? `第 ${issue.number} 期 · ${issue.date}` : `第 ${issue.number} 期`;
}
