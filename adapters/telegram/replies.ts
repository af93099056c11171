/**
 * Sends a command's reply to the chat it came from: rendered by the Telegram renderer (with page
 * buttons for search and archive pages), one message after another, in the same forum topic, each
 * within SEND_TIMEOUT, and each under the shared rate limiter (paced.ts): a 429 waits retry_after and
 * sends the same message again, until the reply's deadline. Any other failure throws a scrubbed
 * PlatformError, which the bot's failure handler logs before apologising.
 */
import type { PageCodec } from '../../src/commands/pager.js';
import type { Reply } from '../../src/commands/types.js';
import { PlatformError } from '../../src/errors.js';
import type { ChatRef, DeliveryPort } from '../../src/platform.js';
import type { BotApi } from './bot-api.js';
import type { Pacer } from './paced.js';
import { renderTelegramReply, type TelegramMessage } from './render.js';
import { CALLBACK_DATA_BYTES } from './settings.js';

/** A reply as Telegram messages, with ◀ n/m ▶ buttons when it is one page of several. */
export function renderReplyMessages(reply: Reply, pages: PageCodec): TelegramMessage[] {
  const pager = pages.buttonsFor(reply, CALLBACK_DATA_BYTES);
  return renderTelegramReply(reply, pager ? { pager } : {});
}

interface ReplySender {
  /**
   * Sends the reply's messages in order; resolves with their message ids. `giveUpAt` (monotonic ms,
   * default REPLY_DEADLINE from now) is when a reply still held back by 429s is abandoned.
   */
  send(chat: ChatRef, reply: Reply, giveUpAt?: number): Promise<string[]>;
}

/** Replies go out through the Telegram DeliveryPort (the sender scheduled posts use), each send with the API's send deadline. */
export function createReplySender(port: DeliveryPort, api: BotApi, pages: PageCodec, pacer: Pacer): ReplySender {
  const sendOne = (chat: ChatRef, message: TelegramMessage, giveUpAt: number): Promise<string> =>
    pacer.run(
      chat,
      'sendMessage',
      async () => {
        const outcome = await port.send(chat, { ...message }, { signal: api.deadline(api.sendTimeoutMs) });
        if (outcome.kind === 'sent') return { ok: true, value: outcome.messageId };
        if (outcome.kind === 'rate_limited') return { ok: false, retryAfterMs: outcome.retryAfterMs, reason: outcome.reason };
        // The outcome's reason is already scrubbed of the token.
        throw new PlatformError(`Telegram sendMessage for chat ${chat.chatId} failed: ${outcome.reason}`, {
          platform: 'telegram',
          method: 'sendMessage',
          chatId: chat.chatId,
          outcome: outcome.kind,
        });
      },
      giveUpAt,
    );

  return {
    async send(chat, reply, giveUpAt = pacer.deadlineFromNow()) {
      const ids: string[] = [];
      for (const message of renderReplyMessages(reply, pages)) ids.push(await sendOne(chat, message, giveUpAt));
      return ids;
    },
  };
}
