/** The argument definitions the built-in commands share. */
import type { CommandOption } from './module.js';
import { inEveryLanguage } from './reply.js';

const option = (name: string, key: 'date' | 'item' | 'page' | 'query' | 'mode', type: CommandOption['type'], required: boolean): CommandOption => ({
  name,
  placeholder: inEveryLanguage(`option.${key}`),
  description: inEveryLanguage(`option.${key}.describe`),
  type,
  required,
});

export const OPTIONAL_DATE_OPTION = option('date', 'date', 'string', false);
export const ITEM_OPTION = option('item', 'item', 'integer', false);
export const PAGE_OPTION = option('page', 'page', 'integer', false);
export const QUERY_OPTION = option('query', 'query', 'string', true);
export const MODE_OPTION = option('mode', 'mode', 'string', false);
