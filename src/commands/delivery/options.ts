/** The arguments of the admin commands, for /help, Telegram's command list and Discord slash options. */
import type { DeliveryMessageKey } from '../../i18n/delivery.js';
import { deliveryText } from '../../i18n/delivery.js';
import type { Language } from '../../i18n/language.js';
import type { CommandOption } from '../module.js';

function both(key: DeliveryMessageKey): Record<Language, string> {
  return { zh: deliveryText.zh[key], en: deliveryText.en[key] };
}

const option = (name: string, key: 'schedule' | 'timezone' | 'issue', required: boolean): CommandOption => ({
  name,
  placeholder: both(`option.${key}`),
  description: both(`option.${key}.describe`),
  type: 'string',
  required,
});

export const SCHEDULE_OPTION = option('schedule', 'schedule', false);
export const REQUIRED_SCHEDULE_OPTION = option('schedule', 'schedule', true);
export const TIMEZONE_OPTION = option('timezone', 'timezone', false);
export const ISSUE_OPTION = option('issue', 'issue', true);

/** A command description in both languages. */
export const describe = (key: DeliveryMessageKey): Record<Language, string> => both(key);
