/**
 * The Telegram chat adapter: a telegraf bot that passes every command (in private chats, groups,
 * forum topics and channel posts) to the commands core and sends back the rendered reply; page
 * buttons; inline mode; and the DeliveryPort for scheduled posts.
 *
 * Long polling by default, run only by the instance holding the role `telegram:polling` (the
 * others stand by: Telegram serves one getUpdates per token); with a webhook configured, an HTTP
 * server takes Telegram's POSTs instead, on every instance. Either way an update's work is handed to its chat's queue and the handler returns at
 * once, so a slow chat holds back only itself; `stop()` stops taking updates, then lets the work
 * in flight finish. Every Bot API call has a deadline (bot-api.ts).
 */
import type { AddressInfo } from 'node:net';
import { Telegraf, TelegramError, type Context, type Types } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { LibraryPort, SearchPort } from '../../src/commands/module.js';
import type { PageCodec } from '../../src/commands/pager.js';
import { message as catalogMessage, textReply } from '../../src/commands/reply.js';
import type { CommandRouter } from '../../src/commands/router.js';
import type { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { RoleKeeper, type RoleHandle, type Roles } from '../../src/cluster/roles.js';
import { NewsbotError } from '../../src/errors.js';
import { languageFromLocale, type Language } from '../../src/i18n/language.js';
import { reportError, type Logger } from '../../src/log.js';
import type { ChatAdapter, ChatRef, DeliveryPort } from '../../src/platform.js';
import { createBotApi, type DeadlineSignal } from './bot-api.js';
import { answerCallback, handleCallbackQuery } from './callbacks.js';
import { callerFromMessage, createAdminCheck, topicOf, type AdminCheck } from './caller.js';
import { createChatQueue } from './chat-queue.js';
import { commandFromText, publishCommands } from './commands.js';
import { createTelegramDeliveryPort } from './delivery.js';
import { telegramPlatformError } from './errors.js';
import { answerInline, handleInlineQuery } from './inline.js';
import { answerOnce } from './once.js';
import { createPacer, isAbandonedReply, type ReplyStats } from './paced.js';
import { createPoller, POLLING_ROLE } from './polling.js';
import { createReplySender } from './replies.js';
import { mountWebhook, startWebhookServer, type WebhookServer } from './webhook.js';
import type { HttpRoutes } from '../../src/ops/http.js';
import type { UpdateLedger } from '../../src/update-ledger.js';

/** The updates newsbot acts on; asked for explicitly, so Telegram sends nothing else. */
const ALLOWED_UPDATES: Types.UpdateType[] = ['message', 'channel_post', 'callback_query', 'inline_query'];

export interface TelegramWebhookOptions {
  /** The public URL Telegram posts to; its path is the path served. */
  url: string;
  secret: string;
  port: number;
  /** Default: every interface. */
  host?: string;
  /** The app's shared HTTP server: the webhook becomes its route instead of a server of its own on `port`. */
  routes?: HttpRoutes;
}

export interface TelegramBotOptions {
  token: string;
  /** Another Bot API server; default the official one. */
  apiRoot?: string;
  router: CommandRouter;
  pages: PageCodec;
  issues: LibraryPort;
  search: SearchPort;
  logger: Logger;
  defaultLanguage: Language;
  /** Webhook mode when present; long polling otherwise. */
  webhook?: TelegramWebhookOptions | null;
  /** The platform's rate limiter, shared with the outbox: every reply and page edit waits for its tokens. */
  limiter: RateLimiter;
  /** REPLY_DEADLINE: a reply still rate-limited this long after its command arrived is abandoned (default 60 s). */
  replyDeadlineMs?: number;
  /** Per-message send deadline (replies and scheduled posts), also of getMe, setMyCommands and setWebhook. */
  sendTimeoutMs?: number;
  /** Makes each Bot API call's deadline signal; default AbortSignal.timeout. Tests pass one they fire on demand. */
  deadline?: DeadlineSignal;
  /** Clock and lifetime of the getChatMember cache. */
  now?: () => number;
  adminCacheTtlMs?: number;
  /** Called when polling dies on its own (a revoked token; not 409, which stands by): the app should stop. */
  onFatal?: (reason: string) => void;
  /** Who runs long polling among several instances; default: this one alone (no cluster). */
  roles?: Roles;
  /** Updates already handled (the store's): a re-delivered update is skipped. Default: every update is new. */
  updates?: UpdateLedger;
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
  /** Resolves once no update's work is queued or running. */
  idle(): Promise<void>;
  /** Counts of interactive sends: accepted, 429s waited out, replies abandoned, duplicate commands dropped. */
  readonly replyStats: Readonly<ReplyStats>;
  /** True while this instance runs getUpdates (long polling, holding its role). */
  readonly polling: boolean;
}

/** Default REPLY_DEADLINE. */
const DEFAULT_REPLY_DEADLINE_MS = 60_000;

/** Errors that came from the Bot API or the network: scrub them into a PlatformError. Bugs stay as they are. */
function isApiFailure(err: unknown): boolean {
  if (err instanceof TelegramError) return true;
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'FetchError' || name === 'AbortError';
}

export function createTelegramBot(options: TelegramBotOptions): TelegramChatAdapter {
  const { logger, router, pages } = options;
  const bot = new Telegraf(options.token, {
    // No webhook replies: every call is a real request whose result (and failure) we see.
    telegram: { webhookReply: false, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  const token = bot.telegram.token;
  const timeout = options.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.sendTimeoutMs } : {};
  const api = createBotApi(bot.telegram, { ...timeout, ...(options.deadline ? { deadline: options.deadline } : {}) });
  const admins = createAdminCheck(api, {
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.adminCacheTtlMs !== undefined ? { ttlMs: options.adminCacheTtlMs } : {}),
  });
  const delivery = createTelegramDeliveryPort(bot.telegram, { timeoutMs: api.sendTimeoutMs });
  const pacer = createPacer({ limiter: options.limiter, deadlineMs: options.replyDeadlineMs ?? DEFAULT_REPLY_DEADLINE_MS });
  const replies = createReplySender(delivery, api, pages, pacer);
  const defaultLanguage = options.defaultLanguage;
  const inlineDeps = { api, issues: options.issues, search: options.search, defaultLanguage };
  const callbackDeps = { api, router, pages, admins, defaultLanguage, pacer };
  let username: string | null = null;
  let webhookServer: WebhookServer | null = null;
  let stopping: Promise<void> | null = null;

  /** Our own errors pass as they are; Bot API and network failures become scrubbed PlatformErrors; bugs stay bugs. */
  const scrubbed = (err: unknown, method: string, chatId?: string): unknown =>
    err instanceof NewsbotError || !isApiFailure(err) ? err : telegramPlatformError(err, { method, token, ...(chatId !== undefined ? { chatId } : {}) });

  const chatRef = (message: Message): ChatRef => ({ platform: 'telegram', chatId: String(message.chat.id), threadId: topicOf(message) });

  /** Logs a failed update with its context and apologises to the user. Never throws. */
  const failed = async (err: unknown, ctx: Context): Promise<void> => {
    const chatId = ctx.chat ? String(ctx.chat.id) : undefined;
    const context = { platform: 'telegram' as const, update: ctx.updateType, ...(chatId !== undefined ? { chatId } : {}) };
    reportError(logger, scrubbed(err, ctx.updateType, chatId), context);
    // The chat is being rate-limited: an apology would only queue behind the same limit.
    if (isAbandonedReply(err)) {
      if (ctx.callbackQuery) await answerCallback(api, ctx.callbackQuery).catch(() => undefined);
      logger.warn({ ...context, abandoned: pacer.stats.abandoned }, 'telegram: reply abandoned at REPLY_DEADLINE while rate-limited; no apology sent');
      return;
    }
    const language = languageFromLocale(ctx.from?.language_code) ?? defaultLanguage;
    const apology = catalogMessage(language, 'apology');
    try {
      if (ctx.callbackQuery) await answerCallback(api, ctx.callbackQuery, apology);
      else if (ctx.inlineQuery) await answerInline(api, ctx.inlineQuery, [], { cache_time: 0 });
      else if (ctx.msg && chatId !== undefined) await replies.send(chatRef(ctx.msg as Message), textReply(language, 'error', [[{ text: apology }]]));
    } catch (apologyError) {
      reportError(logger, scrubbed(apologyError, 'apology', chatId), context);
    }
  };

  // Never awaited here: telegraf would hold the next updates (of every chat) until it settles.
  const queue = createChatQueue((err, key) => reportError(logger, err, { platform: 'telegram', queue: key }));
  /** Commands queued or being answered, by chat, user, language and text (see onMessage). */
  const waiting = new Set<string>();
  const dispatch = (ctx: Context, key: string, work: () => Promise<void>): void =>
    queue.run(key, () => work().catch((err: unknown) => failed(err, ctx)));

  const onMessage = (ctx: Context, message: Message): void => {
    if (!('text' in message) || username === null) return;
    const caller = callerFromMessage(message, admins);
    const command = commandFromText(message.text, caller.chatType, username, (name) => router.knows(name));
    if (!command) return;
    // The same command from the same user while the first still waits: one answer serves both.
    const key = [caller.chatId, caller.threadId ?? '', caller.userId, caller.language ?? '', command.name, command.text].join('\u0000');
    if (waiting.has(key)) {
      pacer.stats.deduplicated++;
      logger.debug({ platform: 'telegram', chatId: caller.chatId, command: command.name }, 'telegram: duplicate command dropped while the first is waiting');
      return;
    }
    waiting.add(key);
    const giveUpAt = pacer.deadlineFromNow();
    dispatch(ctx, caller.chatId, async () => {
      try {
        const reply = await router.handle(command, caller);
        await replies.send(chatRef(message), reply, giveUpAt);
      } finally {
        waiting.delete(key);
      }
    });
  };

  // First in the chain: an update delivered again (after a crash, or to another instance) is skipped.
  if (options.updates) bot.use(answerOnce(options.updates, logger, () => bot.botInfo?.id ?? null));
  bot.on('message', (ctx) => onMessage(ctx, ctx.message));
  bot.on('channel_post', (ctx) => onMessage(ctx, ctx.channelPost));
  bot.on('callback_query', (ctx) => {
    const query = ctx.callbackQuery;
    // A button on an inline message has no chat of ours: order by the user instead.
    const key = query.message ? String(query.message.chat.id) : `user:${query.from.id}`;
    dispatch(ctx, key, () => handleCallbackQuery(query, callbackDeps));
  });
  bot.on('inline_query', (ctx) => dispatch(ctx, `inline:${ctx.inlineQuery.from.id}`, () => handleInlineQuery(ctx.inlineQuery, inlineDeps)));
  // Errors thrown before the work is queued (telegraf's own middleware).
  bot.catch((err: unknown, ctx: Context) => failed(err, ctx));

  // Long polling runs while this instance holds its role; a 409 hands the role back (see polling.ts).
  let lead: RoleHandle | null = null;
  const poller = createPoller(bot, {
    allowedUpdates: ALLOWED_UPDATES,
    onConflict: (err) => {
      // One line: polling stopped and this instance stands by (another getUpdates runs with this token).
      reportError(logger, scrubbed(err, 'getUpdates'), { platform: 'telegram', role: POLLING_ROLE, standby: true });
      void lead?.standDown('409 Conflict from getUpdates');
    },
    onFatal: (err) => {
      reportError(logger, scrubbed(err, 'getUpdates'), { platform: 'telegram' });
      options.onFatal?.('telegram polling stopped');
    },
  });
  /** Set when no keeper was given: this instance is the only one. */
  let ownKeeper: RoleKeeper | null = null;
  let holding: Promise<RoleHandle> | null = null;
  const holdPolling = (): Promise<RoleHandle> => {
    const roles = options.roles ?? (ownKeeper = new RoleKeeper({ cluster: null, logger }));
    return roles.hold(POLLING_ROLE, {
      onLead: (handle) => {
        lead = handle;
        poller.start();
      },
      onLose: () => poller.stop(),
    });
  };

  const startWebhook = async (webhook: TelegramWebhookOptions) => {
    const path = new URL(webhook.url).pathname || '/';
    webhookServer = webhook.routes
      ? mountWebhook(bot, webhook.routes, { path, secret: webhook.secret, logger })
      : await startWebhookServer(bot, { path, secret: webhook.secret, port: webhook.port, logger, ...(webhook.host ? { host: webhook.host } : {}) });
    try {
      await api.call('setWebhook', { url: webhook.url, secret_token: webhook.secret, allowed_updates: ALLOWED_UPDATES }, api.sendTimeoutMs);
    } catch (err) {
      await webhookServer.close();
      webhookServer = null;
      throw scrubbed(err, 'setWebhook');
    }
    logger.info({ platform: 'telegram', port: webhookServer.address.port, path }, 'telegram webhook listening');
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
    idle: () => queue.idle(),
    replyStats: pacer.stats,
    get polling() {
      return poller.running;
    },
    async start() {
      try {
        bot.botInfo = await api.call('getMe', {}, api.sendTimeoutMs);
      } catch (err) {
        // A bad token (401), a wrong API root, or no answer within SEND_TIMEOUT.
        throw err instanceof NewsbotError ? err : telegramPlatformError(err, { method: 'getMe', token });
      }
      username = bot.botInfo.username;
      try {
        await publishCommands(api, router.commands(), defaultLanguage);
      } catch (err) {
        // The menu is a convenience: commands work without it.
        reportError(logger, err instanceof NewsbotError ? err : telegramPlatformError(err, { method: 'setMyCommands', token }), { platform: 'telegram' });
      }
      if (options.webhook) await startWebhook(options.webhook);
      else await (holding = holdPolling());
      const standby = !options.webhook && !poller.running;
      logger.info({ platform: 'telegram', username, mode: options.webhook ? 'webhook' : 'polling', ...(standby ? { standby } : {}) }, 'telegram bot started');
    },
    stop() {
      return (stopping ??= (async () => {
        // No new updates first, then the replies already under way (each within its deadlines).
        if (webhookServer) await webhookServer.close();
        // Hands the role over at once (another instance polls at its next try), after telegraf's last getUpdates.
        const handle = await holding?.catch(() => null);
        await handle?.release();
        await ownKeeper?.stop();
        await queue.idle();
      })());
    },
  };
}
