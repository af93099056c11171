/** Reply building blocks of the readers' commands (/sections, /follow…), from the readers catalog. */
import type { Language } from '../../i18n/language.js';
import { readersText, type ReadersMessageKey } from '../../i18n/readers.js';
import type { Paragraph, Span } from '../../rich-text.js';
import type { CommandOption } from '../module.js';
import { fillTemplate, textReply } from '../reply.js';
import type { Reply } from '../types.js';

type Values = Readonly<Record<string, Span | string | number>>;

export function rsay(language: Language, key: ReadersMessageKey): string {
  return readersText[language][key];
}

export function rpara(language: Language, key: ReadersMessageKey, values?: Values): Paragraph {
  return fillTemplate(rsay(language, key), values);
}

export function rreply(language: Language, tone: 'info' | 'error', key: ReadersMessageKey, values?: Values): Reply {
  return textReply(language, tone, [rpara(language, key, values)]);
}

/** A readers catalog string in both languages. */
export const rboth = (key: ReadersMessageKey): Record<Language, string> => ({ zh: readersText.zh[key], en: readersText.en[key] });

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
export function listPara(language: Language, key: ReadersMessageKey, listKey: string, list: readonly Span[], values: Values = {}): Paragraph {
  const marker = '\u0000list\u0000';
  const filled = fillTemplate(rsay(language, key), { ...values, [listKey]: marker });
  return filled.flatMap((span) => (span.text === marker ? [...list] : [span]));
}
