/**
 * An independent check of what Telegram accepts, used by tests and by the fake Bot API server.
 * Written from the Bot API documentation, never from newsbot's renderer, so the two can disagree.
 * Error strings from the `check*Message` functions are worded like Telegram's `description`
 * without the "Bad Request: " prefix, so the fake can answer with them as they are.
 */
import { parseTelegramHtml, type ParsedTelegramHtml } from './telegram-html-parse.js';

export { parseTelegramHtml, TELEGRAM_TAGS, type ParsedTelegramHtml } from './telegram-html-parse.js';

/** Message text limit, in UTF-16 code units after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Formatting entities per message Telegram keeps; the rest are silently dropped. */
export const MAX_ENTITIES = 100;
/** `callback_data` limit, in UTF-8 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface TelegramHtmlCheck {
  errors: string[];
  /** UTF-16 code units a reader sees. */
  visibleLength: number;
  entityCount: number;
  plainText: string;
}

/** Checks one HTML parse-mode text: markup, escaping, visible length (1..4096) and entity count. */
export function checkTelegramHtml(html: string): TelegramHtmlCheck {
  const parsed = parseTelegramHtml(html);
  const errors = [...parsed.errors];
  const visibleLength = parsed.plainText.length;
  if (parsed.plainText.trim() === '') errors.push('Message text is empty after entity parsing');
  if (visibleLength > MAX_MESSAGE_LENGTH) {
    errors.push(`Message is too long: ${visibleLength} UTF-16 code units after entity parsing (max ${MAX_MESSAGE_LENGTH})`);
  }
  if (parsed.entityCount > MAX_ENTITIES) {
    errors.push(`Too many entities: ${parsed.entityCount} (max ${MAX_ENTITIES}; Telegram silently drops the rest)`);
  }
  return { errors, visibleLength, entityCount: parsed.entityCount, plainText: parsed.plainText };
}

const COMMON_TEXT_KEYS = ['text', 'parse_mode', 'entities', 'link_preview_options', 'reply_markup', 'business_connection_id'];
const SEND_MESSAGE_KEYS: ReadonlySet<string> = new Set([
  ...COMMON_TEXT_KEYS, 'chat_id', 'message_thread_id', 'disable_notification', 'protect_content',
  'allow_paid_broadcast', 'message_effect_id', 'reply_parameters', 'disable_web_page_preview',
  'reply_to_message_id', 'allow_sending_without_reply',
]);
const EDIT_MESSAGE_KEYS: ReadonlySet<string> = new Set([
  ...COMMON_TEXT_KEYS, 'chat_id', 'message_id', 'inline_message_id', 'disable_web_page_preview',
]);
const LINK_PREVIEW_KEYS: ReadonlySet<string> = new Set(['is_disabled', 'url', 'prefer_small_media', 'prefer_large_media', 'show_above_text']);
/** Inline keyboard button kinds: a button carries exactly one of these. */
const BUTTON_ACTIONS = [
  'callback_data', 'url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'web_app', 'login_url', 'pay', 'callback_game',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInteger = (v: unknown): boolean => Number.isSafeInteger(v) || (typeof v === 'string' && /^-?[0-9]+$/.test(v));

function validUrl(value: unknown, protocols: readonly string[]): boolean {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Form-encoded requests carry objects as JSON strings; Telegram decodes them, so do we. */
function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * How an HTML text gets parsed: `parseTelegramHtml` itself, or anything returning exactly what it
 * would (the fake Bot API passes a `TelegramHtmlMemo`'s parse, so each distinct text is parsed once).
 */
export type TelegramHtmlParser = (html: string) => Readonly<ParsedTelegramHtml>;

/** Checks text, parse_mode, link_preview_options and reply_markup, shared by send and edit. */
function checkTextPayload(params: Record<string, unknown>, known: ReadonlySet<string>, parse: TelegramHtmlParser = parseTelegramHtml): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(params)) if (!known.has(key)) errors.push(`unknown parameter "${key}"`);
  const text = params.text;
  const parseMode = params.parse_mode;
  if (typeof text !== 'string' || text === '') {
    errors.push('message text is empty');
  } else {
    if (parseMode != null && parseMode !== 'HTML') errors.push(`unsupported parse_mode "${String(parseMode)}" (newsbot sends HTML)`);
    if (parseMode != null && params.entities != null) errors.push('parse_mode and entities are both set');
    const parsed = parseMode === 'HTML' ? parse(text) : { errors: [], plainText: text, entityCount: 0 };
    for (const e of parsed.errors) errors.push(`can't parse entities: ${e}`);
    if (parsed.plainText.trim() === '') errors.push('message text is empty');
    if (parsed.plainText.length > MAX_MESSAGE_LENGTH) errors.push('message is too long');
    if (parsed.entityCount > MAX_ENTITIES) {
      errors.push(`too many entities: ${parsed.entityCount} > ${MAX_ENTITIES} (Telegram would silently drop the rest)`);
    }
  }
  errors.push(...checkLinkPreviewOptions(decodeJson(params.link_preview_options)));
  errors.push(...checkReplyMarkup(decodeJson(params.reply_markup)));
  return errors;
}

function checkLinkPreviewOptions(options: unknown): string[] {
  if (options == null) return [];
  if (!isRecord(options)) return ['link_preview_options must be an object'];
  const errors: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!LINK_PREVIEW_KEYS.has(key)) errors.push(`link_preview_options: unknown field "${key}"`);
    else if (key === 'url' ? !validUrl(value, ['http:', 'https:']) : typeof value !== 'boolean') {
      errors.push(`link_preview_options: field "${key}" has a wrong type or value`);
    }
  }
  if (options.prefer_small_media === true && options.prefer_large_media === true) {
    errors.push('link_preview_options: prefer_small_media and prefer_large_media are both true');
  }
  return errors;
}

