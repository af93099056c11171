/** Neutral spans and rich text as Discord Markdown, cut to Discord's sizes. */
import { isWebUrl } from '../../src/digest/digest.js';
import type { RichText, Span } from '../../src/rich-text.js';
import { cleanText, findCut, truncate } from '../../src/text/graphemes.js';
import { EMBED_LIMITS } from './embed.js';
import { escapeDiscord, escapeWithin, linkTarget, linkText } from './markdown.js';

function styled(span: Span, body: string): string {
  if (!body) return '';
  let out = body;
  if (isWebUrl(span.url)) out = `[${out}](${linkTarget(span.url)})`;
  return span.bold || span.highlight ? `**${out}**` : out;
}

/** Code spans show text verbatim, so backticks inside become a look-alike instead of being escaped. */
function codeBody(text: string): string {
  return text ? `\`${text.replace(/`/g, 'ˋ')}\`` : '';
}

function render(span: Span, text: string): string {
  if (span.code && !isWebUrl(span.url)) return styled(span, codeBody(text));
  return styled(span, isWebUrl(span.url) ? linkText(text, Number.POSITIVE_INFINITY) : escapeDiscord(text));
}

/** One span as Markdown pieces of at most `max` units each (a long span continues, same style, in the next piece). */
function spanPieces(span: Span, max: number): string[] {
  const text = cleanText(span.text);
  const whole = render(span, text);
  if (whole.length <= max) return whole ? [whole] : [];
  // Markers and link target, then escaping at most doubles the text.
  const overhead = render(span, 'x').length - 1;
  const chunk = Math.max(1, Math.floor((max - overhead) / 2));
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const cut = findCut(rest, chunk);
    const piece = render(span, rest.slice(0, cut));
    if (piece) pieces.push(piece);
    rest = rest.slice(cut);
  }
  return pieces;
}

/** Spans as one Markdown string of at most `max` units; the span that does not fit is cut with "…". */
export function spansToMarkdown(spans: readonly Span[], max: number): string {
  let out = '';
  for (const span of spans) {
    const text = cleanText(span.text);
    const piece = render(span, text);
    if (out.length + piece.length <= max) {
      out += piece;
      continue;
    }
    const room = max - out.length - (render(span, 'x').length - 1);
    const body = span.code ? codeBody(truncate(text, room - 2)) : escapeWithin(text, room);
    const cut = room > 1 ? styled(span, body) : '';
    if (cut && out.length + cut.length <= max) return out + cut;
    return out.length < max ? `${out}…` : out;
  }
  return out;
}

/**
 * Rich text as message contents of at most 2,000 units: paragraphs separated by blank lines,
 * packed whole when they fit, long ones split between spans (and long spans within themselves).
 */
export function richTextContents(body: RichText, prefix: string | null, max: number = EMBED_LIMITS.content): string[] {
  const contents: string[] = [];
  let current = '';
  let separator = '';
  const add = (piece: string) => {
    if (current && current.length + separator.length + piece.length > max) {
      contents.push(current);
      current = '';
    }
    current = current ? `${current}${separator}${piece}` : piece;
    separator = '';
  };
  body.forEach((paragraph, i) => {
    const spans = i === 0 && prefix ? [{ text: `${prefix} ` }, ...paragraph] : paragraph;
    separator = current ? '\n\n' : '';
    for (const span of spans) for (const piece of spanPieces(span, max)) add(piece);
  });
  if (current) contents.push(current);
  return contents;
}
