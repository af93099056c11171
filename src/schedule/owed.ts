/**
 * What a run owes a chat, in one place for scheduled runs, catch-up and publish on arrival: the
 * latest issue dated on or before the run's day in the schedule's time zone, unless the chat
 * already has it or a newer one. Issues dated after that day wait for their day, so a file with a
 * mistyped future date (20621120) neither goes out early nor holds back the issues after it.
 */
import type { Issue } from '../issue/model.js';
import { compareIds, compareIssues } from '../issue/order.js';
import type { Parts, Subscription } from '../store/index.js';
import { localDate } from './wall-time.js';

/** Where issues come from: the parts of IssueLibrary the scheduler needs. */
export interface IssueFeed {
  latest(): Issue | null;
  /** Every issue, oldest first (by date, then id). */
  list(): readonly Issue[];
  get(ref: string): Issue | null;
  /** 'added': a new issue file appeared (not an edit of a known one). */
  on(event: 'added', listener: (issue: Issue) => void): unknown;
  off?(event: 'added', listener: (issue: Issue) => void): unknown;
}

/** A run's day in its zone, as issues spell dates ("YYYY-MM-DD") and ids ("YYYYMMDD"). */
export interface RunDay {
  date: string;
  id: string;
}

export function runDay(at: number, timezone: string): RunDay {
  const date = localDate(at, timezone);
  return { date, id: date.replace(/-/g, '') };
}

/** The latest issue dated on or before `day`, or null. */
export function issueForDay(issues: IssueFeed, day: RunDay): Issue | null {
  const latest = issues.latest();
  if (latest && latest.date <= day.date) return latest;
  const all = issues.list();
  for (let i = all.length - 1; i >= 0; i--) {
    const issue = all[i] as Issue;
    if (issue.date <= day.date) return issue;
  }
  return null;
}

/** What `owes` reads: a store or a transaction's handle. */
export interface OwedStore {
  readonly parts: Pick<Parts, 'hasIssue' | 'latestIssueUpTo'>;
}

/**
 * True when the chat has no row for `issue` and none for a newer one. "Newer" counts only ids up
 * to `day`: a row for a mistyped future id, sent before this rule, must not block later issues.
 */
export async function owes(store: OwedStore, sub: Subscription, issue: Issue, day: RunDay, issues?: IssueFeed): Promise<boolean> {
  if (await store.parts.hasIssue(sub.platform, sub.chatId, issue.id)) return false;
  if (issues && !/^\d{8}$/.test(issue.id)) return !(await hasNewer(store, sub, issue, day, issues));
  const newest = await store.parts.latestIssueUpTo(sub.platform, sub.chatId, day.id);
  return newest === null || compareIds(newest, issue.id) < 0;
}

/** A numbered issue: "newer" is the library's order (`compareIssues`), never the id strings ("99" < "375"). */
async function hasNewer(store: OwedStore, sub: Subscription, issue: Issue, day: RunDay, issues: IssueFeed): Promise<boolean> {
  const all = issues.list();
  for (let i = all.length - 1; i >= 0; i--) {
    const other = all[i] as Issue;
    if (compareIssues(other, issue) <= 0) return false;
    if (other.date <= day.date && (await store.parts.hasIssue(sub.platform, sub.chatId, other.id))) return true;
  }
  return false;
}
