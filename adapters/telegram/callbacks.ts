/**
 * Page buttons (◀ 2/7 ▶): a press runs the page the button stands for and edits the message in
 * place. Every callback query is answered — data the message does not carry with "not on this
 * message", stale or foreign data with a polite "expired" — so the client stops spinning and nothing throws.
 *
 * A press is trusted only for a button the pressed message itself carries: a modified client can
 * send any data with any message id, and page data that decodes (`pg:s:1:<any text>`) would
 * otherwise rewrite that message, a channel post included, with text of the sender's choosing.
 */
import { TelegramError } from 'telegraf';
import type { CallbackQuery, InlineKeyboardMarkup } from 'telegraf/types';
import type { PageCodec } from '../../src/commands/pager.js';
import { message } from '../../src/commands/reply.js';
import type { CommandRouter } from '../../src/commands/router.js';
import { languageFromLocale, type Language } from '../../src/i18n/language.js';
import type { BotApi } from './bot-api.js';
import { callerFromCallback, type AdminCheck } from './caller.js';
import { COMMAND_BUTTON_PREFIX, PAGER_NOOP } from './render.js';
import type { ParsedCommand } from '../../src/commands/types.js';
import { renderReplyMessages } from './replies.js';
import { pacedEdit, type Pacer } from './paced.js';

interface CallbackDeps {
  api: BotApi;
  router: CommandRouter;
  pages: PageCodec;
  admins: AdminCheck;
  defaultLanguage: Language;
  /** The shared rate limiter's interactive lane: an edit posts into the chat like a reply. */
  pacer: Pacer;
}

/** Edits that fail because the message is gone or too old: the button is as good as expired. */
const UNEDITABLE = /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i;

function isTelegramError(err: unknown, pattern: RegExp): boolean {
  return err instanceof TelegramError && pattern.test(err.description);
}

/** True when `message` shows a button whose callback_data is exactly `data`. */
export function carriesButton(message: CallbackQuery['message'], data: string): boolean {
  // An inaccessible message (deleted, too old) has no reply_markup: nothing to vouch for the data.
  const markup = message && 'reply_markup' in message ? (message.reply_markup as InlineKeyboardMarkup | undefined) : undefined;
  return markup?.inline_keyboard?.some((row) => row.some((button) => 'callback_data' in button && button.callback_data === data)) ?? false;
}

/** Answers a button press, with a short notice or silently. */
export async function answerCallback(api: BotApi, query: CallbackQuery, text?: string): Promise<void> {
  await api.call('answerCallbackQuery', { callback_query_id: query.id, ...(text !== undefined ? { text } : {}) });
}

/** Handles one callback query; rethrows only unexpected failures (the bot's failure handler answers those). */
export async function handleCallbackQuery(query: CallbackQuery, deps: CallbackDeps): Promise<void> {
  const language = languageFromLocale(query.from.language_code) ?? deps.defaultLanguage;
  const data = 'data' in query ? query.data : undefined;
  const expired = () => answerCallback(deps.api, query, message(language, 'page.expired'));

  if (data === PAGER_NOOP) {
    await answerCallback(deps.api, query);
    return;
  }
  if (data !== undefined && !carriesButton(query.message, data)) {
    // Forged, or a second press racing the edit that replaced this button: change nothing.
    await answerCallback(deps.api, query, message(language, 'page.notOnMessage'));
    return;
  }
  const caller = callerFromCallback(query, deps.admins);
  const command = data?.startsWith(COMMAND_BUTTON_PREFIX) ? commandOf(data.slice(COMMAND_BUTTON_PREFIX.length)) : null;
  if (data === undefined || caller === null || (!command && !deps.pages.owns(data)) || (command && !deps.router.knows(command.name))) {
    await expired();
    return;
  }
  // A command button runs its command as the presser (its own checks apply), and its answer replaces the message.
  const reply = command ? await deps.router.handle(command, caller) : await deps.router.openPage(data, caller);
  if (reply === null) {
    await expired();
    return;
  }
  const messages = renderReplyMessages(reply, deps.pages);
  const first = messages[0];
  const keyboard = messages[messages.length - 1]?.reply_markup;
  const shown = query.message;
  if (!first || !shown) {
    await expired();
    return;
  }
  try {
    // A page that would not fit one message keeps its first message; results pages always fit.
    await pacedEdit(deps.pacer, deps.api, {
      chat_id: shown.chat.id,
      message_id: shown.message_id,
      text: first.text,
      parse_mode: first.parse_mode,
      link_preview_options: first.link_preview_options,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  } catch (err) {
    // A double press shows the page already shown: nothing to change, nothing wrong.
    if (isTelegramError(err, /message is not modified/i)) {
      await answerCallback(deps.api, query);
      return;
    }
    if (isTelegramError(err, UNEDITABLE)) {
      await expired();
      return;
    }
    throw err;
  }
  await answerCallback(deps.api, query);
}

/** "sections only AI" → the command it stands for. */
function commandOf(typed: string): ParsedCommand | null {
  const [name = '', ...args] = typed.trim().split(/\s+/u);
  return name ? { name: name.toLowerCase(), args, text: args.join(' ') } : null;
}
