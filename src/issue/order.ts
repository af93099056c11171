/**
 * The one order of issues: by date, then by number, then by id. An archive of dated issues is in
 * date order, one of numbered issues without dates in number order ("99" before "375", which id
 * strings would get wrong). Scheduling, /latest, /broadcast and the archive all use this, never id strings.
 */
import type { Issue } from './model.js';

/** Negative when `a` comes before (is older than) `b`. */
export function compareIssues(a: Pick<Issue, 'date' | 'number' | 'id'>, b: Pick<Issue, 'date' | 'number' | 'id'>): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  const an = a.number ?? -1;
  const bn = b.number ?? -1;
  if (an !== bn) return an - bn;
  return compareIds(a.id, b.id);
}

/**
 * Order of bare ids, for records that hold only an id (delivery rows): shorter first, then by
 * text. Ids are "YYYYMMDD" dates or numbers without leading zeros, so within each kind this is
 * time order, and numbers (at most 6 digits) sort before dates.
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
