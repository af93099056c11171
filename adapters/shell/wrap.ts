/**
 * Word wrapping for the terminal by display columns: CJK and emoji take two columns, Chinese
 * breaks between characters, URLs are never broken so terminals keep them clickable.
 */
import { cleanText, graphemes, urlSpans } from '../../src/text/graphemes.js';

/** How emphasised text is shown: not at all, as `**x**`, or bold via ANSI escapes. */
export type Emphasis = 'plain' | 'markdown' | 'ansi';

/** Text with an optional emphasis (a search match, a bold span). */
export interface Piece {
  text: string;
  strong?: boolean;
}

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
  width: number;
  strong: boolean;
  space: boolean;
  url: boolean;
}

/**
 * One pass over the graphemes: a run of narrow non-space graphemes is a word, each wide one
 * (CJK, emoji) a token of its own (Chinese may break between any two characters), URLs whole.
 */
function tokenize(pieces: readonly Piece[]): Token[] {
  const tokens: Token[] = [];
  for (const piece of pieces) {
    const text = cleanText(piece.text).replace(/\s+/g, ' ');
    const strong = piece.strong === true;
    const pushWords = (chunk: string) => {
      let word = '';
      let width = 0;
      const flush = () => {
        if (word) tokens.push({ text: word, width, strong, space: false, url: false });
        word = '';
        width = 0;
      };
      for (const g of graphemes(chunk)) {
        if (g === ' ') {
          flush();
          tokens.push({ text: g, width: 1, strong, space: true, url: false });
        } else if (graphemeWidth(g) === 2) {
          flush();
          tokens.push({ text: g, width: 2, strong, space: false, url: false });
        } else {
          word += g;
          width += 1;
        }
      }
      flush();
    };
    let pos = 0;
    for (const [start, end] of urlSpans(text)) {
      pushWords(text.slice(pos, start));
      const url = text.slice(start, end);
      tokens.push({ text: url, width: url.length, strong, space: false, url: true });
      pos = end;
    }
    pushWords(text.slice(pos));
  }
  return tokens;
}

/** Splits a non-URL word wider than `width` at grapheme boundaries (words hold narrow graphemes only). */
function breakLong(token: Token, width: number): Token[] {
  const out: Token[] = [];
  let current = '';
  let used = 0;
  for (const g of graphemes(token.text)) {
    if (current && used + 1 > width) {
      out.push({ ...token, text: current, width: used });
      current = '';
      used = 0;
    }
    current += g;
    used += 1;
  }
  if (current) out.push({ ...token, text: current, width: used });
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
  const tokens = tokenize(pieces).flatMap((t) => (!t.url && t.width > room ? breakLong(t, room) : [t]));
  for (const token of tokens) {
    const w = token.width;
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
