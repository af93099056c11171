/**
 * Every Bot API call the chat adapter makes (outside telegraf's own polling) goes through here,
 * with a deadline: telegraf's only timeout is node-fetch's 500 s, so a hung socket would otherwise
 * hold a chat's replies, a button press or start-up for minutes.
 *
 * telegraf's `callApi` accepts `{ signal }`, typed as the abort-controller package's AbortSignal;
 * Node's own AbortSignal is what node-fetch receives, hence the cast.
 */
import type { Telegram } from 'telegraf';
import type { Opts, Telegram as ApiMethods } from 'telegraf/types';
import { PlatformError } from '../../src/errors.js';
import { DEFAULT_SEND_TIMEOUT_MS } from './delivery.js';

/** Makes the abort signal of a call allowed `ms` milliseconds. Tests pass one that fires on demand. */
export type DeadlineSignal = (ms: number) => AbortSignal;

/** Calls someone is waiting on right now (a button press, an inline answer, an admin check, an edit). */
const INTERACTIVE_TIMEOUT_MS = 10_000;

type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

interface BotApiOptions {
  /** Deadline of sends and start-up calls (SEND_TIMEOUT); interactive calls get at most this too. */
  sendTimeoutMs?: number;
  deadline?: DeadlineSignal;
}

/** Bot API calls with deadlines. */
export interface BotApi {
  readonly telegram: Telegram;
  /** Deadline of sendMessage, getMe, setMyCommands and setWebhook. */
  readonly sendTimeoutMs: number;
  /** Deadline of getChatMember, editMessageText, answerCallbackQuery and answerInlineQuery. */
  readonly interactiveTimeoutMs: number;
  /** A signal that fires after `ms`. */
  deadline(ms: number): AbortSignal;
  /**
   * One call, aborted after `timeoutMs` (default: the interactive deadline). A call that times out
   * rejects with a PlatformError saying so; any other failure is thrown as telegraf threw it.
   */
  call<M extends keyof ApiMethods>(method: M, payload: Opts<M>, timeoutMs?: number): Promise<ReturnType<ApiMethods[M]>>;
}

export function createBotApi(telegram: Telegram, options: BotApiOptions = {}): BotApi {
  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const interactiveTimeoutMs = Math.min(INTERACTIVE_TIMEOUT_MS, sendTimeoutMs);
  const deadline = options.deadline ?? ((ms: number) => AbortSignal.timeout(ms));
  return {
    telegram,
    sendTimeoutMs,
    interactiveTimeoutMs,
    deadline,
    async call(method, payload, timeoutMs = interactiveTimeoutMs) {
      const signal = deadline(timeoutMs);
      try {
        return await telegram.callApi(method, payload, { signal: signal as unknown as CallOptions['signal'] });
      } catch (err) {
        if (!signal.aborted) throw err;
        const chatId = (payload as { chat_id?: unknown }).chat_id;
        const where = chatId !== undefined ? { chatId: String(chatId) } : {};
        throw new PlatformError(`Telegram ${method} got no answer within ${timeoutMs} ms`, { platform: 'telegram', method, ...where, timeoutMs });
      }
    },
  };
}
