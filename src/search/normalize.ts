/**
 * Text folding shared by indexing, querying and snippets, so that "ＮｅＲＦ", "NeRF" and "nerf"
 * are one term: NFKC (full-width → ASCII, compatibility forms) then lower case.
 */

/**
 * Folds a whole string for matching. The result may differ in length from the input. Final sigma
 * becomes σ, as in Unicode case folding: toLowerCase picks σ or ς by context, which would make a
 * word fold differently alone and in a sentence.
 */
export function fold(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  return lower.includes('ς') ? lower.replaceAll('ς', 'σ') : lower;
}

/** A folded string with, for each of its UTF-16 units, the offset of the original unit it came from. */
export interface FoldedText {
  folded: string;
  /**
   * `origin[i]`: where, in the original, the character that produced `folded[i]` starts; plus
   * one entry for the end. Null when folding kept every unit in place (`origin[i]` would be i).
   */
  origin: number[] | null;
}

/**
 * What can make folding merge characters: combining marks, conjoining and compatibility jamo,
 * half-width voiced marks and jamo. Without these (and without surrogates, whose astral letters
 * may fold to one unit), a fold of unchanged length changed no character's length.
 */
const MAY_MERGE = /[\p{M}\u1100-\u11ff\u3131-\u318e\uff9e\uff9f\uffa0-\uffdc]/u;
const SURROGATE = /[\ud800-\udfff]/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Folded forms of single non-ASCII code points: a few thousand distinct ones in practice. */
const foldedChars = new Map<string, string>();

/**
 * Folds keeping the way back to original offsets, for snippets: a match found in folded text is
 * cut and highlighted in the original. In place when nothing can move; else code point by code
 * point when that gives the same result as folding the whole text (it differs only where NFKC
 * composes across code points, as with combining accents); else grapheme by grapheme. Where NFKC
 * composes across graphemes (compatibility jamo ㄱㅏ → 가) the result differs from `fold`, and a
 * match across that join is not found here: the snippet then shows it unmarked.
 */
export function foldWithOffsets(text: string): FoldedText {
  if (!SURROGATE.test(text) && !MAY_MERGE.test(text)) {
    const whole = fold(text);
    if (whole.length === text.length) return { folded: whole, origin: null };
  }
  let folded = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i);
    const width = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length ? 2 : 1;
    let piece: string;
    if (unit < 0x80) piece = unit >= 0x41 && unit <= 0x5a ? String.fromCharCode(unit + 32) : text[i]!;
    else {
      const ch = text.slice(i, i + width);
      piece = foldedChars.get(ch) ?? cacheFold(ch);
    }
    folded += piece;
    for (let k = 0; k < piece.length; k++) origin.push(i);
    i += width;
  }
  origin.push(text.length);
  if (folded === fold(text)) return { folded, origin };
  return byGrapheme(text);
}

function cacheFold(ch: string): string {
  const piece = fold(ch);
  if (foldedChars.size < 65_536) foldedChars.set(ch, piece);
  return piece;
}

function byGrapheme(text: string): FoldedText {
  let folded = '';
  const origin: number[] = [];
  for (const { index, segment } of graphemes.segment(text)) {
    const piece = fold(segment);
    folded += piece;
    for (let k = 0; k < piece.length; k++) origin.push(index);
  }
  origin.push(text.length);
  return { folded, origin };
}

/** Characters that may continue a grapheme: marks, joiners, variation selectors, jamo, low surrogates. */
const EXTENDS = /[\p{M}\u200c\u200d\ufe00-\ufe0f\u1160-\u11ff\udc00-\udfff]/u;

/** The start of the grapheme that contains `offset` (or `offset` itself at either end of the text). */
export function graphemeStart(text: string, offset: number): number {
  if (offset <= 0) return 0;
  if (offset >= text.length) return text.length;
  // Between two plain characters (nearly every cut) the boundary is certain; ask ICU otherwise.
  const before = text.charCodeAt(offset - 1);
  const plain = before !== 0x200d && !(before >= 0xd800 && before <= 0xdbff) && !EXTENDS.test(text[offset]!);
  if (plain) return offset;
  return graphemes.segment(text).containing(offset)?.index ?? offset;
}
