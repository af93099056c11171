/**
 * Set-up for the Telegram adapter's end-to-end tests: the fake Bot API server, a real core over
 * the command fixtures (twelve archive issues), and the adapter built by its real AdapterFactory,
 * driven by the real telegraf.
 */
import type { Update } from 'telegraf/types';
import { createCore, type Core, type CoreOptions } from '../../../src/app.js';
import type { CommandModule } from '../../../src/commands/module.js';
import type { Logger } from '../../../src/log.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { telegram, type TelegramAdapterOverrides, type TelegramChatAdapter } from '../../../adapters/telegram/index.js';
import { FIXTURE_ISSUES, recordingLogger } from '../../commands/support.js';
import { startFakeTelegramApi, type FakeTelegramApi, type FakeTelegramApiOptions, type PushMessageOptions, type SentMessage } from '../../fakes/telegram-api.js';

export interface BotHarness {
  fake: FakeTelegramApi;
  core: Core;
  adapter: TelegramChatAdapter;
  /** Every log line, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Why the adapter asked the app to stop, if it did. */
  stopRequests: string[];
  /** Stops the bot (awaiting in-flight replies), closes the core, then the fake. */
  stop(): Promise<void>;
}

export interface BotHarnessOptions {
  env?: Record<string, string>;
  commands?: CommandModule[];
  overrides?: TelegramAdapterOverrides;
  fake?: FakeTelegramApiOptions;
  coreOptions?: CoreOptions;
  /** Runs before the bot starts, e.g. to queue updates its first getUpdates receives together. */
  beforeStart?: (fake: FakeTelegramApi) => void;
}

/** Starts the fake, the core and the bot (long polling unless `env` sets a webhook). */
export async function startBot(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const fake = await startFakeTelegramApi(options.fake);
  const { logger, lines } = recordingLogger();
  const config = loadPlatformConfig({
    ISSUES_DIR: FIXTURE_ISSUES,
    DEFAULT_LANGUAGE: 'zh',
    // Tests must not write the parse cache into the working tree.
    ISSUE_CACHE_PATH: 'off',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...options.env,
  });
  const core = await createCore(config, logger as Logger, { watch: false, ...options.coreOptions, ...(options.commands ? { commands: options.commands } : {}) });
  const stopRequests: string[] = [];
  let adapter: TelegramChatAdapter;
  try {
    adapter = (await telegram.chatAdapter(options.overrides)(core, { requestStop: (reason) => stopRequests.push(reason) })) as TelegramChatAdapter;
    options.beforeStart?.(fake);
    await adapter.start();
  } catch (err) {
    await core.close();
    await fake.close();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    fake,
    core,
    adapter,
    logs: lines,
    stopRequests,
    stop: () =>
      (stopped ??= (async () => {
        await adapter.stop();
        await core.close();
        await fake.close();
      })()),
  };
}

/** Resolves once telegraf has taken `update`: its next getUpdates confirms it (the work it started may still run). */
export async function taken(fake: FakeTelegramApi, update: { update_id: number }): Promise<void> {
  await fake.waitFor('getUpdates', (r) => Number(r.params.offset ?? 0) > update.update_id);
}

function chatOf(update: Update): number | null {
  if ('message' in update) return update.message.chat.id;
  if ('channel_post' in update) return update.channel_post.chat.id;
  if ('callback_query' in update) return update.callback_query.message?.chat.id ?? null;
  return null;
}

/**
 * Resolves once the bot has handled `update` (long polling). Given the harness: telegraf took it
 * and every piece of work under way has finished. Given only the fake (a bot started elsewhere,
 * e.g. by runApp): telegraf took it and the update's chat got a message (answered) since.
 */
export async function handled(on: BotHarness | FakeTelegramApi, update: Update): Promise<void> {
  if ('adapter' in on) {
    await taken(on.fake, update);
    await on.adapter.idle();
    return;
  }
  const after = on.requests.at(-1)?.seq ?? 0;
  const chatId = chatOf(update);
  await taken(on, update);
  if (chatId !== null) await on.waitFor('sendMessage', (r) => r.seq > after && String(r.params.chat_id) === String(chatId));
}

/** Pushes a private or group message and waits until the bot has handled it; returns what the chat received meanwhile. */
export async function say(h: BotHarness, options: PushMessageOptions): Promise<SentMessage[]> {
  const chatId = options.chatId ?? options.from?.id ?? 1001;
  const before = h.fake.sent(chatId).length;
  await handled(h, h.fake.pushMessage(options));
  return h.fake.sent(chatId).slice(before);
}

/** Every sendMessage answered so far for the chat, successful or not. */
export function sendRequests(fake: FakeTelegramApi, chatId: number) {
  return fake.requests.filter((r) => r.method === 'sendMessage' && String(r.params.chat_id) === String(chatId));
}

/** Deadlines the test fires itself: each Bot API call's signal, aborted by `expire()`. */
export function manualDeadlines(): { deadline: (ms: number) => AbortSignal; expire(): void } {
  const issued: AbortController[] = [];
  return {
    deadline: () => {
      const controller = new AbortController();
      issued.push(controller);
      return controller.signal;
    },
    /** Aborts every deadline handed out so far (calls made later get fresh ones). */
    expire: () => {
      for (const controller of issued.splice(0)) controller.abort(new Error('deadline passed (test)'));
    },
  };
}
