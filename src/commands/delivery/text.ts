/** What the delivery commands say about schedules, times and parts, from the delivery catalog. */
import type { PartView } from '../../delivery/results.js';
import type { DeliveryMessageKey } from '../../i18n/delivery.js';
import type { Language } from '../../i18n/language.js';
import type { ChatRef } from '../../platform.js';
import type { Paragraph, Span } from '../../rich-text.js';
import { formatRunTime, parseSchedule } from '../../schedule/expression.js';
import { deliveryCatalog, echo } from '../reply.js';
import { FILTERED_OUT } from '../../store/readers.js';
import { rsay } from './readers-text.js';
import type { Caller } from '../types.js';

/** The delivery catalog's kit (src/commands/reply.ts): a string, a paragraph, a one-line reply. */
export const say = deliveryCatalog.text;
export const para = deliveryCatalog.line;
export const sayReply = deliveryCatalog.reply;

/** Where the caller's chat receives posts. */
export function chatOf(caller: Caller): ChatRef {
  return { platform: caller.platform, chatId: caller.chatId, threadId: caller.threadId };
}

/** Who did it, as stored: "telegram:12345". */
export function byOf(caller: Caller): string {
  return `${caller.platform}:${caller.userId}`;
}

/** A time in the chat's zone: "2025-03-31 Mon 08:00 GMT+2". */
export function timeIn(ms: number, zone: string, language: Language): string {
  return formatRunTime(ms, zone, language);
}

/** A stored cron as people say it: "daily at 08:00", "every Monday at 08:00", else "cron 0 8 1 * *". */
export function describeSchedule(cron: string, language: Language): Span {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-7])$/.exec(cron);
  if (m) {
    const time = `${(m[2] as string).padStart(2, '0')}:${(m[1] as string).padStart(2, '0')}`;
    if (m[3] === '*') return { text: fillPlain(say(language, 'schedule.daily'), { time }) };
    const day = say(language, `day.${Number(m[3]) % 7}` as DeliveryMessageKey);
    return { text: fillPlain(say(language, 'schedule.weekly'), { day, time }) };
  }
  return { text: fillPlain(say(language, 'schedule.cron'), { cron }) };
}

function fillPlain(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}

/** The accepted schedule forms (and the time-zone note), one paragraph each. */
export function scheduleForms(language: Language, defaultZone: string): Paragraph[] {
  const code = (text: string): Span => ({ text, code: true });
  return [
    para(language, 'forms.cron', { example: code('0 8 * * *') }),
    para(language, 'forms.daily', { example: code('daily 08:00') }),
    para(language, 'forms.weekly', { example: code('weekly mon 08:00') }),
    para(language, 'forms.off'),
    para(language, 'forms.timezone', { example: code('daily 08:00 Europe/Berlin'), zone: code(defaultZone) }),
  ];
}

/** Why a schedule was refused, in the reader's language. */
export function scheduleProblem(input: string, language: Language): string {
  const parsed = parseSchedule(input);
  if (parsed.ok) return '';
  return language === 'en' ? parsed.detail : say(language, `error.schedule.${parsed.problem}`);
}

/** The next runs as bullet paragraphs under their heading. */
export function runParagraphs(runs: readonly number[], zone: string, language: Language): Paragraph[] {
  if (runs.length === 0) return [];
  return [
    para(language, 'subscribe.nextRuns', { zone: { text: zone, code: true } }),
    ...runs.map((ms) => para(language, 'subscribe.run', { time: timeIn(ms, zone, language) })),
  ];
}

/** One part's state for /status. */
export function partState(part: PartView, zone: string, language: Language): Paragraph {
  const error = echo(part.lastError ?? '', 120);
  switch (part.status) {
    case 'sent':
      return para(language, 'state.sent', { at: timeIn(part.sentAt ?? part.updatedAt, zone, language) });
    case 'pending':
      return part.lastError
        ? para(language, 'state.retry', { at: timeIn(part.nextAttemptAt, zone, language), attempts: part.attempts, error })
        : para(language, 'state.pending');
    case 'sending':
      return para(language, 'state.sending');
    case 'failed':
      return para(language, 'state.failed', { attempts: part.attempts, error });
    case 'skipped':
      if (part.lastError === FILTERED_OUT) return para(language, 'state.skipped', { error: rsay(language, 'sections.filteredOut') });
      return para(language, 'state.skipped', { error });
  }
}
