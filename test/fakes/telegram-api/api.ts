/** The public shape of the fake Telegram Bot API server (see ../telegram-api.ts). */
import type { CallbackQuery, Chat, Message, Update, UserFromGetMe } from 'telegraf/types';
import type { FaultScope, RateLimit, TelegramFault } from './faults.js';
import type {
  MemberStatus,
  PushCallbackQueryOptions,
  PushChannelPostOptions,
  PushInlineQueryOptions,
  PushMessageOptions,
  SentMessage,
} from './world.js';

export interface FakeTelegramApiOptions {
  /** The only token accepted; others get 401 Unauthorized. Default FAKE_TELEGRAM_TOKEN. */
  token?: string;
  /** getMe overrides; the id defaults to the token's numeric prefix, the username to "newsbot_test_bot". */
  bot?: Partial<UserFromGetMe>;
  /** Milliseconds, for the rate limiter and `RecordedRequest.at`. Default performance.now. */
  clock?: () => number;
  /** A global message rate limit (sendMessage, editMessageText…); none by default. */
  rateLimit?: RateLimit | null;
  /** The same limit for each chat_id separately (e.g. 20/60 per second for a group); none by default. */
  perChatRateLimit?: RateLimit | null;
  /**
   * What the fake keeps. 'all' (default): every request in `requests`, and each message's full
   * `params`. 'summary', for broadcasts of tens of thousands of messages: `requests` stays empty
   * (so `waitFor` only sees requests that arrive after it is called) and messages keep no `params`;
   * `sent()` still lists every accepted message (chat, message id, text…), and every check and
   * answer is the same.
   */
  record?: 'all' | 'summary';
  /**
   * Told every request once answered (also with `record: 'summary'`), e.g. to keep a compact log of
   * what a broadcast of tens of thousands of messages got. Not told of held long polls until released.
   */
  onAnswer?: (request: RecordedRequest) => void;
}

/** One request as the fake received it, and what it answered. */
export interface RecordedRequest {
  seq: number;
  method: string;
  token: string;
  /** The label of the API root the client used (`viaRoot(label)`), or null for `apiRoot`. */
  via: string | null;
  params: Record<string, unknown>;
  /** The fake's clock when the request arrived. */
  at: number;
  /** HTTP status answered; null while a long poll is held; 0 when dropped, hung or aborted by the client. */
  status: number | null;
  /** The JSON body answered (null until answered). */
  response: unknown;
}

export interface FakeTelegramApi {
  /** `http://127.0.0.1:<port>`: pass as telegraf's `telegram.apiRoot`. */
  readonly apiRoot: string;
  /**
   * An API root that works like `apiRoot` but labels every request with `label` (`RecordedRequest.via`):
   * give each of several bot processes on one token its own, to tell who sent what.
   */
  viaRoot(label: string): string;
  readonly token: string;
  /** What getMe returns. */
  readonly bot: UserFromGetMe;
  /** Every request, in arrival order (always empty when `record` is 'summary'). */
  readonly requests: readonly RecordedRequest[];
  /**
   * `rateLimited`: 429s provoked by the rate limit (not by faults); `faults`: faults fired;
   * `conflicts`: long polls ended with 409 because another getUpdates came while they were open.
   */
  readonly stats: { readonly rateLimited: number; readonly faults: number; readonly conflicts: number };
  /** Queues an update (update_id assigned) and releases a held getUpdates. */
  pushUpdate<U extends Update>(update: Omit<U, 'update_id'>): U;
  /**
   * Serves an update already served once again, with its own update_id, to the next getUpdates
   * whatever its offset: what Telegram does when the poller that got it died before confirming it.
   */
  redeliver(update: Update): void;
  /** A user's text message; a leading /command gets its `bot_command` entity. */
  pushMessage(options: PushMessageOptions): Update.MessageUpdate<Message.TextMessage>;
  pushChannelPost(options: PushChannelPostOptions): Update.ChannelPostUpdate<Message.TextMessage>;
  /** A button press; answer it with `answerCallbackQuery` (`update.callback_query.id`). */
  pushCallbackQuery(options: PushCallbackQueryOptions): Update.CallbackQueryUpdate<CallbackQuery.DataQuery>;
  pushInlineQuery(options: PushInlineQueryOptions): Update.InlineQueryUpdate;
  /**
   * Resolves with the first request to `method` matching `predicate` that no earlier waitFor
   * returned (past or future), once the fake has answered it (or parked it, for long polls).
   */
  waitFor(method: string, predicate?: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Messages Telegram accepted, in order, in their current (edited) state; all chats when omitted. */
  sent(chatId?: string | number): SentMessage[];
  /** Arms a fault for matching requests (default: once, any chat, any non-polling method). */
  fault(fault: TelegramFault, scope?: FaultScope): void;
  clearFaults(): void;
  /** Replaces both limits (and refills the buckets). */
  setRateLimit(limit: RateLimit | null, perChat?: RateLimit | null): void;
  /** Registers a chat for getChat and for the chat object in results. */
  setChat(chat: Chat): void;
  /** Sets a member's status for getChatMember/getChatAdministrators (default: member; the bot: administrator). */
  setMember(chatId: string | number, userId: number, status: MemberStatus): void;
  /** The commands set with setMyCommands for a language ('' = default) and scope type. */
  myCommands(languageCode?: string, scopeType?: string): unknown[];
  /** Answers held polls, rejects pending waitFor calls, drops every connection and stops listening. */
  close(): Promise<void>;
}
