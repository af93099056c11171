/**
 * What the fake Telegram server knows: chats, members, the bot's own messages, and the
 * updates it builds for tests (shaped like the Bot API's, so telegraf routes them for real).
 */
import type { CallbackQuery, Chat, InlineQuery, Message, MessageEntity, Update, User, UserFromGetMe } from 'telegraf/types';

export type ChatType = Chat['type'];
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** A message the bot sent and Telegram accepted (its current state, after edits). */
export interface SentMessage {
  chatId: string;
  messageId: number;
  threadId: number | null;
  /** The text as sent (HTML when parseMode is 'HTML'). */
  text: string;
  /** What a reader sees. */
  plainText: string;
  parseMode: string | null;
  replyMarkup: unknown;
  /** The full parameters of the last sendMessage/editMessageText that set it (absent when the fake records a 'summary'). */
  params?: Record<string, unknown>;
  editCount: number;
}

export interface PushMessageOptions {
  text: string;
  /** Default: the sender's id (a private chat). */
  chatId?: number;
  /** Default: inferred from chatId (positive: private; -100…: supergroup; other negative: group). */
  chatType?: 'private' | 'group' | 'supergroup';
  chatTitle?: string;
  /** Merged over the default user (id 1001, "Ada", language_code "en"). */
  from?: Partial<User>;
  /** Shortcut for `from.language_code`. */
  languageCode?: string;
  /** Forum topic. */
  messageThreadId?: number;
}

export interface PushChannelPostOptions {
  chatId: number;
  text: string;
  chatTitle?: string;
  chatUsername?: string;
}

export interface PushCallbackQueryOptions {
  data: string;
  /** The bot message the button was on; its stored text and keyboard are included. */
  messageId?: number;
  /** Default: the user's private chat. */
  chatId?: number;
  from?: Partial<User>;
  languageCode?: string;
}

export interface PushInlineQueryOptions {
  query: string;
  offset?: string;
  from?: Partial<User>;
  languageCode?: string;
  chatType?: 'sender' | 'private' | 'group' | 'supergroup' | 'channel';
}

const DEFAULT_USER: User = { id: 1001, is_bot: false, first_name: 'Ada', username: 'ada', language_code: 'en' };
/** Telegram's bot command syntax: /name (1-32 of [A-Za-z0-9_]) with an optional @botname. */
const COMMAND_AT_START = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/;

/** A `bot_command` entity when the text starts with a command, as Telegram adds it. */
export function commandEntities(text: string): MessageEntity[] | undefined {
  const m = COMMAND_AT_START.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
}

function inferChatType(id: number): 'private' | 'group' | 'supergroup' {
  if (id > 0) return 'private';
  return id <= -1_000_000_000_000 ? 'supergroup' : 'group';
}

export class FakeTelegramWorld {
  readonly chats = new Map<string, Chat>();
  readonly members = new Map<string, Map<number, MemberStatus>>();
  readonly messages = new Map<string, SentMessage>();
  readonly pendingCallbackQueries = new Set<string>();
  readonly pendingInlineQueries = new Set<string>();
  /** setMyCommands lists by `<scope type>|<language_code>`. */
  readonly commands = new Map<string, unknown[]>();
  /** Set by setWebhook; while set, getUpdates answers 409 as Telegram does. */
  webhookUrl = '';
  private readonly lastMessageId = new Map<string, number>();
  private queryCounter = 0;

  constructor(readonly bot: UserFromGetMe) {}

  /** The chat with this id: registered (or seen in an update), else inferred from the id's sign. */
  chat(chatId: string | number): Chat | null {
    const key = String(chatId);
    const known = this.chats.get(key) ?? [...this.chats.values()].find((c) => 'username' in c && `@${c.username}` === key);
    if (known) return known;
    if (!/^-?[0-9]+$/.test(key)) return null;
    const id = Number(key);
    const type = inferChatType(id);
    return type === 'private' ? { id, type, first_name: 'User' } : { id, type, title: type === 'group' ? 'Group' : 'Supergroup' };
  }

  setChat(chat: Chat): void {
    this.chats.set(String(chat.id), chat);
  }

  setMember(chatId: string | number, userId: number, status: MemberStatus): void {
    const key = String(chatId);
    const chatMembers = this.members.get(key) ?? new Map<number, MemberStatus>();
    chatMembers.set(userId, status);
    this.members.set(key, chatMembers);
  }

