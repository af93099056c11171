/**
 * Plain text out of mdast nodes, and the small text clean-ups titles need (numbering, tags,
 * "| source" suffixes). Regexes here only ever look at one title's text, never at document lines.
 */
import type { Nodes, PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

const TO_STRING = { includeImageAlt: false, includeHtml: false } as const;

/** Visible text of a node: no Markdown, no HTML, no image alt text; whitespace collapsed. */
export function plainText(node: Nodes | Nodes[]): string {
  return squash(Array.isArray(node) ? node.map((n) => toString(n, TO_STRING)).join('') : toString(node, TO_STRING));
}

/** Collapses runs of whitespace (including line breaks) into one space and trims. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Visible text where a link whose text differs from its address keeps the address, as
 * "text (url)": for the intro, which is plain text but must not lose where it points.
 */
export function textWithUrls(node: Nodes): string {
  const out: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'link') {
      const label = plainText(n);
      out.push(label && label !== n.url ? `${label} (${n.url})` : n.url);
      return;
    }
    if (n.type === 'text' || n.type === 'inlineCode') out.push(n.value);
    else if (n.type === 'break') out.push('\n');
    else if ('children' in n) {
      n.children.forEach((c, i) => {
        if (i > 0 && (c.type === 'paragraph' || c.type === 'list' || c.type === 'listItem')) out.push('\n');
        walk(c);
      });
    }
  };
  walk(node);
  // Lines trimmed by splitting, not by /[ \t]*\n/: that pattern rescans every run of spaces.
  const lines = out.join('').split('\n').map((l) => {
    const c = l.replace(/[ \t]+/g, ' ');
    return c.slice(c.startsWith(' ') ? 1 : 0, c.endsWith(' ') ? c.length - 1 : c.length);
  });
  return lines.join('\n').replace(/\n{2,}/g, '\n').trim();
}

// A number then ".", "、" or ")", but not a decimal such as "57.3 AP".
const NUMBERING = /^\s*[（(]?[0-9０-９]{1,3}\s*[.．、)）](?![0-9０-９])\s*/;

/** "1. Title", "１.【tag】Title", "3.《Book》" → the text without its leading number. */
export function stripNumbering(text: string): { text: string; numbered: boolean } {
  const m = NUMBERING.exec(text);
  return m ? { text: text.slice(m[0].length), numbered: true } : { text, numbered: false };
}

/**
 * Leading tags: 【轻量化】, 【轻量化|未开源】 and, when `parens` is set, （轻量化）. Returns the tags
 * and the rest of the text. Parenthesised tags are only taken before a link, where they cannot
 * be part of the title itself.
 */
export function takeLeadingTags(text: string, parens: boolean): { tags: string[]; rest: string } {
  const tags: string[] = [];
  let rest = text.trimStart();
  const re = parens ? /^(?:【([^】]{1,20})】|（([^）]{1,12})）|\(([^)]{1,12})\))\s*/ : /^【([^】]{1,20})】\s*/;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const inner = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    for (const tag of inner.split(/[|｜/,，、]/)) if (tag.trim()) tags.push(tag.trim());
    rest = rest.slice(m[0].length);
  }
  return { tags, rest };
}

/** "Title | 量子位" → title and source, when the part after the last bar is short enough to be one. */
export function splitTrailingSource(text: string): { title: string; source: string | null } {
  const m = /^(.*\S)\s*[|｜]\s*([^|｜]{1,24})$/.exec(text.trim());
  if (!m) return { title: text.trim(), source: null };
  const source = cleanSource(m[2] as string);
  return source ? { title: (m[1] as string).trim(), source } : { title: text.trim(), source: null };
}

const SOURCE_TAIL = /[\s、,，。;；:：|｜]/;

/** "  CVer、" → "CVer"; empty → null. */
export function cleanSource(text: string): string | null {
  const s = trimEndOf(squash(text).replace(/^[|｜\s]+/, ''), SOURCE_TAIL);
  return s ? s : null;
}

const COLOUR_MARKER = /^\s*[🔴🟠🟡🟢🔵🟣🟤⚫⚪](?:\s*\/\s*[🔴🟠🟡🟢🔵🟣🟤⚫⚪])*\s*/u;

/** True when a paragraph's text starts with a 2026-style colour marker (🔴/🟡/🟢…). */
export function startsWithColourMarker(text: string): boolean {
  return COLOUR_MARKER.test(text);
}

/** Removes a leading colour marker ("🔴 ", "🔴/🟡 "). */
export function stripColourMarker(text: string): string {
  return text.replace(COLOUR_MARKER, '');
}

/**
 * Final clean-up of any title: no stray emphasis markers or colour markers, no leading
 * numbering, single spaces. Titles are short, so the repeated passes cost nothing.
 */
export function cleanTitle(text: string): string {
  let t = squash(stripColourMarker(text).replace(/\*\*+|__+/g, ''));
  t = stripNumbering(t).text.trim();
  // "论文名称：Title" in paper lists: the label is not part of the name.
  t = t.replace(/^(?:论文名称|论文题目|论文标题|标题)\s*[:：]\s*(?=\S)/, '');
  return trimEndOf(t.replace(/^[\s:：—–-]+/, ''), TITLE_TAIL).trim();
}

const TITLE_TAIL = /[\s:：|｜—–-]/;

/**
 * `text` without the characters at its end that `one` (a one-character class) matches. A loop,
 * because `/[class]+$/` retries from every position of a run that does not reach the end:
 * quadratic on a long run (a 160 KB title of "- " pairs took minutes).
 */
export function trimEndOf(text: string, one: RegExp): string {
  let end = text.length;
  while (end > 0 && one.test(text[end - 1] as string)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Joins two pieces of a title: a space only between two Latin letters or digits. */
export function joinWords(a: string, b: string): string {
  const left = a.trim();
  const right = b.trim();
  if (!left || !right) return left || right;
  return /[A-Za-z0-9]$/.test(left) && /^[A-Za-z0-9]/.test(right) ? `${left} ${right}` : left + right;
}

/** Concatenates the visible text of some phrasing nodes, unsquashed (callers decide). */
export function rawText(nodes: PhrasingContent[]): string {
  return nodes.map((n) => toString(n, TO_STRING)).join('');
}

/** A copy that shares no memory with the document string it was sliced from. */
export function detach(text: string): string {
  return text.length > 12 ? Buffer.from(text, 'utf8').toString('utf8') : text;
}
