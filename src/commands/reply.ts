/**
 * The one catalog toolkit of the commands: catalog lines as paragraphs (placeholders filled with
 * separate spans), one-line replies, descriptions in every language, user input echoed back. Each
 * catalog (the readers' commands, delivery's) gets the same kit.
 */
import type { Catalog, Messages } from '../i18n/catalog.js';
import { commandMessages, type CommandMessageKey } from '../i18n/commands.js';
import { deliveryText } from '../i18n/delivery.js';
import type { Language } from '../i18n/language.js';
import type { Paragraph, RichText, Span } from '../rich-text.js';
import type { Reply } from './types.js';

/** How much of a user's input is echoed back. */
export const ECHO_MAX_CHARS = 48;

/** Values for a template's `{name}` placeholders. */
export type TemplateValues = Readonly<Record<string, Span | string | number>>;

/** The keys of a catalog whose entries are templates (strings, not functions). */
export type TemplateKey<M extends Messages> = { [K in keyof M]: M[K] extends string ? K : never }[keyof M] & string;

/** What every command builds its replies from, for one catalog. */
export interface CatalogKit<K extends string> {
  /** A catalog string. */
  text(language: Language, key: K): string;
  /** A catalog string as one paragraph, placeholders filled. */
  line(language: Language, key: K, values?: TemplateValues): Paragraph;
  /** A reply of one catalog line. */
  reply(language: Language, tone: 'info' | 'error', key: K, values?: TemplateValues): Reply;
  /** A catalog string in every language (command and option descriptions). */
  inEveryLanguage(key: K): Record<Language, string>;
}

/** The kit for one catalog. */
export function catalogKit<M extends Messages>(catalog: Catalog<M>): CatalogKit<TemplateKey<M>> {
  const text = (language: Language, key: TemplateKey<M>): string => catalog[language][key] as string;
  const line = (language: Language, key: TemplateKey<M>, values?: TemplateValues) => fillTemplate(text(language, key), values);
  return {
    text,
    line,
    reply: (language, tone, key, values) => textReply(language, tone, [line(language, key, values)]),
    inEveryLanguage: (key) => ({ zh: text('zh', key), en: text('en', key) }),
  };
}

/** The readers' commands (/latest, /issue, /search…). */
export const commandCatalog = catalogKit(commandMessages);
/** The delivery commands (/subscribe, /schedule, /status, /broadcast). */
export const deliveryCatalog = catalogKit(deliveryText);

/**
 * Fills `{name}` placeholders of a template with spans or plain strings, keeping each value a
 * separate span: user input is never merged into the template's text.
 */
export function fillTemplate(template: string, values: TemplateValues = {}): Paragraph {
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

/**
 * What the user typed (or a platform error), shortened and flattened to one line, as a plain code
 * span: it is only ever text (no link), and renderers escape it.
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

/** A catalog string of the readers' commands. */
export const message = (language: Language, key: CommandMessageKey): string => commandCatalog.text(language, key);
/** A catalog line of the readers' commands as one paragraph. */
export const line = (language: Language, key: CommandMessageKey, values?: TemplateValues): Paragraph => commandCatalog.line(language, key, values);
/** An error reply of one catalog line. */
export const errorReply = (language: Language, key: CommandMessageKey, values?: TemplateValues): Reply => commandCatalog.reply(language, 'error', key, values);
/** An info reply of one catalog line. */
export const infoReply = (language: Language, key: CommandMessageKey, values?: TemplateValues): Reply => commandCatalog.reply(language, 'info', key, values);
/** A readers' catalog string in every language. */
export const inEveryLanguage = (key: CommandMessageKey): Record<Language, string> => commandCatalog.inEveryLanguage(key);

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
