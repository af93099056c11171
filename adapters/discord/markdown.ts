/**
 * Discord Markdown for text that comes from issues or users: escaped so it shows as written
 * (a title with `*` or `_` stays literal, a line starting with `>` or `#` is no quote or
 * heading, `<@id>` is no mention pill), with bare URLs left intact so they stay clickable.
 */
import { truncate, urlSpans } from '../../src/text/graphemes.js';

/**
 * Every character Discord Markdown gives a meaning to anywhere in a line. Discord hides a
 * backslash before any punctuation, so escaping all of them always shows the text as written.
 * (discord.js `escapeMarkdown` is context-sensitive and leaves a lone `~` or `|` alone, which
 * pairs up with a neighbouring span's; escaping uniformly is simpler to trust.)
 */
const INLINE = /[\\*_~|`[\]<]/g;
/** Line starts that make a quote, heading, subtext or list. */
const LINE_START = /^([ \t]*)([>#+-]|\d+\.)/gm;

function escapeProse(text: string): string {
  return text.replace(INLINE, '\\$&').replace(LINE_START, (_, indent: string, mark: string) => `${indent}${mark.replace(/[>#+.-]/, '\\$&')}`);
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

/**
 * Text for inside `[…](url)`, escaped and kept to `max` units. Discord's link rule does not honour
 * escaped brackets in link text, so brackets become full-width look-alikes.
 */
export function linkText(text: string, max: number): string {
  return escapeWithin(text.replace(/\[/g, '［').replace(/\]/g, '］'), max);
}

/** `[label](url)` with the label escaped (and kept to 80 units). */
export function maskedLink(label: string, url: string): string {
  return `[${linkText(label, 80)}](${linkTarget(url)})`;
}

/** `**text**` (nothing when text is empty, so no stray asterisks). */
export function strong(markdown: string): string {
  return markdown ? `**${markdown}**` : '';
}
