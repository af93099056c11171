/**
 * Item summaries: plain text from the first meaningful paragraphs, at most about 300 characters,
 * cut at a sentence end, else at a word or clause boundary, never inside a surrogate pair.
 */

/** Longest summary, in code points (a CJK character or an emoji counts as one). */
export const SUMMARY_MAX = 300;

const SENTENCE_END = /[。！？!?…]/u;
const SOFT_BREAK = /[\s，、；;,：:）)」』”]/u;
const CJK_END = /[。！？；：，、）」』”\p{Script=Han}]$/u;

/**
 * Drops "**" runs that remark left as text: emphasis beside CJK punctuation often does
 * not close ("原问题**是…。**这篇"), and a plain summary must not show Markdown. A run between
 * two ASCII letters or digits ("2**10") is kept.
 */
export function withoutStrayEmphasis(text: string): string {
  return text.replace(/\*\*+/g, (run, at: number) => {
    const before = text[at - 1] ?? '';
    const after = text[at + run.length] ?? '';
    return /[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after) ? run : '';
  });
}

/** Joins paragraph texts: no space after CJK punctuation or characters, one space otherwise. */
export function joinParagraphs(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    const p = part.trim();
    if (!p) continue;
    out = out === '' ? p : CJK_END.test(out) ? out + p : `${out} ${p}`;
  }
  return out;
}

/** `text` cut to at most SUMMARY_MAX code points at the best boundary; "…" marks a mid-sentence cut. */
export function truncateSummary(text: string, max = SUMMARY_MAX): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join('');
  // Prefer the last sentence end in the second half of the window.
  for (let i = max - 1; i >= Math.floor(max / 2); i--) {
    const c = chars[i] as string;
    if (SENTENCE_END.test(c) || (c === '.' && /\s/.test(chars[i + 1] ?? ''))) return chars.slice(0, i + 1).join('').trim();
  }
  for (let i = max - 1; i >= Math.floor((max * 2) / 3); i--) {
    if (SOFT_BREAK.test(chars[i] as string)) return `${chars.slice(0, i).join('').replace(/[\s，、；;,：:]+$/u, '')}…`;
  }
  return `${chars.slice(0, max - 1).join('')}…`;
}
