/** Reading rendered Telegram messages back, independently of the renderer. */
import { checkSendMessage, checkTelegramHtml } from '../../validators/telegram-html.js';
import type { TelegramMessage } from '../../../adapters/telegram/render.js';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every href of every message, decoded. */
export function hrefs(messages: readonly TelegramMessage[]): string[] {
  return messages.flatMap((m) => [...m.text.matchAll(/<a href="([^"]*)">/g)].map((x) => decode(x[1] as string)));
}

/** Validator problems of every message, sent to a dummy chat; empty when all are fine. */
export function problems(messages: readonly TelegramMessage[]): string[] {
  return messages.flatMap((m, i) => checkSendMessage({ chat_id: 1, ...m }).map((e) => `message ${i}: ${e}`));
}

/** The text a reader sees, all messages joined. */
export function visible(messages: readonly TelegramMessage[]): string {
  return messages.map((m) => checkTelegramHtml(m.text).plainText).join('\n');
}

export const squash = (s: string) => s.replace(/\s+/g, '');
