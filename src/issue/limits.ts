/**
 * Size limits on an issue's input and on what it may produce. A real issue is 5-25 KB with 5-40
 * items; the limits leave ample headroom and stop a hostile or broken file from turning into
 * hundreds of chat messages (a 1.5 MB title became 368 Telegram messages). An issue over a limit
 * keeps its problem and loses its sections, so it is listed with the problem but never served or
 * delivered.
 */
import { itemsOf, type Issue } from './model.js';

export interface IssueLimits {
  /** Largest file read, in bytes (ISSUE_MAX_BYTES). */
  maxBytes: number;
  /** Most items in one issue (ISSUE_MAX_ITEMS). */
  maxItems: number;
  /** Longest issue title, section title or item title, in characters (ISSUE_MAX_TITLE). */
  maxTitle: number;
  /** Longest header text (the intro), in characters (ISSUE_MAX_HEADER). */
  maxHeader: number;
}

export const DEFAULT_LIMITS: Readonly<IssueLimits> = { maxBytes: 512 * 1024, maxItems: 300, maxTitle: 500, maxHeader: 4_000 };

/** The first limit `issue` exceeds, as a message naming it, or null. */
export function limitExceeded(issue: Issue, limits: IssueLimits): string | null {
  const over = (what: string, n: number, max: number, setting: string) =>
    `${what} is ${n} characters; the limit is ${max} (${setting}); not served`;
  if (issue.title.length > limits.maxTitle) return over('the title', issue.title.length, limits.maxTitle, 'ISSUE_MAX_TITLE');
  if (issue.intro.length > limits.maxHeader) return over('the header (intro)', issue.intro.length, limits.maxHeader, 'ISSUE_MAX_HEADER');
  let items = 0;
  for (const { section, item } of itemsOf(issue)) {
    if (++items > limits.maxItems) return `more than ${limits.maxItems} items (ISSUE_MAX_ITEMS); not served`;
    if (item.title.length > limits.maxTitle) return over(`item ${items}'s title`, item.title.length, limits.maxTitle, 'ISSUE_MAX_TITLE');
    if (section.title.length > limits.maxTitle) return over('a section title', section.title.length, limits.maxTitle, 'ISSUE_MAX_TITLE');
  }
  return null;
}

/** `issue`, or, when it is over a limit, the same issue without sections and with a problem saying which. */
export function withinLimits(issue: Issue, limits: IssueLimits): Issue {
  const reason = limitExceeded(issue, limits);
  if (!reason) return issue;
  // Sliced titles: an over-long one must not be kept whole in memory, nor echoed whole in logs.
  return { ...issue, title: issue.title.slice(0, 200), intro: '', sections: [], problems: [...issue.problems, { file: issue.file, message: reason }] };
}
