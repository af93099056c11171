/**
 * The Telegram adapter as the app loads it: `adapters/main.ts` calls `telegramAdapter()` when
 * TELEGRAM_BOT_TOKEN is set. Everything comes from the configuration; tests may override the
 * webhook server's port and host, the admin-cache clock and the Bot API call deadlines.
 */
import type { AdapterFactory } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import type { HttpRoutes } from '../../src/ops/http.js';
import type { DeadlineSignal } from './bot-api.js';
import { createTelegramBot, type TelegramBotOptions, type TelegramWebhookOptions } from './chat.js';

export type { TelegramChatAdapter } from './chat.js';

export interface TelegramAdapterOverrides {
  /** Where the webhook server listens instead of PORT on every interface (tests: port 0 on 127.0.0.1). */
  listen?: { port: number; host?: string };
  now?: () => number;
  adminCacheTtlMs?: number;
  /** Makes each Bot API call's deadline signal (default: a timer of SEND_TIMEOUT, or less for interactive calls). */
  deadline?: DeadlineSignal;
}

/** The webhook settings, or null for long polling. Throws ConfigError when the URL comes without a secret. */
function webhookFromConfig(config: Config, listen?: TelegramAdapterOverrides['listen'], routes?: HttpRoutes): TelegramWebhookOptions | null {
  const url = config.TELEGRAM_WEBHOOK_URL;
  if (!url) return null;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET is missing: a webhook needs a secret of 1-256 characters of A-Z, a-z, 0-9, _ and -', {
      variable: 'TELEGRAM_WEBHOOK_SECRET',
    });
  }
  return { url, secret, port: listen?.port ?? config.PORT, ...(listen?.host ? { host: listen.host } : {}), ...(routes && !listen ? { routes } : {}) };
}

/** The AdapterFactory for Telegram. */
export function telegramAdapter(overrides: TelegramAdapterOverrides = {}): AdapterFactory {
  return (core, app) => {
    const { config } = core;
    const token = config.TELEGRAM_BOT_TOKEN;
    if (!token) throw new ConfigError('TELEGRAM_BOT_TOKEN is missing: get one from @BotFather', { variable: 'TELEGRAM_BOT_TOKEN' });
    const options: TelegramBotOptions = {
      token,
      router: core.router,
      pages: core.pages,
      issues: core.library,
      search: core.search,
      logger: core.logger,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      webhook: webhookFromConfig(config, overrides.listen, core.http),
      sendTimeoutMs: config.SEND_TIMEOUT,
      limiter: core.limiter,
      replyDeadlineMs: config.REPLY_DEADLINE,
      onFatal: (reason) => app.requestStop(reason),
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
      ...(overrides.adminCacheTtlMs !== undefined ? { adminCacheTtlMs: overrides.adminCacheTtlMs } : {}),
      ...(overrides.deadline ? { deadline: overrides.deadline } : {}),
    };
    return createTelegramBot(options);
  };
}
