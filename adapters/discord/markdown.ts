/**
 * Discord Markdown for text that comes from issues or users: escaped so it shows as written
 * (a title with `*` or `_` stays literal, a line starting with `>` or `#` is no quote or
 * heading, `<@id>` is no mention pill), with bare URLs left intact so they stay clickable.
 */
import { escapeMarkdown } from 'discord.js';
import { truncate, urlSpans } from '../../src/text/graphemes.js';

// Brackets are escaped below, which also covers masked links.
const MARKDOWN_OPTIONS = { heading: true, bulletedList: true, numberedList: true } as const;

function escapeProse(text: string): string {
  return escapeMarkdown(text, MARKDOWN_OPTIONS)
    // Lone ~ and | are left alone by escapeMarkdown but pair up with a neighbour's across spans.
    .replace(/(?<!\\)([~|])/g, '\\$1')
    .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
    .replace(/<(?=[@#:/]|a:|t:)/g, '\\<')
    .replace(/[[\]]/g, '\\$&');
}

/** Escapes Markdown in `text` everywhere except inside bare http(s) URLs. */
export function escapeDiscord(text: string): string {
  let out = '';
  let pos = 0;
  for (const [start, end] of urlSpans(text)) {
    out += escapeProse(text.slice(pos, start)) + text.slice(start, end);
    pos = end;
  }
  return out + escapeProse(text.slice(pos));
}

/**
 * `text` truncated (grapheme-safe, never inside a URL) so that its escaped form fits `max`
 * units, then escaped. Escaping only adds characters, so the budget shrinks until it fits.
 */
export function escapeWithin(text: string, max: number): string {
  let budget = max;
  for (;;) {
    const escaped = escapeDiscord(truncate(text, budget));
    if (escaped.length <= max || budget <= 1) return escaped.length <= max ? escaped : '';
    budget -= Math.max(1, escaped.length - max);
  }
}

/** A URL made safe as a masked-link target: characters that end the `(…)` are percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[label](url)` with the label escaped (and kept to 80 units). */
export function maskedLink(label: string, url: string): string {
  return `[${escapeWithin(label, 80)}](${linkTarget(url)})`;
}

/** `**text**` (nothing when text is empty, so no stray asterisks). */
export function strong(markdown: string): string {
  return markdown ? `**${markdown}**` : '';
}
