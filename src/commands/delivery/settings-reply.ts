/**
 * What /subscribe and /schedule share: splitting "<schedule> [timezone]" as typed, turning a refused
 * schedule or time zone into a reply that lists the accepted forms, and showing a subscription's
 * schedule with its next runs.
 */
import type { Subscribed } from '../../delivery/results.js';
import type { SettingRefused } from '../../delivery/settings.js';
import type { Language } from '../../i18n/language.js';
import type { Paragraph } from '../../rich-text.js';
import { parseSchedule } from '../../schedule/expression.js';
import { canonicalTimeZone } from '../../schedule/timezone.js';
import type { Subscription } from '../../store/index.js';
import { echo, textReply } from '../reply.js';
import type { Reply } from '../types.js';
import { describeSchedule, para, runParagraphs, scheduleForms, scheduleProblem } from './text.js';

/** A schedule and/or a time zone, as the admin typed them (not yet validated). */
export interface ScheduleArgs {
  schedule?: string;
  timezone?: string;
}

/**
 * Splits the words after the command: the whole text when it is a schedule; else a lone valid time
 * zone; else the last word (when it has letters) as the time zone if the rest is a schedule; else
 * the whole text as a schedule, so the error names what was typed.
 */
export function splitScheduleArgs(args: readonly string[]): ScheduleArgs {
  if (args.length === 0) return {};
  const whole = args.join(' ');
  if (parseSchedule(whole).ok) return { schedule: whole };
  if (args.length === 1 && canonicalTimeZone(whole)) return { timezone: whole };
  const last = args[args.length - 1] as string;
  const rest = args.slice(0, -1).join(' ');
  if (/\p{L}/u.test(last) && rest !== '' && parseSchedule(rest).ok) return { schedule: rest, timezone: last };
  return { schedule: whole };
}

/** The reply for a schedule (with the accepted forms) or a time zone that delivery refused. */
export function refusedReply(refused: SettingRefused, language: Language, defaultZone: string): Reply {
  const typed = refused.input;
  if (refused.field === 'schedule') {
    const head = para(language, 'error.schedule', { input: echo(typed), detail: scheduleProblem(typed, language) });
    return textReply(language, 'error', [head, ...scheduleForms(language, defaultZone)]);
  }
  return textReply(language, 'error', [para(language, 'error.timezone', { input: echo(typed) })]);
}

/** "Schedule: daily at 08:00 (Asia/Shanghai)" then the next three runs, or that timed posts are off. */
export function scheduleParagraphs(sub: Subscription, runs: readonly number[], language: Language): Paragraph[] {
  if (sub.schedule === null) return [para(language, 'subscribe.off')];
  return [
    para(language, 'subscribe.schedule', { schedule: describeSchedule(sub.schedule, language), zone: { text: sub.timezone, code: true } }),
    ...runParagraphs(runs, sub.timezone, language),
  ];
}

/** The reply after a subscription was created, changed or resumed. */
export function subscribedReply(result: Subscribed, language: Language): Reply {
  const { subscription } = result;
  const head: Paragraph[] = [];
  if (result.created) head.push(para(language, 'subscribe.created'));
  else if (result.resumed) head.push(para(language, 'subscribe.resumed', { reason: echo(result.pausedReason ?? '', 120) }));
  else head.push(para(language, 'subscribe.updated'));
  return textReply(language, 'info', [...head, ...scheduleParagraphs(subscription, result.nextRuns, language)]);
}
