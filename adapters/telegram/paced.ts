/**
 * Interactive Bot API calls that post into a chat (command replies, page edits) under the platform's
 * shared rate limiter. Each waits for its chat's and the platform's tokens as `interactive` (ahead of
 * the outbox's broadcast parts). A 429 is never the command's failure: the chat is held for
 * retry_after (only that chat: its replies and outbox parts) and the same message is sent again,
 * until the reply's deadline (REPLY_DEADLINE after the command arrived). Past it the reply is
 * abandoned with a PlatformError whose `outcome` is 'abandoned': logged and counted by the bot, and
 * no apology is sent into a chat that is being rate-limited.
 *
 * answerCallbackQuery and answerInlineQuery do not post messages and do not count against
 * Telegram's message limits, so they are not paced.
 */
import { TelegramError } from 'telegraf';
import type { Opts } from 'telegraf/types';
import { monotonicClock, type Clock } from '../../src/clock.js';
import type { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { PlatformError } from '../../src/errors.js';
import type { ChatRef } from '../../src/platform.js';
import type { BotApi } from './bot-api.js';

/** What the bot counts about its interactive sends (logged; read by tests and the burst bench). */
export interface ReplyStats {
  /** Messages the platform accepted. */
  sent: number;
  /** 429 answers received (each followed by a wait and a resend). */
  rateLimited: number;
  /** Replies given up at their deadline. */
  abandoned: number;
  /** Commands dropped because the same command from the same chat was still waiting. */
  deduplicated: number;
}

export const emptyReplyStats = (): ReplyStats => ({ sent: 0, rateLimited: 0, abandoned: 0, deduplicated: 0 });

/** One try: the value, or the platform's "wait this long" (a 429). Any other failure throws. */
export type PacedAttempt<T> = () => Promise<{ ok: true; value: T } | { ok: false; retryAfterMs: number; reason: string }>;

export interface Pacer {
  readonly stats: ReplyStats;
  /** The monotonic time a reply to a command arriving now is abandoned at. */
  deadlineFromNow(): number;
  /** Runs `attempt` under the limiter until it succeeds, throws, or `giveUpAt` (monotonic ms) passes. */
  run<T>(chat: ChatRef, method: string, attempt: PacedAttempt<T>, giveUpAt: number): Promise<T>;
}

export interface PacerOptions {
  limiter: RateLimiter;
  /** REPLY_DEADLINE in ms. */
  deadlineMs: number;
  clock?: Clock;
}

/** True for a reply the pacer gave up on because the platform kept it rate-limited past its deadline. */
export function isAbandonedReply(err: unknown): err is PlatformError {
  return err instanceof PlatformError && err.context.outcome === 'abandoned';
}

export function createPacer(options: PacerOptions): Pacer {
  const { limiter, deadlineMs } = options;
  const clock = options.clock ?? monotonicClock;
  const stats = emptyReplyStats();

  const abandon = (chat: ChatRef, method: string, why: string): PlatformError => {
    stats.abandoned++;
    return new PlatformError(`Telegram ${method} for chat ${chat.chatId} abandoned: ${why}`, {
      platform: 'telegram',
      method,
      chatId: chat.chatId,
      outcome: 'abandoned',
      deadlineMs,
    });
  };

  return {
    stats,
    deadlineFromNow: () => clock.now() + deadlineMs,
    async run(chat, method, attempt, giveUpAt) {
      let lastWhy = `still rate-limited after REPLY_DEADLINE (${deadlineMs} ms)`;
      for (;;) {
        const left = giveUpAt - clock.now();
        if (left <= 0) throw abandon(chat, method, lastWhy);
        const timer = new AbortController();
        const waiting = clock.sleep(left, timer.signal).then(() => timer.abort());
        let granted: boolean;
        try {
          granted = await limiter.acquire(chat, timer.signal, 'interactive');
        } finally {
          if (!timer.signal.aborted) timer.abort();
          await waiting;
        }
        if (!granted) throw abandon(chat, method, `no send slot within REPLY_DEADLINE (${deadlineMs} ms)`);
        const result = await attempt();
        if (result.ok) {
          stats.sent++;
          return result.value;
        }
        stats.rateLimited++;
        limiter.hold(chat, result.retryAfterMs);
        limiter.penalize(chat.platform);
        lastWhy = `429 (${result.reason}), retry_after ${result.retryAfterMs} ms would pass REPLY_DEADLINE (${deadlineMs} ms)`;
        if (clock.now() + result.retryAfterMs >= giveUpAt) throw abandon(chat, method, lastWhy);
      }
    },
  };
}

/** Parameters of an editMessageText on a chat message. */
type EditParams = Opts<'editMessageText'> & { chat_id: number | string; message_id: number };

/** editMessageText under the pacer: a 429 waits retry_after and edits again; other failures throw as telegraf threw them. */
export function pacedEdit(pacer: Pacer, api: BotApi, params: EditParams): Promise<unknown> {
  const chat: ChatRef = { platform: 'telegram', chatId: String(params.chat_id), threadId: null };
  return pacer.run(
    chat,
    'editMessageText',
    async () => {
      try {
        return { ok: true, value: await api.call('editMessageText', params) };
      } catch (err) {
        if (!(err instanceof TelegramError) || err.code !== 429) throw err;
        const seconds = Number(err.parameters?.retry_after ?? 1);
        return { ok: false, retryAfterMs: Math.max(1, seconds) * 1000, reason: err.description };
      }
    },
    pacer.deadlineFromNow(),
  );
}