  /** A member's status; users never set are members, and the bot is an administrator. */
  memberStatus(chatId: string | number, userId: number): MemberStatus {
    return this.members.get(String(chatId))?.get(userId) ?? (userId === this.bot.id ? 'administrator' : 'member');
  }

  nextMessageId(chatId: string | number): number {
    const key = String(chatId);
    const id = (this.lastMessageId.get(key) ?? 0) + 1;
    this.lastMessageId.set(key, id);
    return id;
  }

  messageKey(chatId: string | number, messageId: number): string {
    return `${chatId}:${messageId}`;
  }

  private user(from: Partial<User> | undefined, languageCode: string | undefined): User {
    return { ...DEFAULT_USER, ...from, ...(languageCode ? { language_code: languageCode } : {}) };
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  messageUpdate(o: PushMessageOptions): Omit<Update.MessageUpdate<Message.TextMessage>, 'update_id'> {
    const from = this.user(o.from, o.languageCode);
    const chatId = o.chatId ?? from.id;
    const type = o.chatType ?? inferChatType(chatId);
    const chat: Exclude<Chat, Chat.ChannelChat> =
      type === 'private'
        ? { id: chatId, type, first_name: from.first_name, ...(from.username ? { username: from.username } : {}) }
        : type === 'group'
          ? { id: chatId, type, title: o.chatTitle ?? 'Test group' }
          : { id: chatId, type, title: o.chatTitle ?? 'Test supergroup', ...(o.messageThreadId ? { is_forum: true } : {}) };
    this.setChat(chat);
    const entities = commandEntities(o.text);
    const message: Update.New & Update.NonChannel & Message.TextMessage = {
      message_id: this.nextMessageId(chatId),
      date: this.now(),
      chat,
      from,
      text: o.text,
      ...(entities ? { entities } : {}),
      ...(o.messageThreadId ? { message_thread_id: o.messageThreadId, is_topic_message: true } : {}),
    };
    return { message };
  }

  channelPostUpdate(o: PushChannelPostOptions): Omit<Update.ChannelPostUpdate<Message.TextMessage>, 'update_id'> {
    const chat: Chat.ChannelChat = {
      id: o.chatId,
      type: 'channel',
      title: o.chatTitle ?? 'Test channel',
      ...(o.chatUsername ? { username: o.chatUsername } : {}),
    };
    this.setChat(chat);
    const entities = commandEntities(o.text);
    const post: Update.New & Update.Channel & Message.TextMessage = {
      message_id: this.nextMessageId(o.chatId),
      date: this.now(),
      chat,
      sender_chat: chat,
      text: o.text,
      ...(entities ? { entities } : {}),
    };
    return { channel_post: post };
  }

  callbackQueryUpdate(o: PushCallbackQueryOptions): Omit<Update.CallbackQueryUpdate<CallbackQuery.DataQuery>, 'update_id'> {
    const from = this.user(o.from, o.languageCode);
    const chatId = o.chatId ?? from.id;
    const id = `cbq-${++this.queryCounter}`;
    this.pendingCallbackQueries.add(id);
    const stored = o.messageId === undefined ? undefined : this.messages.get(this.messageKey(chatId, o.messageId));
    const chat = this.chat(chatId) ?? { id: chatId, type: 'private', first_name: from.first_name };
    const message: Message.TextMessage | undefined =
      o.messageId === undefined
        ? undefined
        : {
            message_id: o.messageId,
            date: this.now(),
            chat,
            from: this.bot,
            text: stored?.plainText ?? '',
            ...(stored?.replyMarkup ? { reply_markup: stored.replyMarkup as Message.TextMessage['reply_markup'] } : {}),
          };
    const query: CallbackQuery.DataQuery = {
      id,
      from,
      chat_instance: `ci-${chatId}`,
      data: o.data,
      ...(message ? { message } : {}),
    };
    return { callback_query: query };
  }

  inlineQueryUpdate(o: PushInlineQueryOptions): Omit<Update.InlineQueryUpdate, 'update_id'> {
    const id = `iq-${++this.queryCounter}`;
    this.pendingInlineQueries.add(id);
    const query: InlineQuery = {
      id,
      from: this.user(o.from, o.languageCode),
      query: o.query,
      offset: o.offset ?? '',
      ...(o.chatType ? { chat_type: o.chatType } : {}),
    };
    return { inline_query: query };
  }
}
