/**
 * Autocomplete for options that name an issue (/issue's date): issue ids and titles that match
 * what the reader has typed so far, newest first, at most 25 (Discord's limit).
 */
import { issueLabel } from '../../src/digest/label.js';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { CommandInfo, CommandOption, LibraryPort } from '../../src/commands/module.js';
import type { Issue } from '../../src/issue/model.js';
import { oneLine, truncate } from '../../src/text/graphemes.js';

/** Discord shows at most this many choices. */
const MAX_CHOICES = 25;
/** Choice names and values are 1-100 characters. */
const CHOICE_TEXT_MAX = 100;

/** Options whose value is an issue reference (by name), whatever command they belong to. */
const ISSUE_OPTION_NAMES = new Set(['date', 'issue', 'id']);

/** Whether an option is autocompleted with issues. */
export function isIssueOption(_command: CommandInfo, option: CommandOption): boolean {
  return option.type === 'string' && ISSUE_OPTION_NAMES.has(option.name);
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** "2021-08-14 · AI 简报…" within 100 characters. */
function choiceName(issue: Issue): string {
  const title = oneLine(issue.title);
  return truncate(title ? `${issueLabel(issue)} · ${title}` : issueLabel(issue), CHOICE_TEXT_MAX);
}

/**
 * Issues matching `typed`: digits typed ("0814", "2021-08", "2021/8") match the id;
 * anything else matches the title, case-insensitively. Empty input lists the newest issues.
 */
export function issueChoices(issues: LibraryPort, typed: string, limit = MAX_CHOICES): ApplicationCommandOptionChoiceData<string>[] {
  const text = fold(typed.trim()).slice(0, 200);
  const dateLike = text !== '' && /^[\d\s\-/.年月日]+$/u.test(text);
  // "2021/8" → "202108", "8-14" → "0814": month and day parts count as two digits.
  const parts = text.split(/\D+/u).filter(Boolean);
  const digits = parts.length <= 1 ? (parts[0] ?? '') : parts.map((p, i) => (i === 0 && p.length >= 4 ? p : p.padStart(2, '0'))).join('');
  const matches = (issue: Issue): boolean => {
    if (text === '') return true;
    if (dateLike) return issue.id.includes(digits);
    return fold(issue.title).includes(text) || issue.id.includes(text) || fold(issue.file).includes(text);
  };
  const out: ApplicationCommandOptionChoiceData<string>[] = [];
  const all = issues.list();
  for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
    const issue = all[i] as Issue;
    if (matches(issue)) out.push({ name: choiceName(issue), value: issue.id });
  }
  return out;
}
