/**
 * The Telegram chat adapter: a telegraf bot that passes every command (in private chats, groups,
 * forum topics and channel posts) to the commands core and sends back the rendered reply; page
 * buttons; inline mode; and the DeliveryPort for scheduled posts.
 *
 * Long polling by default; with a webhook configured, an HTTP server takes Telegram's POSTs
 * instead. Either way `stop()` lets the updates being handled finish their replies.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Telegraf, TelegramError, type Context, type Types } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { IssueSource, SearchPort } from '../../src/commands/module.js';
import type { PageCodec } from '../../src/commands/pager.js';
import { message as catalogMessage, textReply } from '../../src/commands/reply.js';
import type { CommandRouter } from '../../src/commands/router.js';
import { NewsbotError } from '../../src/errors.js';
import { languageFromLocale, type Language } from '../../src/i18n/language.js';
import { reportError, type Logger } from '../../src/log.js';
import type { ChatAdapter, ChatRef, DeliveryPort } from '../../src/platform.js';
import { handleCallbackQuery } from './callbacks.js';
import { callerFromMessage, createAdminCheck, topicOf, type AdminCheck } from './caller.js';
import { commandFromText, publishCommands } from './commands.js';
import { createTelegramDeliveryPort } from './delivery.js';
import { telegramPlatformError } from './errors.js';
import { handleInlineQuery } from './inline.js';
import { createReplySender } from './replies.js';
import { startWebhookServer, type WebhookServer } from './webhook.js';

/** The updates newsbot acts on; asked for explicitly, so Telegram sends nothing else. */
export const ALLOWED_UPDATES: Types.UpdateType[] = ['message', 'channel_post', 'callback_query', 'inline_query'];

export interface TelegramWebhookOptions {
  /** The public URL Telegram posts to; its path is the path served. */
  url: string;
  secret: string;
  port: number;
  /** Default: every interface. */
  host?: string;
}

export interface TelegramBotOptions {
  token: string;
  /** Another Bot API server; default the official one. */
  apiRoot?: string;
  router: CommandRouter;
  pages: PageCodec;
  issues: IssueSource;
  search: SearchPort;
  logger: Logger;
  defaultLanguage: Language;
  /** Webhook mode when present; long polling otherwise. */
  webhook?: TelegramWebhookOptions | null;
  /** Per-message send deadline (replies and scheduled posts). */
  sendTimeoutMs?: number;
  /** Clock and lifetime of the getChatMember cache. */
  now?: () => number;
  adminCacheTtlMs?: number;
  /** Called when polling dies on its own (bad token, another instance polling): the app should stop. */
  onFatal?: (reason: string) => void;
}

export interface TelegramChatAdapter extends ChatAdapter {
  readonly platform: 'telegram';
  readonly delivery: DeliveryPort;
  readonly bot: Telegraf;
  /** Chat-admin check (getChatMember, cached), also behind every Caller's `isChatAdmin`. */
  readonly admins: AdminCheck;
  /** The bot's @username, known once started. */
  readonly username: string | null;
  /** Where the webhook server listens, in webhook mode once started. */
  readonly webhookAddress: AddressInfo | null;
}

/** Errors that came from the Bot API or the network: scrub them into a PlatformError. Bugs stay as they are. */
function isApiFailure(err: unknown): boolean {
  if (err instanceof TelegramError) return true;
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'FetchError' || name === 'AbortError';
}

