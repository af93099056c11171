/**
 * 2026 daily style: one item per paragraph that starts with a colour marker (🔴/🟡/🟢).
 *
 *  - `🔴 **[Source]** [Title](url) — summary`            source = Source, title/url from the link
 *  - `🔴 **[Source]** **Title** — summary（[X](url)）`     source = Source, url from the trailing link
 *  - `🔴 **Source｜Title** — summary（[来源](url)）`        source = Source, title = Title
 *  - `🟡 **Entity** text — summary（[Source](url)）`       title = "Entity text", source = link text
 *  - `🟡 **Entity** [Title](url) — summary`               title = "Entity Title", url from the link
 *  - `🟡 **[Source] Title** — summary（[X](url)）`         source = Source, title = Title
 *  - `🔴 **[Source]** [Title](url)：summary`               "：" right after the link also separates
 *  - no separator at all: the first sentence is the title, the rest the summary.
 * An entity the text repeats ("**Anthropic × AMD** AMD 向…") is said once.
 * Trailing source links ("（[A](u)｜[B](v)）", " [详情](u)") leave the summary; the first becomes the
 * url when the title had none, and its text the source when none was given ("来源", "详情" name nothing).
 * A trailing "。（36氪）" without a link names the source too.
 */
import type { Link, Paragraph, PhrasingContent } from 'mdast';
import type { Findings } from './findings.js';
import { ItemBuilder } from './items.js';
import { isGenericLinkText, isWebUrl } from './links.js';
import { cleanSource, joinWords, plainText, rawText, squash, startsWithColourMarker, stripColourMarker, trimEndOf } from './plain-text.js';

/** True when the paragraph is a 2026 colour-marker item. */
export function isColourParagraph(p: Paragraph): boolean {
  const first = p.children[0];
  return first?.type === 'text' && startsWithColourMarker(first.value);
}

/**
 * The first separating dash in `text` with the spaces around it: an em dash separates, an en dash
 * only with spaces around it ("6–10×" is a range). Found by scanning for the dash and widening,
 * because a regex of optional spaces around the dash retries from every space of a long run (quadratic).
 */
function findDash(text: string): { index: number; length: number } | null {
  const space = (i: number) => /\s/.test(text[i] ?? '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '—' && !(c === '–' && space(i - 1) && space(i + 1))) continue;
    let start = i;
    while (start > 0 && space(start - 1)) start--;
    let end = i + 1;
    if (c === '—') while (text[end] === '—') end++;
    while (end < text.length && space(end)) end++;
    return { index: start, length: end - start };
  }
  return null;
}
const LEADING_COLON = /^\s*[:：]\s*/;

export function colourItem(p: Paragraph, findings: Findings): ItemBuilder {
  // Spaces between nodes stay: "**Entity** [Title](u)" must not read "EntityTitle".
  const nodes = trimEmptyText(withoutMarker(p.children));
  let source: string | null = null;
  let title: string | null = null;

  const first = nodes[0];
  if (first?.type === 'strong') {
    const label = plainText(first);
    const bracketed = /^\[([^\]]+)\]\s*(.*)$/.exec(label);
    const barred = /^(.{1,30}?)\s*[｜]\s*(.+)$/.exec(label);
    if (bracketed) {
      source = cleanSource(bracketed[1] as string);
      // "**[The Decoder] Google 宣布…**": the bold holds the title too.
      if (bracketed[2]) title = squash(bracketed[2]);
      nodes.shift();
    } else if (barred) {
      source = cleanSource(barred[1] as string);
      title = squash(barred[2] as string);
      nodes.shift();
    }
  }

  const { head, tail, separated } = splitHead(nodes);
  let url: string | null = null;
  // The text that tells the item, and the source links trailing it.
  let told = splitTrailingLinks(separated ? tail : head);
  if (title === null) {
    const meaningful = dropEmptyText(head);
    const only = meaningful.length === 1 ? meaningful[0] : undefined;
    if (only?.type === 'link') {
      title = plainText(only);
      url = isWebUrl(only.url) ? only.url : null;
    } else if (only?.type === 'strong') {
      title = plainText(only);
    } else if (separated) {
      title = entityText(head);
      const link = head.find((n): n is Link => n.type === 'link' && isWebUrl(n.url));
      if (link) url = link.url;
    } else {
      // No separator: the first sentence names the item, the rest tells it.
      const text = entityText(told.kept);
      const m = /^(.+?[。！？；!?;])(.+)$/u.exec(text);
      title = (m ? (m[1] as string) : text).replace(/[。；;]$/u, '');
      told = { kept: m ? [{ type: 'text', value: m[2] as string }] : [], trailing: told.trailing };
    }
  }

  const sourceLink = told.trailing.find((l) => isWebUrl(l.url));
  if (!url && sourceLink) url = sourceLink.url;
  if (!source && sourceLink && !isGenericLinkText(plainText(sourceLink))) {
    source = cleanSource(plainText(sourceLink).replace(/^via\s+/i, ''));
  }
  let summary = plainText(told.kept);
  if (!source) {
    const credited = trailingCredit(summary);
    if (credited) ({ source, text: summary } = credited);
  }

  const { short, overflow } = shortenTitle(squash(title ?? ''));
  const item = new ItemBuilder({ title: short, url, source, tags: [] }, false, findings);
  item.addSummary(overflow ? `${overflow}${summary}` : summary);
  item.collectLinks({ type: 'paragraph', children: [...head, ...tail] });
  return item;
}

/**
 * The text of "**Entity** text": the entity, then the text, with a space where the author put
 * one (else `joinWords`). When the text starts with the entity or one of its parts
 * ("**Anthropic × AMD** AMD 向…", "**阿里巴巴 / Qwen** [Qwen 3.8 …](u)") it names the item alone.
 */
