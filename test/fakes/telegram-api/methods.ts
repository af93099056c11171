/**
 * The Bot API methods the fake serves (getUpdates lives with the server: it holds connections).
 * Each handler returns the `result` or throws an `ApiFailure` worded like Telegram's.
 */
import type { Chat } from 'telegraf/types';
import { checkAnswerInlineQuery, checkEditMessageText, checkSendMessage } from '../../validators/telegram-html.js';
import type { TelegramHtmlMemo } from '../../validators/telegram-html-memo.js';
import { ApiFailure } from './http.js';
import type { FakeTelegramWorld, SentMessage } from './world.js';

export type MethodHandler = (params: Record<string, unknown>) => unknown;

const QUERY_EXPIRED = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

function rejectIfInvalid(errors: string[]): void {
  if (errors.length > 0) throw new ApiFailure(400, `Bad Request: ${errors[0]}`);
}

function asString(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

export interface MethodOptions {
  /** Parses HTML texts: the validation and the stored plain text share one parse per distinct text. */
  html: TelegramHtmlMemo;
  /** Whether a stored message keeps the full parameters that set it (`SentMessage.params`). */
  keepParams: boolean;
}

export function createMethodHandlers(world: FakeTelegramWorld, options: MethodOptions): Record<string, MethodHandler> {
  const parse = (html: string) => options.html.parse(html);
  /** The text as stored (the memo's copy of an HTML text, shared by every message with it) and what a reader sees of it. */
  const content = (text: string, parseMode: unknown): { text: string; plainText: string } => {
    if (parseMode !== 'HTML') return { text, plainText: text };
    const parsed = options.html.parse(text);
    return { text: parsed.html, plainText: parsed.plainText };
  };

  const requireChat = (params: Record<string, unknown>): Chat => {
    const chat = world.chat(asString(params.chat_id) ?? '');
    if (!chat) throw new ApiFailure(400, 'Bad Request: chat not found');
    return chat;
  };

  const messageResult = (chat: Chat, stored: SentMessage, editDate?: number) => ({
    message_id: stored.messageId,
    date: Math.floor(Date.now() / 1000),
    chat,
    from: world.bot,
    text: stored.plainText,
    ...(stored.threadId !== null ? { message_thread_id: stored.threadId, is_topic_message: true } : {}),
    ...(stored.replyMarkup ? { reply_markup: stored.replyMarkup } : {}),
    ...(editDate ? { edit_date: editDate } : {}),
  });

  const commandsKey = (params: Record<string, unknown>): string => {
    const scope = params.scope as { type?: string } | undefined;
    return `${scope?.type ?? 'default'}|${asString(params.language_code) ?? ''}`;
  };

  return {
    getMe: () => world.bot,
    deleteWebhook: () => {
      world.webhookUrl = '';
      return true;
    },
    setWebhook: (params) => {
      world.webhookUrl = asString(params.url) ?? '';
      return true;
    },
    getWebhookInfo: () => ({ url: world.webhookUrl, has_custom_certificate: false, pending_update_count: 0 }),

    sendMessage: (params) => {
      rejectIfInvalid(checkSendMessage(params, parse));
      const chat = requireChat(params);
      const threadId = params.message_thread_id == null ? null : Number(params.message_thread_id);
      const stored: SentMessage = {
        chatId: String(chat.id),
        messageId: world.nextMessageId(chat.id),
        threadId,
        ...content(params.text as string, params.parse_mode),
        parseMode: asString(params.parse_mode),
        replyMarkup: params.reply_markup ?? null,
        ...(options.keepParams ? { params } : {}),
        editCount: 0,
      };
      world.messages.set(world.messageKey(chat.id, stored.messageId), stored);
      return messageResult(chat, stored);
    },

    editMessageText: (params) => {
      rejectIfInvalid(checkEditMessageText(params, parse));
      if (params.inline_message_id != null) return true;
      const chat = requireChat(params);
      const stored = world.messages.get(world.messageKey(chat.id, Number(params.message_id)));
      if (!stored) throw new ApiFailure(400, 'Bad Request: message to edit not found');
      const text = params.text as string;
      const replyMarkup = params.reply_markup ?? null;
      const parseMode = asString(params.parse_mode);
      if (text === stored.text && parseMode === stored.parseMode && JSON.stringify(replyMarkup) === JSON.stringify(stored.replyMarkup)) {
        throw new ApiFailure(400, NOT_MODIFIED);
      }
      Object.assign(stored, { ...content(text, parseMode), parseMode, replyMarkup, ...(options.keepParams ? { params } : {}), editCount: stored.editCount + 1 });
      return messageResult(chat, stored, Math.floor(Date.now() / 1000));
    },

    answerCallbackQuery: (params) => {
      const id = asString(params.callback_query_id) ?? '';
      if (!world.pendingCallbackQueries.delete(id)) throw new ApiFailure(400, QUERY_EXPIRED);
      if (typeof params.text === 'string' && params.text.length > 200) throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
      return true;
    },

    answerInlineQuery: (params) => {
      rejectIfInvalid(checkAnswerInlineQuery(params));
      const id = asString(params.inline_query_id) ?? '';
      if (!world.pendingInlineQueries.delete(id)) throw new ApiFailure(400, QUERY_EXPIRED);
      return true;
    },

    setMyCommands: (params) => {
      const commands = params.commands;
      if (!Array.isArray(commands)) throw new ApiFailure(400, 'Bad Request: commands must be an array');
      if (commands.length > 100) throw new ApiFailure(400, 'Bad Request: too many commands (max 100)');
      for (const c of commands as Array<Record<string, unknown>>) {
        if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiFailure(400, 'Bad Request: BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
          throw new ApiFailure(400, 'Bad Request: command description must be 1-256 characters');
        }
      }
      const language = asString(params.language_code);
      if (language != null && language !== '' && !/^[a-z]{2}$/.test(language)) throw new ApiFailure(400, 'Bad Request: invalid language code');
      world.commands.set(commandsKey(params), commands);
      return true;
    },
    getMyCommands: (params) => world.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => world.commands.delete(commandsKey(params)) || true,

    getChat: (params) => requireChat(params),
    getChatMember: (params) => {
      const chat = requireChat(params);
      const userId = Number(params.user_id);
      if (!Number.isSafeInteger(userId)) throw new ApiFailure(400, 'Bad Request: invalid user_id specified');
      const status = world.memberStatus(chat.id, userId);
      const user = userId === world.bot.id ? world.bot : { id: userId, is_bot: false, first_name: `User ${userId}` };
      const rights = status === 'administrator' ? { can_be_edited: false, can_manage_chat: true, can_post_messages: true, is_anonymous: false } : {};
      return { status, user, ...rights };
    },
    getChatAdministrators: (params) => {
      const chat = requireChat(params);
      const members = new Map(world.members.get(String(chat.id)) ?? []);
      if (!members.has(world.bot.id)) members.set(world.bot.id, 'administrator');
      return [...members]
        .filter(([, status]) => status === 'creator' || status === 'administrator')
        .map(([id, status]) => ({ status, user: id === world.bot.id ? world.bot : { id, is_bot: false, first_name: `User ${id}` } }));
    },
  };
}
