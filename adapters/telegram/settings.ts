/**
 * Telegram's variables (TELEGRAM_*), which of them are secret, and its rate limits. Loaded with the
 * core's by `loadConfig`; no telegraf here, so validating settings never loads the platform library.
 */
import { z } from 'zod';
import { emptyToUndefined, optionalString, platformSettings, rate, url, type Config } from '../../src/config.js';
import type { PlatformRates } from '../../src/delivery/rate-limiter.js';
import { ConfigError } from '../../src/errors.js';

export const NAME = 'telegram';

export const schema = z.object({
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: url('expected an http(s) URL such as http://127.0.0.1:8081'),
  TELEGRAM_WEBHOOK_URL: url('expected the public https URL Telegram should post updates to'),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
  ),
  TELEGRAM_RATE_GLOBAL: rate('30/1s'),
  TELEGRAM_RATE_PER_CHAT: rate('1/1s'),
  TELEGRAM_RATE_PER_GROUP: rate('20/60s'),
});

export type TelegramSettings = z.output<typeof schema>;

export const SECRETS = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'] as const;

/** Telegram's callback_data limit, in UTF-8 bytes: the budget of a page button's data. */
export const CALLBACK_DATA_BYTES = 64;

/**
 * Telegram tolerates short per-chat bursts, so a chat's bucket holds 3 messages (one issue) and
 * refills at TELEGRAM_RATE_PER_CHAT; groups and channels (negative ids) also get TELEGRAM_RATE_PER_GROUP.
 */
export function rates(settings: TelegramSettings): PlatformRates {
  return {
    global: settings.TELEGRAM_RATE_GLOBAL,
    perChat: settings.TELEGRAM_RATE_PER_CHAT,
    perChatBurst: 3,
    perGroup: settings.TELEGRAM_RATE_PER_GROUP,
    isGroup,
  };
}

/** Groups, supergroups and channels have negative ids; private chats positive ones. */
function isGroup(chatId: string): boolean {
  return chatId.startsWith('-');
}

/** Telegram's settings in a loaded configuration. */
export function telegramSettings(config: Config): TelegramSettings {
  return platformSettings<TelegramSettings>(config, { name: NAME });
}

/** The token; a ConfigError naming the variable when it is not set. */
export function requireToken(settings: TelegramSettings): string {
  const token = settings.TELEGRAM_BOT_TOKEN;
  if (!token) throw new ConfigError('TELEGRAM_BOT_TOKEN is missing: get one from @BotFather', { variable: 'TELEGRAM_BOT_TOKEN' });
  return token;
}
