/**
 * Word wrapping for the terminal by display columns: CJK and emoji take two columns, Chinese
 * breaks between words (Intl.Segmenter), URLs are never broken so terminals keep them clickable.
 */
import { cleanText, graphemes, urlSpans } from '../../src/text/graphemes.js';

/** How emphasised text is shown: not at all, as `**x**`, or bold via ANSI escapes. */
export type Emphasis = 'plain' | 'markdown' | 'ansi';

/** Text with an optional emphasis (a search match, a bold span). */
export interface Piece {
  text: string;
  strong?: boolean;
}

const words = new Intl.Segmenter('zh', { granularity: 'word' });

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

function graphemeWidth(grapheme: string): number {
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

/** Columns a string takes in a terminal, one grapheme at a time. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const g of graphemes(text)) width += graphemeWidth(g);
  return width;
}

interface Token {
  text: string;
  strong: boolean;
  space: boolean;
  url: boolean;
}

function tokenize(pieces: readonly Piece[]): Token[] {
  const tokens: Token[] = [];
  for (const piece of pieces) {
    const text = cleanText(piece.text).replace(/\s+/g, ' ');
    const strong = piece.strong === true;
    let pos = 0;
    const pushWords = (chunk: string) => {
      for (const { segment } of words.segment(chunk)) tokens.push({ text: segment, strong, space: /^\s+$/.test(segment), url: false });
    };
    for (const [start, end] of urlSpans(text)) {
      pushWords(text.slice(pos, start));
      tokens.push({ text: text.slice(start, end), strong, space: false, url: true });
      pos = end;
    }
    pushWords(text.slice(pos));
  }
  return tokens;
}

/** Splits a non-URL token wider than `width` at grapheme boundaries. */
function breakLong(token: Token, width: number): Token[] {
  const out: Token[] = [];
  let current = '';
  let used = 0;
  for (const g of graphemes(token.text)) {
    const w = graphemeWidth(g);
    if (current && used + w > width) {
      out.push({ ...token, text: current });
      current = '';
      used = 0;
    }
    current += g;
    used += w;
  }
  if (current) out.push({ ...token, text: current });
  return out;
}

function emphasise(tokens: readonly Token[], emphasis: Emphasis): string {
  let out = '';
  let i = 0;
  while (i < tokens.length) {
    const strong = (tokens[i] as Token).strong;
    let j = i;
    let text = '';
    while (j < tokens.length && (tokens[j] as Token).strong === strong) text += (tokens[j++] as Token).text;
    if (!strong || emphasis === 'plain') out += text;
    else out += emphasis === 'ansi' ? `\u001b[1m${text}\u001b[22m` : `**${text}**`;
    i = j;
  }
  return out;
}

/** Wraps pieces to `width` columns, each line prefixed by `indent`; emphasis applied per line. */
export function wrap(pieces: readonly Piece[], width: number, indent = '', emphasis: Emphasis = 'plain'): string[] {
  const room = Math.max(10, width - displayWidth(indent));
  const lines: Token[][] = [];
  let line: Token[] = [];
  let used = 0;
  const tokens = tokenize(pieces).flatMap((t) => (!t.url && displayWidth(t.text) > room ? breakLong(t, room) : [t]));
  for (const token of tokens) {
    const w = displayWidth(token.text);
    if (token.space && line.length === 0) continue;
    if (line.length > 0 && used + w > room && !token.space) {
      lines.push(line);
      line = [];
      used = 0;
    }
    line.push(token);
    used += w;
  }
  if (line.length > 0) lines.push(line);
  return lines.map((l) => {
    while (l.length > 0 && (l[l.length - 1] as Token).space) l.pop();
    return indent + emphasise(l, emphasis);
  });
}