/** Runs tasks one after another per key, so replies to one chat never interleave. */
function createChatQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return (key, task) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export function createTelegramBot(options: TelegramBotOptions): TelegramChatAdapter {
  const { logger, router, pages } = options;
  const bot = new Telegraf(options.token, {
    // No webhook replies: every call is a real request whose result (and failure) we see.
    telegram: { webhookReply: false, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  const admins = createAdminCheck(bot.telegram, {
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.adminCacheTtlMs !== undefined ? { ttlMs: options.adminCacheTtlMs } : {}),
  });
  const timeout = options.sendTimeoutMs !== undefined ? { timeoutMs: options.sendTimeoutMs } : {};
  const replies = createReplySender(bot.telegram, { pages, ...timeout });
  const delivery = createTelegramDeliveryPort(bot.telegram, timeout);
  const inlineDeps = { issues: options.issues, search: options.search, defaultLanguage: options.defaultLanguage };
  let username: string | null = null;
  let launched: Promise<void> | null = null;
  let launchSettled = false;
  let webhookServer: WebhookServer | null = null;
  let stopping: Promise<void> | null = null;

  const chatRef = (message: Message): ChatRef => ({ platform: 'telegram', chatId: String(message.chat.id), threadId: topicOf(message) });

  // telegraf handles a batch of updates concurrently; commands from one chat are answered in turn.
  const inChatOrder = createChatQueue();
  const onMessage = async (message: Message) => {
    if (!('text' in message) || username === null) return;
    const caller = callerFromMessage(message, admins);
    const command = commandFromText(message.text, caller.chatType, username);
    if (!command) return;
    await inChatOrder(caller.chatId, async () => {
      const reply = await router.handle(command, caller);
      await replies.send(chatRef(message), reply);
    });
  };

  bot.on('message', (ctx) => onMessage(ctx.message));
  bot.on('channel_post', (ctx) => onMessage(ctx.channelPost));
  bot.on('callback_query', (ctx) => handleCallbackQuery(ctx, { router, pages, admins, defaultLanguage: options.defaultLanguage }));
  bot.on('inline_query', (ctx) => handleInlineQuery(ctx, inlineDeps));

  /** Logs the failure with its context and tells the user; never throws, so polling goes on. */
  bot.catch(async (err: unknown, ctx: Context) => {
    const chatId = ctx.chat ? String(ctx.chat.id) : undefined;
    const context = { platform: 'telegram' as const, update: ctx.updateType, ...(chatId !== undefined ? { chatId } : {}) };
    const error = err instanceof NewsbotError || !isApiFailure(err) ? err : telegramPlatformError(err, { method: ctx.updateType, token: bot.telegram.token, ...(chatId !== undefined ? { chatId } : {}) });
    reportError(logger, error, context);
    const language = languageFromLocale(ctx.from?.language_code) ?? options.defaultLanguage;
    const apology = catalogMessage(language, 'apology');
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery(apology);
      else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
      else if (ctx.msg && chatId !== undefined) await replies.send(chatRef(ctx.msg as Message), textReply(language, 'error', [[{ text: apology }]]));
    } catch (apologyError) {
      reportError(logger, isApiFailure(apologyError) ? telegramPlatformError(apologyError, { method: 'apology', token: bot.telegram.token }) : apologyError, context);
    }
  });

  const startPolling = () => {
    launched = bot.launch({ allowedUpdates: ALLOWED_UPDATES });
    launched.then(
      () => (launchSettled = true),
      (err: unknown) => {
        launchSettled = true;
        if (stopping) return;
        reportError(logger, isApiFailure(err) ? telegramPlatformError(err, { method: 'getUpdates', token: bot.telegram.token }) : err, { platform: 'telegram' });
        options.onFatal?.('telegram polling stopped');
      },
    );
  };

  const startWebhook = async (webhook: TelegramWebhookOptions) => {
    const path = new URL(webhook.url).pathname || '/';
    webhookServer = await startWebhookServer(bot, { path, secret: webhook.secret, port: webhook.port, logger, ...(webhook.host ? { host: webhook.host } : {}) });
    try {
      await bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ALLOWED_UPDATES });
    } catch (err) {
      await webhookServer.close();
      webhookServer = null;
      throw telegramPlatformError(err, { method: 'setWebhook', token: bot.telegram.token });
    }
    logger.info({ platform: 'telegram', port: webhookServer.address.port, path }, 'telegram webhook listening');
  };

  /** telegraf's stop() throws until polling has begun (launch awaits deleteWebhook first): retry until it takes. */
  const stopPolling = async () => {
    while (launched && !launchSettled) {
      try {
        bot.stop('newsbot stopping');
        break;
      } catch {
        await sleep(20);
      }
    }
    await launched?.catch(() => undefined);
  };

  return {
    platform: 'telegram',
    delivery,
    bot,
    admins,
    get username() {
      return username;
    },
    get webhookAddress() {
      return webhookServer?.address ?? null;
    },
    async start() {
      try {
        bot.botInfo = await bot.telegram.getMe();
      } catch (err) {
        throw telegramPlatformError(err, { method: 'getMe', token: bot.telegram.token });
      }
      username = bot.botInfo.username;
      try {
        await publishCommands(bot.telegram, router.commands(), options.defaultLanguage);
      } catch (err) {
        // The menu is a convenience: commands work without it.
        reportError(logger, telegramPlatformError(err, { method: 'setMyCommands', token: bot.telegram.token }), { platform: 'telegram' });
      }
      if (options.webhook) await startWebhook(options.webhook);
      else startPolling();
      logger.info({ platform: 'telegram', username, mode: options.webhook ? 'webhook' : 'polling' }, 'telegram bot started');
    },
    stop() {
      return (stopping ??= (async () => {
        if (webhookServer) await webhookServer.close();
        await stopPolling();
      })());
    },
  };
}
