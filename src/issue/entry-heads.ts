/**
 * Heads of entries that have no title link, as other newsletters write them:
 * - a bold title: `- **Reorg vulnerability in LND channel closes**: Bastien Teinturier [posted][ref] …`,
 *   `- **When would enabling OP_CAT allow recursive covenants?** in a …`
 *   (the url is the first web link of the entry's text: where the news was posted);
 * - a bold title holding a link among its words: `- **[BIP174][ref] discussion and review ongoing:** …`
 *   (the url is that link; a bold that is only a link is a title link, read by parseHead);
 * - a title and a bare URL: `1. Go 性能优化小结 http://…`, `1. 标题： https://…`, or a URL alone;
 * - a reference whose definition the site adds at build time (`- [Bitcoin Core #33908][] adds …`):
 *   the bracketed text is the title, and the entry has no url of its own.
 */
import type { Link, PhrasingContent } from 'mdast';
import type { Head } from './heads.js';
import { isBareUrlLink } from './heads.js';
import { isWebUrl } from './links.js';
import { cleanTitle, plainText, rawText, stripNumbering } from './plain-text.js';

/** A bold title longer than this is a bold sentence, not a title. */
const MAX_BOLD_TITLE = 200;
/** Text before a bare URL longer than this is prose that happens to hold a URL. */
const MAX_TEXT_BEFORE_URL = 120;

const isBlank = (n: PhrasingContent) => n.type === 'text' && n.value.trim() === '';

function hasLink(n: PhrasingContent): boolean {
  return n.type === 'link' || ('children' in n && (n.children as PhrasingContent[]).some(hasLink));
}

function head(title: string, url: string | null, rest: PhrasingContent[], numbered: boolean): Head {
  return { title: cleanTitle(title), url, badUrl: null, source: null, tags: [], numbered, hasLink: url !== null, rest };
}

/**
 * `**Title**: text` or `**Title:** text`; null when the entry does not start that way. A bold with a
 * link in it counts only when the link is not the whole bold and a colon ends it (`linked`).
 */
export function boldLeadHead(children: PhrasingContent[], linked = false): Head | null {
  const start = children.findIndex((n) => !isBlank(n));
  const lead = children[start];
  if (lead?.type !== 'strong' || hasLink(lead) !== linked) return null;
  const title = plainText(lead);
  if (linked && !(/[:：]\s*$/.test(title) && title.replace(/[:：]\s*$/, '').trim() !== linkText(lead))) return null;
  if (!title || Array.from(title).length > MAX_BOLD_TITLE) return null;
  let rest = children.slice(start + 1);
  const first = rest[0];
  const colonInside = /[:：]\s*$/.test(title);
  if (first?.type === 'text' && /^\s*[:：]/.test(first.value)) {
    const value = first.value.replace(/^\s*[:：]\s*/, '');
    rest = value ? [{ type: 'text', value }, ...rest.slice(1)] : rest.slice(1);
  } else if (!colonInside && !/[?？]$/.test(title)) {
    // A bold question leads ("**When would … covenants?** in a …"); other bold text without a
    // colon is emphasis in a bullet point, not a title.
    return null;
  }
  return head(title.replace(/[:：]\s*$/, ''), linked ? firstWebLink([lead]) : firstWebLink(rest), rest, false);
}

/** The visible text of the links in a node, joined: what a bold that is only a link shows. */
function linkText(node: PhrasingContent): string {
  if (node.type === 'link') return plainText(node).trim();
  return 'children' in node ? (node.children as PhrasingContent[]).map(linkText).join('').trim() : '';
}

/** `Title https://…` or a URL alone: the title is the text before the first bare URL (or the URL). */
export function bareUrlHead(children: PhrasingContent[]): Head | null {
  const at = children.findIndex((n) => n.type === 'link' && isWebUrl(n.url) && isBareUrlLink(n));
  if (at < 0) return null;
  const link = children[at] as Link;
  const before = rawText(children.slice(0, at));
  if (children.slice(0, at).some(hasLink) || Array.from(before.trim()).length > MAX_TEXT_BEFORE_URL) return null;
  const numbering = stripNumbering(before.trim());
  const title = numbering.text.replace(/[\s:：,，-]+$/, '').trim();
  return head(title || link.url, link.url, children.slice(at + 1), numbering.numbered);
}

/** The first link to a web address in `nodes`, however deep. */
export function firstWebLink(nodes: PhrasingContent[]): string | null {
  for (const n of nodes) {
    if (n.type === 'link' && isWebUrl(n.url)) return n.url;
    if ('children' in n) {
      const inner = firstWebLink(n.children as PhrasingContent[]);
      if (inner) return inner;
    }
  }
  return null;
}

/** `[Title][]` or `[Title][ref]` left as text because its definition is not in the file. */
const DANGLING = /^\s*\[([^[\]\n]{1,120})\]\[[^[\]\n]{0,100}\]\s*/;

export function danglingReferenceHead(children: PhrasingContent[]): Head | null {
  const first = children[0];
  if (first?.type !== 'text') return null;
  const m = DANGLING.exec(first.value);
  if (!m) return null;
  const value = first.value.slice(m[0].length);
  const rest: PhrasingContent[] = value ? [{ type: 'text', value }, ...children.slice(1)] : children.slice(1);
  return head(m[1] as string, null, rest, false);
}

/** Text with dangling references shown as their text: "[responsible disclosure][topic x]" → "responsible disclosure". */
export function withoutDanglingReferences(text: string): string {
  if (!text.includes('][')) return text;
  return text.replace(/\[([^[\]\n]{1,200})\]\[[^[\]\n]{0,100}\]/g, '$1');
}
