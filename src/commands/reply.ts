/** Small helpers the handlers share to build text replies from the commands' catalog. */
import { commandMessages, type CommandMessageKey } from '../i18n/commands.js';
import type { Language } from '../i18n/language.js';
import type { Paragraph, RichText, Span } from '../rich-text.js';
import type { Reply } from './types.js';

/** How much of a user's input is echoed back. */
export const ECHO_MAX_CHARS = 48;

/** A catalog string. */
export function message(language: Language, key: CommandMessageKey): string {
  return commandMessages[language][key];
}

/**
 * Fills `{name}` placeholders of a template with spans or plain strings, keeping each value a
 * separate span: user input is never merged into the template's text.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, Span | string | number>> = {}): Paragraph {
  const out: Paragraph = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    const value = values[m[1] as string];
    if (value === undefined) continue;
    if (m.index > last) out.push({ text: template.slice(last, m.index) });
    out.push(typeof value === 'object' ? value : { text: String(value) });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push({ text: template.slice(last) });
  return out;
}

/** A catalog string as one paragraph, placeholders filled. */
export function line(language: Language, key: CommandMessageKey, values?: Readonly<Record<string, Span | string | number>>): Paragraph {
  return fillTemplate(message(language, key), values);
}

/**
 * What the user typed, shortened and flattened to one line, as a plain code span: it is only ever
 * text (no link), and renderers escape it.
 */
export function echo(input: string, max = ECHO_MAX_CHARS): Span {
  const flat = input.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  return { text: chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat, code: true };
}

/** A text reply. */
export function textReply(language: Language, tone: 'info' | 'error', body: RichText): Reply {
  return { kind: 'text', tone, body, language };
}

/** An error reply of one catalog line. */
export function errorReply(language: Language, key: CommandMessageKey, values?: Readonly<Record<string, Span | string | number>>): Reply {
  return textReply(language, 'error', [line(language, key, values)]);
}

/** An info reply of one catalog line. */
export function infoReply(language: Language, key: CommandMessageKey, values?: Readonly<Record<string, Span | string | number>>): Reply {
  return textReply(language, 'info', [line(language, key, values)]);
}

/** True for a whole positive-looking number, full-width digits included ("２" → true). */
export function isInteger(text: string): boolean {
  return /^\d+$/.test(text.normalize('NFKC'));
}

/** The integer a numeric argument holds (clamped to a safe range), or null when it is not one. */
export function toInteger(text: string): number | null {
  const folded = text.normalize('NFKC');
  if (!/^\d+$/.test(folded)) return null;
  return folded.length > 9 ? 999_999_999 : Number(folded);
}

/** A catalog string in every language (command and option descriptions). */
export function inEveryLanguage(key: CommandMessageKey): Record<Language, string> {
  return { zh: commandMessages.zh[key], en: commandMessages.en[key] };
}
