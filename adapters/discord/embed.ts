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
 * Markdown lines (list entries) as messages of description-only embeds: each description up to
 * 4,096 units, each message up to 10 embeds and 6,000 units, filled in order. A line never
 * splits; one longer than a description is cut at a grapheme boundary (it never is in practice:
 * callers bound their lines). Leading blank lines of a description are dropped.
 */
export function linesIntoEmbeds(lines: readonly string[], color: number = EMBED_COLOR): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let embeds: APIEmbed[] = [];
  let used = 0;
  let description = '';
  const closeEmbed = () => {
    if (description) embeds.push({ description, color });
    used += description.length;
    description = '';
  };
  const closeMessage = () => {
    closeEmbed();
    if (embeds.length > 0) messages.push(embeds);
    embeds = [];
    used = 0;
  };
  for (const raw of lines) {
    const bounded = raw.length > EMBED_LIMITS.description ? truncate(raw, EMBED_LIMITS.description) : raw;
    const line = description ? bounded : bounded.replace(/^\n+/, '');
    const grown = description ? description.length + 1 + line.length : line.length;
    if (description && (grown > EMBED_LIMITS.description || used + grown > EMBED_LIMITS.totalPerMessage)) {
      closeEmbed();
      if (embeds.length >= EMBED_LIMITS.perMessage || used + line.length > EMBED_LIMITS.totalPerMessage) closeMessage();
      description = line.replace(/^\n+/, '');
      continue;
    }
    if (!description && used + line.length > EMBED_LIMITS.totalPerMessage) closeMessage();
    description = description ? `${description}\n${line}` : line;
  }
  closeMessage();
  return messages;
}
