/** Reading rendered Discord payloads back, independently of the renderer. */
import type { DiscordMessage } from '../../../adapters/discord/render.js';
import { checkDiscordMessage } from '../../validators/discord-payload.js';

/** Validator problems of every message; empty when all are fine. */
export function problems(messages: readonly DiscordMessage[]): string[] {
  return messages.flatMap((m, i) => checkDiscordMessage(JSON.parse(JSON.stringify(m))).map((e) => `message ${i}: ${e}`));
}

/**
 * URLs compared modulo the percent-encoding of characters that would end a masked link (the
 * renderer encodes them; a browser treats both forms alike).
 */
export const normalUrl = (target: string) => target.replace(/%(28|29|20|3C|3E|09|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** Every URL a reader can open (embed urls, masked links, link buttons, <angle> links), normalised with `normalUrl`. */
export function urls(messages: readonly DiscordMessage[]): Set<string> {
  const out = new Set<string>();
  const scan = (text: string | undefined) => {
    if (!text) return;
    // Link text never holds a bracket (the renderer swaps them for look-alikes), so this finds whole links only.
    for (const m of text.matchAll(/(?<!\\)\[[^[\]]*\]\(([^)\s]+)\)/g)) out.add(normalUrl(m[1] as string));
    for (const m of text.matchAll(/<(https?:\/\/[^>\s]+)>/g)) out.add(normalUrl(m[1] as string));
  };
  for (const message of messages) {
    scan(message.content);
    for (const embed of message.embeds ?? []) {
      if (embed.url) out.add(normalUrl(embed.url));
      scan(embed.description);
    }
    for (const row of message.components ?? []) for (const b of row.components) if ('url' in b && b.url) out.add(normalUrl(b.url));
  }
  return out;
}

/** Discord hides a backslash before any punctuation: what a reader sees of escaped text. */
export const unescape = (markdown: string) => markdown.replace(/\\([^0-9A-Za-z\s])/g, '$1');
