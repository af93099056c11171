/**
 * Splits folded text (see normalize.ts) into index terms. Latin-script (and any spaced) text is
 * split into words; Chinese and Japanese, written without spaces, into overlapping bigrams, so
 * that any substring of two or more characters is found as "all of its bigrams" (then checked as
 * a real substring). Each CJK run also yields its last character alone, so a one-character query
 * finds every occurrence: as the start of a bigram, or as that tail.
 *
 * CJK terms are numeric keys, not strings: indexing makes tens of millions of them, and a small
 * integer key spares a string allocation and a string hash each.
 */

/** One run of the text: a word (letters, digits, marks) or a run of CJK characters. */
export interface Run {
  kind: 'word' | 'cjk';
  text: string;
}

/** Receives index terms with the weight its caller passed through. */
export interface TermSink {
  word(text: string, weight: number): void;
  cjk(key: number, weight: number): void;
}

const LETTER = /[\p{L}\p{N}\p{M}]/u;
/** scheme://[user@]host[:port]/path, case-insensitive; the query and fragment are left out. */
const URL_PARTS = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#]*)([^?#]*)/i;
const WHOLE_SEGMENT = /^[a-z0-9][a-z0-9\-_.]*$/;
const ASTRAL = 2 ** 32;

/** Han, kana (with the prolonged sound mark ー) and the ideographic iteration marks 々〆〇. */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x3040 && cp <= 0x30ff && cp !== 0x30fb) ||
    (cp >= 0x3005 && cp <= 0x3007) ||
    (cp >= 0x31f0 && cp <= 0x31ff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3134f)
  );
}

function isWordChar(cp: number, ch: string): boolean {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a);
  // General and CJK punctuation are the common non-ASCII separators: skip the regex for them.
  if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f)) return false;
  return LETTER.test(ch);
}

/**
 * The key of a CJK bigram (`second` ≥ 0) or single character (`second` = -1). Single characters
 * are their code point; BMP bigrams (nearly all) fit a small integer above every code point.
 */
export function cjkKey(first: number, second: number): number {
  if (second < 0) return first;
  if (first < 0x10000 && second < 0x10000) return (first - 0x3000) * 0x10000 + second;
  return ASTRAL + first * 0x110000 + second;
}

/** The text of a CJK key (for suggestions and tests). */
export function cjkKeyText(key: number): string {
  if (key < 0x50000) return String.fromCodePoint(key);
  if (key < ASTRAL) return String.fromCodePoint(Math.floor(key / 0x10000) + 0x3000, key % 0x10000);
  const k = key - ASTRAL;
  return String.fromCodePoint(Math.floor(k / 0x110000), k % 0x110000);
}

/** Splits folded text into words and CJK runs, in order; anything else separates them. */
export function runs(folded: string): Run[] {
  const out: Run[] = [];
  let kind: Run['kind'] | null = null;
  let start = 0;
  let i = 0;
  while (i < folded.length) {
    const cp = folded.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const k: Run['kind'] | null = isCjk(cp) ? 'cjk' : isWordChar(cp, folded.slice(i, i + width)) ? 'word' : null;
    if (k !== kind) {
      if (kind) out.push({ kind, text: folded.slice(start, i) });
      kind = k;
      start = i;
    }
    i += width;
  }
  if (kind) out.push({ kind, text: folded.slice(start) });
  return out;
}

/**
 * Feeds each index term of folded text to `sink`, in order: words whole; CJK runs as bigrams,
 * then their last character. One pass and no intermediate arrays: this is the hot loop of
 * indexing. Returns the number of terms.
 */
export function forEachTerm(folded: string, sink: TermSink, weight: number): number {
  let count = 0;
  let wordStart = -1;
  let prev = -1; // code point of the previous CJK character of the current run, or -1
  const n = folded.length;
  for (let i = 0; i < n; ) {
    const unit = folded.charCodeAt(i);
    const width = unit >= 0xd800 && unit <= 0xdbff && i + 1 < n ? 2 : 1;
    const cp = width === 2 ? folded.codePointAt(i)! : unit;
    if (isCjk(cp)) {
      if (wordStart >= 0) {
        sink.word(folded.slice(wordStart, i), weight);
        count++;
        wordStart = -1;
      }
      if (prev >= 0) {
        sink.cjk(cjkKey(prev, cp), weight);
        count++;
      }
      prev = cp;
    } else {
      if (prev >= 0) {
        sink.cjk(prev, weight);
        count++;
        prev = -1;
      }
      if (isWordChar(cp, width === 1 ? folded[i]! : folded.slice(i, i + 2))) {
        if (wordStart < 0) wordStart = i;
      } else if (wordStart >= 0) {
        sink.word(folded.slice(wordStart, i), weight);
        count++;
        wordStart = -1;
      }
    }
    i += width;
  }
  if (wordStart >= 0) {
    sink.word(folded.slice(wordStart), weight);
    count++;
  }
  if (prev >= 0) {
    sink.cjk(prev, weight);
    count++;
  }
  return count;
}

/** Index terms of folded text as strings, in order (CJK keys turned back into text). */
export function terms(folded: string): string[] {
  const out: string[] = [];
  forEachTerm(folded, { word: (t) => out.push(t), cjk: (k) => out.push(cjkKeyText(k)) }, 0);
  return out;
}

/** Host (without "www." and port) and decoded path of a URL, or null when it is no URL. */
export function urlText(url: string): { host: string; path: string } | null {
  const m = URL_PARTS.exec(url);
  if (!m) return null;
  let path = m[2] ?? '';
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape: keep the path as written.
    }
  }
  return { host: (m[1] ?? '').replace(/^www\./, '').replace(/:\d+$/, ''), path };
}

/**
 * Feeds the terms of a folded URL: the host and the path segments, split on anything but letters
 * and digits, each multi-part ASCII segment also kept whole ("yolact_edge" gives yolact, edge and
 * yolact_edge). The query string and fragment are left out: they are tracking noise.
 */
export function forEachUrlTerm(foldedUrl: string, sink: TermSink, weight: number): number {
  const parts = urlText(foldedUrl);
  if (!parts) return forEachTerm(foldedUrl, sink, weight);
  let count = forEachTerm(parts.host, sink, weight);
  for (const segment of parts.path.split('/')) {
    if (!segment) continue;
    const inner = forEachTerm(segment, sink, weight);
    count += inner;
    if (inner > 1 && WHOLE_SEGMENT.test(segment)) {
      sink.word(segment, weight);
      count++;
    }
  }
  return count;
}

/** The terms of a folded URL as strings, in order (see forEachUrlTerm). */
export function urlTerms(foldedUrl: string): string[] {
  const out: string[] = [];
  forEachUrlTerm(foldedUrl, { word: (t) => out.push(t), cjk: (k) => out.push(cjkKeyText(k)) }, 0);
  return out;
}
