/** The argument definitions the commands share (readers' and delivery's), for /help, Telegram's command list and Discord slash options. */
import type { CommandOption } from './module.js';
import { commandCatalog, deliveryCatalog } from './reply.js';

const option = (name: string, key: 'date' | 'item' | 'page' | 'query' | 'mode', type: CommandOption['type'], required: boolean): CommandOption => ({
  name,
  placeholder: commandCatalog.inEveryLanguage(`option.${key}`),
  description: commandCatalog.inEveryLanguage(`option.${key}.describe`),
  type,
  required,
});

const deliveryOption = (name: string, key: 'schedule' | 'timezone' | 'issue', required: boolean): CommandOption => ({
  name,
  placeholder: deliveryCatalog.inEveryLanguage(`option.${key}`),
  description: deliveryCatalog.inEveryLanguage(`option.${key}.describe`),
  type: 'string',
  required,
});

export const OPTIONAL_DATE_OPTION = option('date', 'date', 'string', false);
export const ITEM_OPTION = option('item', 'item', 'integer', false);
export const PAGE_OPTION = option('page', 'page', 'integer', false);
export const QUERY_OPTION = option('query', 'query', 'string', true);
export const MODE_OPTION = option('mode', 'mode', 'string', false);

export const SCHEDULE_OPTION = deliveryOption('schedule', 'schedule', false);
export const REQUIRED_SCHEDULE_OPTION = deliveryOption('schedule', 'schedule', true);
export const TIMEZONE_OPTION = deliveryOption('timezone', 'timezone', false);
export const ISSUE_OPTION = deliveryOption('issue', 'issue', true);