function entityText(nodes: PhrasingContent[]): string {
  const at = nodes.findIndex((n) => !(n.type === 'text' && !n.value.trim()));
  const first = nodes[at];
  if (first?.type !== 'strong') return plainText(nodes);
  const entity = plainText(first);
  const restRaw = rawText(nodes.slice(at + 1));
  const rest = squash(restRaw);
  if (!entity || !rest) return entity || rest;
  const parts = [entity, ...entity.split(/\s*[/×&、,，|｜+]\s*/)].filter((p) => Array.from(p).length >= 2);
  if (parts.some((p) => rest.startsWith(p) && !/^[A-Za-z0-9]/.test(rest.slice(p.length)))) return rest;
  return /^\s/.test(restRaw) ? `${entity} ${rest}` : joinWords(entity, rest);
}

/**
 * "…被推迟。（The Decoder）": a short parenthesis after the last sentence credits the outlet,
 * like a trailing source link without its link. Mid-sentence ones ("（Pre-IPO 轮）") or ones
 * glued to a clause ("…模型（详见上方）") are part of the text.
 */
function trailingCredit(text: string): { source: string; text: string } | null {
  const m = /([。！？!?])\s*[（(]([^（）()。！？!?]{1,40})[）)]$/u.exec(text);
  const source = m && /[\p{L}]/u.test(m[2] as string) ? cleanSource(m[2] as string) : null;
  return m && source ? { source, text: text.slice(0, m.index + 1) } : null;
}

/** Titles longer than this are cut at their first clause break; the rest opens the summary. */
const TITLE_MAX = 80;

function shortenTitle(title: string): { short: string; overflow: string } {
  const chars = Array.from(title);
  if (chars.length <= TITLE_MAX) return { short: title, overflow: '' };
  for (let i = 8; i < Math.min(chars.length - 1, TITLE_MAX * 1.5); i++) {
    if (/[，：；,;:]/.test(chars[i] as string)) {
      return { short: chars.slice(0, i).join(''), overflow: chars.slice(i + 1).join('').trim() + '。' };
    }
  }
  return { short: title, overflow: '' };
}

function withoutMarker(children: PhrasingContent[]): PhrasingContent[] {
  const [first, ...rest] = children;
  if (first?.type !== 'text') return children;
  const value = stripColourMarker(first.value);
  return value ? [{ type: 'text', value }, ...rest] : rest;
}

/** Without whitespace-only text at either end. */
function trimEmptyText(nodes: PhrasingContent[]): PhrasingContent[] {
  const empty = (n: PhrasingContent | undefined) => n?.type === 'text' && !n.value.trim();
  let start = 0;
  let end = nodes.length;
  while (start < end && empty(nodes[start])) start++;
  while (end > start && empty(nodes[end - 1])) end--;
  return nodes.slice(start, end);
}

function dropEmptyText(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.filter((n) => !(n.type === 'text' && !n.value.trim()));
}

/** Splits at the first dash in top-level text, or at "：" right after a leading link. */
function splitHead(nodes: PhrasingContent[]): { head: PhrasingContent[]; tail: PhrasingContent[]; separated: boolean } {
  const firstReal = nodes.findIndex((n) => !(n.type === 'text' && !n.value.trim()));
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as PhrasingContent;
    if (n.type !== 'text') continue;
    if (i === firstReal + 1 && nodes[firstReal]?.type === 'link' && LEADING_COLON.test(n.value)) {
      return { head: nodes.slice(0, i), tail: [{ type: 'text', value: n.value.replace(LEADING_COLON, '') }, ...nodes.slice(i + 1)], separated: true };
    }
    const m = findDash(n.value);
    if (m) {
      const before = n.value.slice(0, m.index);
      const after = n.value.slice(m.index + m.length);
      const head = [...nodes.slice(0, i), ...(before ? [{ type: 'text', value: before } as PhrasingContent] : [])];
      const tail = [...(after ? [{ type: 'text', value: after } as PhrasingContent] : []), ...nodes.slice(i + 1)];
      return { head, tail, separated: true };
    }
  }
  return { head: nodes, tail: [], separated: false };
}

/**
 * Separates trailing source links from the text: "…下降。（[HN](u)）", "…（[A](u)｜[B](v)）",
 * "… [详情](u)". Returns the text part and the links, in order.
 */
export function splitTrailingLinks(nodes: PhrasingContent[]): { kept: PhrasingContent[]; trailing: Link[] } {
  const trailing: Link[] = [];
  let i = nodes.length - 1;
  for (; i >= 0; i--) {
    const n = nodes[i] as PhrasingContent;
    if (n.type === 'link') {
      trailing.unshift(n);
      continue;
    }
    if (n.type === 'text' && /^[\s）)｜|、,，/·；;]*$/.test(n.value)) continue;
    break;
  }
  if (trailing.length === 0) return { kept: nodes, trailing };
  const boundary = nodes[i];
  if (boundary?.type === 'text') {
    const bare = trimEndOf(boundary.value, /\s/);
    const cut = /[（(]$/.test(bare) ? bare.length - 1 : bare.length < boundary.value.length ? bare.length : -1;
    if (cut >= 0) return { kept: [...nodes.slice(0, i), { type: 'text', value: boundary.value.slice(0, cut) }], trailing };
    // "…仍待进行。[详情](u)": a link right after a sentence end is not part of it either.
    if (/[。！？!?]$/.test(boundary.value)) return { kept: nodes.slice(0, i + 1), trailing };
  }
  if (i < 0) return { kept: [], trailing };
  // Links glued to prose without a bracket or space are part of the sentence.
  return { kept: nodes, trailing: [] };
}

