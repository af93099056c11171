/**
 * Telegram updates → the core's `Caller`: who asked, in which chat and topic, in which language,
 * and whether they may change the chat's subscription (`isChatAdmin`).
 *
 * The admin rule: in a private chat the user is its admin; a channel post comes from the channel's
 * admins (only they can post); a message an anonymous group admin sends "as the group" carries
 * `sender_chat` = the group; anyone else in a group is asked about with getChatMember (creator or
 * administrator), and the answer is cached briefly so a burst of admin commands costs one call.
 */
import type { CallbackQuery, Chat, Message } from 'telegraf/types';
import type { Caller, ChatType } from '../../src/commands/types.js';
import { PlatformError } from '../../src/errors.js';
import { languageFromLocale } from '../../src/i18n/language.js';
import { reportError, type Logger } from '../../src/log.js';
import type { BotApi } from './bot-api.js';
import { telegramPlatformError } from './errors.js';

/** How long a getChatMember answer is trusted. */
const ADMIN_CACHE_TTL_MS = 60_000;
const ADMIN_CACHE_MAX_ENTRIES = 5_000;

/** Answers "is this user an admin of this chat?", from a short-lived cache or getChatMember. */
export interface AdminCheck {
  isAdmin(chatId: number, userId: number): Promise<boolean>;
}

interface AdminCheckOptions {
  ttlMs?: number;
  /** Injected clock (ms). */
  now?: () => number;
  /** Failed lookups are logged here (and answer "no", uncached). */
  logger?: Logger;
}

/**
 * getChatMember (with the interactive deadline) and a per-(chat, user) cache. Concurrent checks
 * for the same pair share one request. A failed or timed-out lookup answers false (never grant on
 * doubt) and is not cached.
 */
export function createAdminCheck(api: BotApi, options: AdminCheckOptions = {}): AdminCheck {
  const ttlMs = options.ttlMs ?? ADMIN_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { answer: Promise<boolean>; expires: number }>();

  const prune = () => {
    const t = now();
    // Same TTL for every entry, so insertion order is expiry order.
    for (const [key, entry] of cache) {
      if (entry.expires > t && cache.size <= ADMIN_CACHE_MAX_ENTRIES) break;
      cache.delete(key);
    }
  };

  return {
    isAdmin(chatId, userId) {
      const key = `${chatId}:${userId}`;
      const hit = cache.get(key);
      if (hit && hit.expires > now()) return hit.answer;
      cache.delete(key);
      prune();
      const answer = api.call('getChatMember', { chat_id: chatId, user_id: userId }).then(
        (member) => member.status === 'creator' || member.status === 'administrator',
        (err: unknown) => {
          cache.delete(key);
          const error = err instanceof PlatformError ? err : telegramPlatformError(err, { method: 'getChatMember', chatId: String(chatId), token: api.telegram.token });
          if (options.logger) reportError(options.logger, error, { userId: String(userId) });
          return false;
        },
      );
      cache.set(key, { answer, expires: now() + ttlMs });
      return answer;
    },
  };
}

function chatTypeOf(chat: Chat): ChatType {
  if (chat.type === 'private') return 'private';
  if (chat.type === 'channel') return 'channel';
  return 'group';
}

/** Forum topic of a message; reply threads of ordinary groups are not topics and are ignored. */
export function topicOf(message: Message): string | null {
  return 'is_topic_message' in message && message.is_topic_message && message.message_thread_id !== undefined
    ? String(message.message_thread_id)
    : null;
}

/** The caller behind a message or channel post. */
export function callerFromMessage(message: Message, admins: AdminCheck): Caller {
  const chat = message.chat;
  const chatType = chatTypeOf(chat);
  const from = message.from;
  const senderChat = 'sender_chat' in message ? message.sender_chat : undefined;
  const postedAsThisChat = senderChat?.id === chat.id;
  return {
    platform: 'telegram',
    // A channel post (or an anonymous admin's message) has no user; the chat itself speaks.
    userId: from && !postedAsThisChat ? String(from.id) : `chat:${chat.id}`,
    chatId: String(chat.id),
    threadId: topicOf(message),
    chatType,
    language: languageFromLocale(from?.language_code),
    isChatAdmin: async () => {
      if (chatType === 'private' || chatType === 'channel' || postedAsThisChat) return true;
      if (!from || senderChat) return false; // e.g. a linked channel's automatic forward
      return admins.isAdmin(chat.id, from.id);
    },
  };
}

/** The caller pressing a button on one of our messages; null for buttons on inline messages (no chat). */
export function callerFromCallback(query: CallbackQuery, admins: AdminCheck): Caller | null {
  const message = query.message;
  if (!message) return null;
  const chatType = chatTypeOf(message.chat);
  return {
    platform: 'telegram',
    userId: String(query.from.id),
    chatId: String(message.chat.id),
    // A message too old for the bot to see (date 0) carries no topic.
    threadId: message.date !== 0 ? topicOf(message as Message) : null,
    chatType,
    language: languageFromLocale(query.from.language_code),
    isChatAdmin: async () => (chatType === 'private' ? true : admins.isAdmin(message.chat.id, query.from.id)),
  };
}
