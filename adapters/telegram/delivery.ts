/**
 * Sends outbox messages to Telegram with telegraf's client and reports a DeliveryOutcome.
 * telegraf does not retry sends (only its own polling waits on 429): retrying is the outbox's job,
 * so every failure comes back as an outcome, never as a throw.
 *
 * Deadline: the outbox passes its own signal (SEND_TIMEOUT) and the request is aborted on it. Only a
 * caller that passes none (the bot's command replies, `newsbot deliver --dry-run`, tests) gets the
 * sender's default deadline, `timeoutMs`.
 */
import type { Telegram } from 'telegraf';
import { sendDeadline } from '../../src/delivery/deadlines.js';
import type { Digest } from '../../src/digest/digest.js';
import type { PlatformError } from '../../src/errors.js';
import type { Language } from '../../src/i18n/language.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort, OutboundMessage, RecordedRequest, SendOptions } from '../../src/platform.js';
import { telegramErrorToOutcome, telegramPlatformError, type FailedDelivery } from './errors.js';
import { renderTelegramDigest } from './render.js';

/** Long enough for a slow Bot API answer, short enough that a hung socket does not stall the outbox. */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

export interface TelegramSenderOptions {
  /**
   * Deadline of a send made without a signal; a request still pending then is aborted and reported
   * `transient`. A send given a signal (the outbox's) has no deadline of its own.
   */
  timeoutMs?: number;
  /** Called with a scrubbed PlatformError for every failed send, e.g. to `reportError` it. */
  onError?: (error: PlatformError, outcome: FailedDelivery) => void;
}

export interface TelegramSender {
  /** Sends one sendMessage payload to the chat (and forum topic). Never throws. */
  send(chat: ChatRef, message: OutboundMessage, options?: SendOptions): Promise<DeliveryOutcome>;
}

/**
 * The one Bot API call the sender makes. telegraf's `Telegram` client is one; `recordingTransport`
 * is another, for dry runs.
 */
export interface TelegramTransport {
  readonly token: string;
  callApi(method: 'sendMessage', payload: never, options: { signal: never }): Promise<{ message_id: number }>;
}

/** A transport that answers like Telegram and keeps each request in `requests` instead of sending it. */
export function recordingTransport(requests: RecordedRequest[]): TelegramTransport {
  let next = 1;
  return {
    token: '0:dry-run',
    callApi: async (method, params) => {
      requests.push({ method, params: { ...(params as Record<string, unknown>) } });
      return { message_id: next++ };
    },
  };
}

/** Telegram documents chat_id as an integer (or "@channel"); send numeric ids as numbers. */
function chatIdParam(chatId: string): number | string {
  return /^-?[0-9]+$/.test(chatId) && Number.isSafeInteger(Number(chatId)) ? Number(chatId) : chatId;
}

export function createTelegramSender(telegram: TelegramTransport, options: TelegramSenderOptions = {}): TelegramSender {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const token = telegram.token;

  const fail = (err: unknown, outcome: FailedDelivery, chat: ChatRef): FailedDelivery => {
    options.onError?.(telegramPlatformError(err, { method: 'sendMessage', chatId: chat.chatId, token }), outcome);
    return outcome;
  };

  return {
    async send(chat, message, sendOptions = {}) {
      if (chat.platform !== 'telegram') {
        return fail(new Error(`not a Telegram chat (${chat.platform})`), { kind: 'failed', reason: `not a Telegram chat: ${chat.platform}` }, chat);
      }
      const payload = {
        ...message,
        chat_id: chatIdParam(chat.chatId),
        ...(chat.threadId !== null ? { message_thread_id: Number(chat.threadId) } : {}),
      };
      // The caller's deadline, or (no signal given) our own.
      const { signal, own, done } = sendDeadline(sendOptions.signal, timeoutMs);
      try {
        // The payload comes from our renderer as a plain object; telegraf's typings cannot know its shape.
        const sent = await telegram.callApi('sendMessage', payload as never, { signal: signal as never });
        return { kind: 'sent', messageId: String(sent.message_id) };
      } catch (err) {
        if (signal.aborted) {
          const reason = own ? `sendMessage timed out after ${timeoutMs} ms` : `sendMessage aborted by the caller: ${abortReason(signal)}`;
          return fail(new Error(reason), { kind: 'transient', reason }, chat);
        }
        return fail(err, telegramErrorToOutcome(err, token), chat);
      } finally {
        done();
      }
    },
  };
}

/** Why a signal was aborted, in words (the outbox aborts with "no answer within N ms"). */
function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
}

/** The Telegram DeliveryPort: the HTML digest renderer plus the sender. */
export function createTelegramDeliveryPort(telegram: TelegramTransport, options: TelegramSenderOptions = {}): DeliveryPort {
  const sender = createTelegramSender(telegram, options);
  return {
    platform: 'telegram',
    renderDigest: (digest: Digest, language: Language): OutboundMessage[] => renderTelegramDigest(digest, language).map((m) => ({ ...m })),
    send: (chat, message, sendOptions) => sender.send(chat, message, sendOptions),
    // Owner alerts: a user's private chat has the user's id; plain text, so nothing needs escaping.
    notifyUser: (userId, text) => sender.send({ platform: 'telegram', chatId: userId, threadId: null }, { text, link_preview_options: { is_disabled: true } }),
  };
}
