/**
 * Sends a command's reply to the chat it came from: rendered by the Telegram renderer (with page
 * buttons for search and archive pages), one message after another, in the same forum topic, each
 * within SEND_TIMEOUT. A short 429 is waited out (a user is waiting for this answer); anything
 * else throws a scrubbed PlatformError, which the bot's failure handler logs before apologising.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PageCodec } from '../../src/commands/pager.js';
import type { Reply } from '../../src/commands/types.js';
import { PlatformError } from '../../src/errors.js';
import type { ChatRef, DeliveryPort } from '../../src/platform.js';
import type { BotApi } from './bot-api.js';
import { renderTelegramReply, type TelegramMessage } from './render.js';

/** Longest 429 wait a reply sits out before giving up. */
const MAX_REPLY_RATE_WAIT_MS = 10_000;
const MAX_REPLY_ATTEMPTS = 3;

/** A reply as Telegram messages, with ◀ n/m ▶ buttons when it is one page of several. */
export function renderReplyMessages(reply: Reply, pages: PageCodec): TelegramMessage[] {
  const pager = pages.buttonsFor(reply);
  return renderTelegramReply(reply, pager ? { pager } : {});
}

interface ReplySender {
  /** Sends the reply's messages in order; resolves with their message ids. */
  send(chat: ChatRef, reply: Reply): Promise<string[]>;
}

/** Replies go out through the Telegram DeliveryPort (the sender scheduled posts use), each send with the API's send deadline. */
export function createReplySender(port: DeliveryPort, api: BotApi, pages: PageCodec): ReplySender {
  const sendOne = async (chat: ChatRef, message: TelegramMessage): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const outcome = await port.send(chat, { ...message }, { signal: api.deadline(api.sendTimeoutMs) });
      if (outcome.kind === 'sent') return outcome.messageId;
      const waitable = outcome.kind === 'rate_limited' && outcome.retryAfterMs <= MAX_REPLY_RATE_WAIT_MS;
      if (waitable && attempt < MAX_REPLY_ATTEMPTS) {
        await sleep(outcome.retryAfterMs);
        continue;
      }
      // The outcome's reason is already scrubbed of the token.
      throw new PlatformError(`Telegram sendMessage for chat ${chat.chatId} failed: ${outcome.reason}`, {
        platform: 'telegram',
        method: 'sendMessage',
        chatId: chat.chatId,
        outcome: outcome.kind,
      });
    }
  };

  return {
    async send(chat, reply) {
      const ids: string[] = [];
      for (const message of renderReplyMessages(reply, pages)) ids.push(await sendOne(chat, message));
      return ids;
    },
  };
}
