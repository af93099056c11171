/**
 * The "head" of an item: the heading, list entry or paragraph line that names it.
 * `1.【轻量化】[Title](url) | 量子位`, `[1. Title](url) | CVer`, `干货！[Title](url)`,
 * `10. Plain title | 雷锋网`, `` [`owner/repo`](url) — description ``.
 */
import type { Link, PhrasingContent } from 'mdast';
import { cleanSource, cleanTitle, joinWords, plainText, rawText, splitTrailingSource, squash, stripNumbering, takeLeadingTags } from './plain-text.js';

export interface Head {
  title: string;
  /** The title link's address when it is http(s). */
  url: string | null;
  /** The title link's address when it is not a web address (empty, relative…), for a finding. */
  badUrl: string | null;
  source: string | null;
  tags: string[];
  /** The head started with "N." numbering. */
  numbered: boolean;
  /** The head has a title link at all. */
  hasLink: boolean;
  /** Phrasing after a " — " / "：" separator: the start of the summary. */
  rest: PhrasingContent[];
}

/** Text before the title link longer than this means the link sits inside prose instead. */
const MAX_PREFIX = 12;

/** `**[x](u)**` → the link; anything else unchanged. */
function unwrap(node: PhrasingContent): PhrasingContent {
  if ((node.type === 'strong' || node.type === 'emphasis') && node.children.length > 0) {
    const real = node.children.filter((c) => !(c.type === 'text' && !c.value.trim()));
    if (real.length === 1 && real[0]?.type === 'link') return real[0];
  }
  return node;
}

export function isBareUrlLink(link: Link): boolean {
  const text = plainText(link);
  return text === '' ? false : text === link.url || /^(?:https?:\/\/|www\.)/i.test(text);
}

/** Index of the title link: the first titled link with at most a short prefix before it. */
export function titleLinkIndex(children: PhrasingContent[]): number {
  let prefix = '';
  for (let i = 0; i < children.length; i++) {
    const child = unwrap(children[i] as PhrasingContent);
    if (child.type === 'link') return isBareUrlLink(child) ? -1 : i;
    if (child.type === 'image') continue;
    prefix += rawText([child]);
    const bare = takeLeadingTags(stripNumbering(squash(prefix)).text, true).rest;
    if (Array.from(bare).length > MAX_PREFIX || /[：:]\s*$/.test(bare)) return -1;
  }
  return -1;
}

const SEPARATOR = /^\s*(?:—+|–|--|:|：)\s*/;
const DASH_INSIDE = /\s[—–]\s|—/;

/** Parses a head. `separators`: also split off " — summary" after the title (entries, not headings). */
export function parseHead(input: PhrasingContent[], separators: boolean): Head {
  const children = input.map(unwrap);
  const at = titleLinkIndex(children);
  if (at < 0) return plainHead(children, separators);

  const link = children[at] as Link;
  const pre = stripNumbering(squash(rawText(children.slice(0, at))));
  const preTags = takeLeadingTags(pre.text, true);
  const inner = stripNumbering(plainText(link));
  const innerTags = takeLeadingTags(inner.text, false);
  // "### 🐎 [Title](url)": a prefix of emoji only is a reading-time or difficulty marker, not title.
  const prefix = /^[\p{Extended_Pictographic}\p{Regional_Indicator}\uFE0F\u200D\s]+$/u.test(preTags.rest) ? '' : preTags.rest;
  let title = joinWords(prefix, innerTags.rest);
  const head: Head = {
    title,
    url: null,
    badUrl: null,
    source: null,
    tags: [...preTags.tags, ...innerTags.tags],
    numbered: pre.numbered || inner.numbered,
    hasLink: true,
    rest: [],
  };
  if (/^https?:\/\//i.test(link.url)) head.url = link.url;
  else head.badUrl = link.url;

  const after = children.slice(at + 1);
  const afterText = rawText(after);
  const bar = /^\s*[|｜]/.test(afterText);
  if (bar) {
    // "| source" runs to a separator, if any, else to the end.
    const { source, rest } = splitAtSeparator(after, separators);
    head.source = cleanSource(source);
    head.rest = rest;
  } else if (separators && SEPARATOR.test(afterText)) {
    head.rest = dropLeading(after, SEPARATOR);
  } else if (!separators) {
    const tail = squash(afterText);
    if (tail && Array.from(tail).length <= 20) title = joinWords(title, tail);
  } else {
    head.rest = after;
  }
  head.title = cleanTitle(title);
  return head;
}

function plainHead(children: PhrasingContent[], separators: boolean): Head {
  let text = plainText(children);
  let rest: PhrasingContent[] = [];
  if (separators) {
    const cut = splitAtSeparator(children, true);
    if (cut.rest.length > 0) {
      text = squash(cut.source);
      rest = cut.rest;
    }
  }
  const numbering = stripNumbering(text);
  const tagged = takeLeadingTags(numbering.text, false);
  const { title, source } = splitTrailingSource(tagged.rest);
  return { title: cleanTitle(title), url: null, badUrl: null, source, tags: tagged.tags, numbered: numbering.numbered, hasLink: false, rest };
}

/** Splits phrasing at the first " — " in a text node: text before, nodes after. */
function splitAtSeparator(nodes: PhrasingContent[], enabled: boolean): { source: string; rest: PhrasingContent[] } {
  if (!enabled) return { source: rawText(nodes), rest: [] };
  let before = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PhrasingContent;
    if (node.type === 'text') {
      const m = DASH_INSIDE.exec(node.value);
      if (m) {
        before += node.value.slice(0, m.index);
        const tail = node.value.slice(m.index + m[0].length).replace(/^[\s—–]+/, '');
        const rest: PhrasingContent[] = tail ? [{ type: 'text', value: tail }] : [];
        return { source: before, rest: [...rest, ...nodes.slice(i + 1)] };
      }
    }
    before += rawText([node]);
  }
  return { source: before, rest: [] };
}

function dropLeading(nodes: PhrasingContent[], re: RegExp): PhrasingContent[] {
  const [first, ...others] = nodes;
  if (first?.type !== 'text') return nodes;
  const value = first.value.replace(re, '');
  return value ? [{ type: 'text', value }, ...others] : others;
}
