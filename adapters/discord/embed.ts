/**
 * Embeds within Discord's limits: per-field sizes, and messages of at most 10 embeds and
 * 6,000 embed characters. Lengths are counted in UTF-16 units, which is never fewer than
 * the characters Discord counts, so staying under in units stays under for Discord.
 */
import type { APIEmbed } from 'discord.js';
import { oneLine, truncate } from '../../src/text/graphemes.js';

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  footer: 2048,
  author: 256,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  perMessage: 10,
  totalPerMessage: 6000,
  content: 2000,
} as const;

/** Discord's blurple, for every embed we post. */
export const EMBED_COLOR = 0x5865f2;

/** The characters of an embed that count towards the 6,000 per message (as discord.js `embedLength`). */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

/** A footer or author text (no Markdown is rendered there): one line, truncated. */
export function plainLine(text: string, max: number): string {
  return truncate(oneLine(text), max);
}

/** Groups embeds, in order, into messages of at most 10 embeds and 6,000 characters. */
export function packEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let total = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length > 0 && (current.length >= EMBED_LIMITS.perMessage || total + length > EMBED_LIMITS.totalPerMessage)) {
      messages.push(current);
      current = [];
      total = 0;
    }
    current.push(embed);
    total += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/**
 * Markdown lines gathered into descriptions of at most `max` units (a list that is too long for
 * one embed continues in the next). A single line longer than `max` is cut at a grapheme boundary.
 */
export function linesIntoDescriptions(lines: readonly string[], max: number = EMBED_LIMITS.description): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > max ? truncate(raw, max) : raw;
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}