/** Checks an inline keyboard the way Telegram reports button problems. */
export function checkReplyMarkup(markup: unknown): string[] {
  if (markup == null) return [];
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) {
    return ['reply_markup must be an object with an inline_keyboard (the only markup newsbot sends)'];
  }
  const errors: string[] = [];
  for (const row of markup.inline_keyboard as unknown[]) {
    if (!Array.isArray(row)) {
      errors.push("can't parse reply keyboard markup JSON object: inline_keyboard rows must be arrays");
      continue;
    }
    for (const button of row as unknown[]) {
      if (!isRecord(button)) {
        errors.push("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        continue;
      }
      if (typeof button.text !== 'string' || button.text.trim() === '') {
        errors.push("can't parse inline keyboard button: Text must be a non-empty String");
      }
      const actions = BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
      if (actions.length === 0) errors.push("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (actions.length > 1) errors.push(`can't parse inline keyboard button: exactly one action allowed, got ${actions.join(', ')}`);
      const data = button.callback_data;
      if (data !== undefined) {
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
        if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) errors.push('BUTTON_DATA_INVALID');
      }
      if (button.url !== undefined && !validUrl(button.url, ['http:', 'https:', 'tg:'])) errors.push('BUTTON_URL_INVALID');
    }
  }
  return errors;
}

/** Checks sendMessage parameters as Telegram would (plus newsbot's stricter HTML rules). Empty = valid. */
export function checkSendMessage(params: Record<string, unknown>, parse: TelegramHtmlParser = parseTelegramHtml): string[] {
  const errors: string[] = [];
  const chatId = params.chat_id;
  if (chatId == null || chatId === '') errors.push('chat_id is empty');
  else if (!isInteger(chatId) && !(typeof chatId === 'string' && /^@[A-Za-z0-9_]{4,}$/.test(chatId))) {
    errors.push('chat not found');
  }
  if (params.message_thread_id != null && !isInteger(params.message_thread_id)) errors.push('message thread not found');
  return [...errors, ...checkTextPayload(params, SEND_MESSAGE_KEYS, parse)];
}

/** Checks editMessageText parameters: chat_id + message_id, or inline_message_id, then the text. */
export function checkEditMessageText(params: Record<string, unknown>, parse: TelegramHtmlParser = parseTelegramHtml): string[] {
  const errors: string[] = [];
  if (params.inline_message_id == null) {
    if (params.chat_id == null || params.chat_id === '') errors.push('chat_id is empty');
    if (!isInteger(params.message_id)) errors.push('message identifier is not specified');
  }
  return [...errors, ...checkTextPayload(params, EDIT_MESSAGE_KEYS, parse)];
}

/** Checks answerInlineQuery results: at most 50, unique ids of 1-64 bytes, valid article text. */
export function checkAnswerInlineQuery(params: Record<string, unknown>): string[] {
  const results = decodeJson(params.results);
  if (!Array.isArray(results)) return ['results must be an array'];
  const errors: string[] = [];
  if (results.length > 50) errors.push('RESULTS_TOO_MUCH');
  const ids = new Set<string>();
  for (const result of results as unknown[]) {
    if (!isRecord(result)) {
      errors.push("can't parse inline query result: InlineQueryResult must be an Object");
      continue;
    }
    const id = typeof result.id === 'string' ? result.id : '';
    const idBytes = Buffer.byteLength(id, 'utf8');
    if (idBytes < 1 || idBytes > 64) errors.push('RESULT_ID_INVALID');
    if (ids.has(id)) errors.push('RESULT_ID_DUPLICATE');
    ids.add(id);
    if (result.type === 'article' && (typeof result.title !== 'string' || result.title === '')) errors.push('RESULT_TITLE_EMPTY');
    const content = result.input_message_content;
    if (isRecord(content) && content.message_text !== undefined) {
      const payload = { text: content.message_text, parse_mode: content.parse_mode, link_preview_options: content.link_preview_options };
      const known = new Set(['text', 'parse_mode', 'link_preview_options']);
      for (const e of checkTextPayload(payload, known)) errors.push(`can't parse InputTextMessageContent: ${e}`);
    }
    errors.push(...checkReplyMarkup(result.reply_markup));
  }
  return errors;
}
