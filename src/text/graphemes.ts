/**
 * Plain-text helpers shared by the renderers: cleaning untrusted text, and cutting it only
 * where a reader sees a character boundary (never inside a surrogate pair, an emoji ZWJ
 * sequence or a letter with combining marks), and never inside a URL.
 */

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The ellipsis appended to truncated text. */
export const ELLIPSIS = '…';

/** Matches http(s) URLs written out in text, up to the next whitespace. */
const BARE_URL = /https?:\/\/[^\s<>"\\]+/gi;

/** Replaces lone surrogates (which no platform can encode) with U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Untrusted text made safe to show: lone surrogates replaced, control characters (terminal
 * escapes, NUL…) removed except newline and tab, CRLF normalised to LF.
 */
export function cleanText(text: string): string {
  return wellFormed(text)
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/g, '');
}

/** `cleanText`, then every run of whitespace (newlines too) collapsed to one space, trimmed. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/**
 * The segments of `text`, in order. V8's segment iterator gets slower with the length of the
 * whole string at every step, so long text is segmented a window at a time; a window's last
 * segment may be cut short by the window, so it is only taken when the text ends there (a
 * segment longer than the window widens it).
 */
export function* segmentsOf(segmenter: Intl.Segmenter, text: string): Generator<string> {
  let pos = 0;
  let window = 256;
  while (pos < text.length) {
    const end = Math.min(text.length, pos + window);
    let pending: string | null = null;
    let used = 0;
    for (const { segment } of segmenter.segment(text.slice(pos, end))) {
      if (pending !== null) {
        yield pending;
        used += pending.length;
      }
      pending = segment;
    }
    if (pending !== null && end === text.length) {
      yield pending;
      used += pending.length;
    }
    if (used === 0) window *= 2;
    pos += used;
  }
}

/** The grapheme clusters of `text`, in order. */
export function graphemes(text: string): Generator<string> {
  return segmentsOf(graphemeSegmenter, text);
}

/** The largest grapheme boundary ≤ `limit` (UTF-16 offset); 0 when the first grapheme is longer. */
export function graphemeBoundaryAtOrBefore(text: string, limit: number): number {
  if (limit >= text.length) return text.length;
  if (limit <= 0) return 0;
  // Whether a cluster starts at `limit` depends on the text before it and the whole code point
  // at `limit` (two units when it is a surrogate pair), so that prefix is enough.
  const found = graphemeSegmenter.segment(text.slice(0, limit + 2)).containing(limit);
  return found ? found.index : limit;
}

/** The [start, end) spans of bare http(s) URLs in `text`. */
export function urlSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(BARE_URL)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
}

/** Moves a cut offset back to the start of a URL it would otherwise fall inside. */
function avoidUrlCut(text: string, cut: number): number {
  for (const [start, end] of urlSpans(text)) if (cut > start && cut < end) return start;
  return cut;
}

/**
 * `text` shortened to at most `max` UTF-16 units including the trailing "…", cut at a grapheme
 * boundary and never inside a URL; trailing whitespace before the "…" is dropped. Returned
 * unchanged when it already fits.
 */
export function truncate(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max < ellipsis.length) return '';
  let cut = graphemeBoundaryAtOrBefore(text, max - ellipsis.length);
  cut = avoidUrlCut(text, cut);
  return `${text.slice(0, cut).trimEnd()}${ellipsis}`;
}

/**
 * The best place to cut `text` so the head is at most `max` units: the last line break, else the
 * last sentence end, else the last whitespace in the second half of the window, else a grapheme
 * boundary; never inside a URL when avoidable. Always > 0 when `text` is non-empty and max ≥ 2.
 */
export function findCut(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const hard = graphemeBoundaryAtOrBefore(text, max);
  const window = text.slice(0, hard);
  const floor = Math.max(1, Math.floor(hard / 2));
  // Preferred cuts, best first; each must also be a cluster boundary (a space can carry a combining mark).
  const candidates = [window.lastIndexOf('\n') + 1, lastSentenceEnd(window), window.search(/\s\S*$/) + 1];
  for (const cut of candidates) {
    if (cut >= floor && graphemeBoundaryAtOrBefore(text, cut) === cut && avoidUrlCut(text, cut) === cut) return cut;
  }
  const safe = avoidUrlCut(text, hard);
  if (safe > 0) return safe;
  if (hard > 0) return hard;
  // The first grapheme alone is longer than max (an absurd cluster): cut between code points.
  let cut = Math.min(max, text.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(cut, 1);
}

const sentenceSegmenter = new Intl.Segmenter('zh', { granularity: 'sentence' });

const TERMINATED = /[.!?。！？…]\s*$/;

/** The end of the last complete sentence in `text` (0 when there is none). */
function lastSentenceEnd(text: string): number {
  if (text.length === 0) return 0;
  const last = sentenceSegmenter.segment(text).containing(text.length - 1);
  if (!last) return 0;
  // The final segment may be a fragment cut by the window: only count it when it ends a sentence.
  return TERMINATED.test(last.segment) ? text.length : last.index;
}
