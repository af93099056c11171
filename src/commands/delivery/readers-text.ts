/** Reply building blocks of the readers' commands (/sections, /follow…), from the readers catalog. */
import type { Language } from '../../i18n/language.js';
import { readersText, type ReadersMessageKey } from '../../i18n/readers.js';
import type { Paragraph, Span } from '../../rich-text.js';
import type { CommandOption } from '../module.js';
import { catalogKit, fillTemplate, type TemplateValues } from '../reply.js';

/** The readers catalog's kit (src/commands/reply.ts): a string, a paragraph, a one-line reply, both languages. */
export const readersCatalog = catalogKit(readersText);
export const rsay = readersCatalog.text;
export const rpara = readersCatalog.line;
export const rreply = readersCatalog.reply;
export const rboth = readersCatalog.inEveryLanguage;

export const readerOption = (name: string, key: 'sections' | 'words' | 'which', required: boolean): CommandOption => ({
  name,
  placeholder: rboth(`option.${key}`),
  description: rboth(`option.${key}.describe`),
  type: 'string',
  required,
});

/** Names as a list of code spans joined by " · ". */
export function nameList(names: readonly string[]): Span[] {
  return names.flatMap((n, i) => [...(i > 0 ? [{ text: ' · ' }] : []), { text: n, code: true }]);
}

/** A template line whose `{key}` is a list of spans (fillTemplate takes one span per placeholder). */
export function listPara(language: Language, key: ReadersMessageKey, listKey: string, list: readonly Span[], values: TemplateValues = {}): Paragraph {
  const marker = '\u0000list\u0000';
  const filled = fillTemplate(rsay(language, key), { ...values, [listKey]: marker });
  return filled.flatMap((span) => (span.text === marker ? [...list] : [span]));
}
