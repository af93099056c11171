/**
 * The Telegram platform module: its settings (settings.ts), the chat adapter (a telegraf bot,
 * chat.ts) and the delivery port (delivery.ts). telegraf is loaded only when a factory runs.
 */
import type { AppControl, Core } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import type { ChatAdapter, ChatAdapterDeps, PlatformModule } from '../../src/platform.js';
import type { HttpRoutes } from '../../src/ops/http.js';
import type { DeadlineSignal } from './bot-api.js';
import type { TelegramWebhookOptions } from './chat.js';
import { NAME, rates, requireToken, schema, SECRETS, telegramSettings, type TelegramSettings } from './settings.js';

export type { TelegramChatAdapter } from './chat.js';

/** The composition root's deps (roles), and what tests may override. */
export interface TelegramAdapterOverrides extends ChatAdapterDeps {
  /** Where the webhook server listens instead of PORT on every interface (tests: port 0 on 127.0.0.1). */
  listen?: { port: number; host?: string };
  now?: () => number;
  adminCacheTtlMs?: number;
  /** Makes each Bot API call's deadline signal (default: a timer of SEND_TIMEOUT, or less for interactive calls). */
  deadline?: DeadlineSignal;
}

/** The webhook settings, or null for long polling. Throws ConfigError when the URL comes without a secret. */
function webhookOf(settings: TelegramSettings, port: number, listen?: TelegramAdapterOverrides['listen'], routes?: HttpRoutes): TelegramWebhookOptions | null {
  const url = settings.TELEGRAM_WEBHOOK_URL;
  if (!url) return null;
  const secret = settings.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET is missing: a webhook needs a secret of 1-256 characters of A-Z, a-z, 0-9, _ and -', {
      variable: 'TELEGRAM_WEBHOOK_SECRET',
    });
  }
  // On the shared HTTP server when there is one, unless a test asked for its own address.
  return { url, secret, port: listen?.port ?? port, ...(listen?.host ? { host: listen.host } : {}), ...(routes && !listen ? { routes } : {}) };
}

async function createChat(core: Core, app: AppControl, overrides: TelegramAdapterOverrides): Promise<ChatAdapter> {
  const { config } = core;
  const settings = telegramSettings(config);
  const token = requireToken(settings);
  const webhook = webhookOf(settings, config.PORT, overrides.listen, core.http);
  const { createTelegramBot } = await import('./chat.js');
  return createTelegramBot({
    token,
    router: core.router,
    pages: core.pages,
    issues: core.library,
    search: core.search,
    logger: core.logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    webhook,
    sendTimeoutMs: config.SEND_TIMEOUT,
    limiter: core.limiter,
    updates: core.updates,
    replyDeadlineMs: config.REPLY_DEADLINE,
    onFatal: (reason) => app.requestStop(reason),
    ...(settings.TELEGRAM_API_ROOT ? { apiRoot: settings.TELEGRAM_API_ROOT } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.adminCacheTtlMs !== undefined ? { adminCacheTtlMs: overrides.adminCacheTtlMs } : {}),
    ...(overrides.deadline ? { deadline: overrides.deadline } : {}),
    ...(overrides.roles ? { roles: overrides.roles } : {}),
  });
}

/** Telegram: on when TELEGRAM_BOT_TOKEN is set. */
export const telegram = {
  name: NAME,
  schema,
  secrets: SECRETS,
  enabled: (settings) => Boolean(settings.TELEGRAM_BOT_TOKEN),
  rates,
  title: 'Telegram',
  switchedOnBy: { variable: 'TELEGRAM_BOT_TOKEN', set: 'TELEGRAM_BOT_TOKEN (from @BotFather)' },
  target: { chat: 'telegram:<chat id>', thread: 'topic' },
  /** Tests may override the webhook server's address, the admin-cache clock and the Bot API call deadlines. */
  chatAdapter: (overrides: TelegramAdapterOverrides = {}) => (core, app) => createChat(core, app, overrides),
  async deliveryPort(config, transport) {
    const { Telegram } = await import('telegraf');
    const { createTelegramDeliveryPort, recordingTransport } = await import('./delivery.js');
    if (transport.kind === 'record') return createTelegramDeliveryPort(recordingTransport(transport.requests));
    const settings = telegramSettings(config);
    if (!settings.TELEGRAM_BOT_TOKEN) throw new ConfigError('sending to Telegram needs TELEGRAM_BOT_TOKEN (set it in the environment or in .env)', { variable: 'TELEGRAM_BOT_TOKEN' });
    const api = new Telegram(settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_ROOT ? { apiRoot: settings.TELEGRAM_API_ROOT } : {});
    return createTelegramDeliveryPort(api, { timeoutMs: config.SEND_TIMEOUT, ...(transport.onError ? { onError: transport.onError } : {}) });
  },
} satisfies PlatformModule<TelegramSettings>;
