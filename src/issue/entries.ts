/**
 * Items that are not headings: list entries (`1. [title](url) | source` with nested link lists),
 * link-led paragraphs (`[title](url)`, `` [`owner/repo`](url) — description ``) and table rows
 * (GitHub trending tables, paper tables).
 */
import type { List, ListItem, Paragraph, PhrasingContent, Table, TableRow } from 'mdast';
import type { Findings } from './findings.js';
import { parseHead, titleLinkIndex } from './heads.js';
import { bareUrlHead, boldLeadHead, danglingReferenceHead, firstWebLink } from './entry-heads.js';
import { ItemBuilder } from './items.js';
import { isWebUrl } from './links.js';
import { cleanTitle, plainText } from './plain-text.js';
import { colourItem, isColourParagraph } from './styles-2026.js';

/** A paragraph that starts with a titled link (after at most a short prefix such as "1." or "论文·"). */
export function isLinkLedParagraph(p: Paragraph): boolean {
  return titleLinkIndex(p.children) >= 0 || pipeRows(p) !== null;
}

/** Text of a paragraph's title link, or null when it has none (for a pipe table: its first row's). */
export function titleLinkText(p: Paragraph): string | null {
  const row = pipeRows(p)?.[0] ?? p.children;
  const at = titleLinkIndex(row);
  return at < 0 ? null : plainText(row[at] as PhrasingContent);
}

/** An entry with a bold title (`**Title**: …`) or a title and a bare URL (`Title https://…`). */
export function isEntryLed(p: Paragraph): boolean {
  return boldLeadHead(p.children) !== null || boldLeadHead(p.children, true) !== null || bareUrlHead(p.children) !== null || danglingReferenceHead(p.children) !== null;
}

/** At least half of the entries start with a titled link or a colour marker: a list of items, not of bullet points. */
export function isLinkList(list: List): boolean {
  let known = linkLists.get(list);
  if (known === undefined) linkLists.set(list, (known = computeIsLinkList(list)));
  return known;
}

/** Lists are asked about several times while a file's structure is read: once each is enough. */
const linkLists = new WeakMap<List, boolean>();

function computeIsLinkList(list: List): boolean {
  const led = list.children.filter((li) => {
    const first = li.children[0];
    return first?.type === 'paragraph' && (isLinkLedParagraph(first) || isColourParagraph(first) || isEntryLed(first));
  }).length;
  return led > 0 && led * 2 >= list.children.length;
}

/**
 * A table written without its header rows ("| [`repo`](url) | description |" lines) is one
 * paragraph to remark: split it back into rows, each as "[`repo`](url) — description".
 */
export function pipeRows(p: Paragraph): PhrasingContent[][] | null {
  const lines: PhrasingContent[][] = [[]];
  for (const node of p.children) {
    if (node.type !== 'text' || !node.value.includes('\n')) {
      (lines[lines.length - 1] as PhrasingContent[]).push(node);
      continue;
    }
    node.value.split('\n').forEach((piece, k) => {
      if (k > 0) lines.push([]);
      if (piece) (lines[lines.length - 1] as PhrasingContent[]).push({ type: 'text', value: piece });
    });
  }
  const rows = lines.filter((l) => l.length > 0);
  if (rows.length === 0 || !rows.every((l) => l[0]?.type === 'text' && /^\s*\|/.test(l[0].value))) return null;
  const out = rows.map((row) => {
    const cells = row.map((n): PhrasingContent => (n.type === 'text' ? { type: 'text', value: cellText(n.value) } : n));
    return cells.filter((n) => !(n.type === 'text' && n.value === ''));
  });
  return out.every((row) => titleLinkIndex(row) >= 0) ? out : null;
}

/**
 * "| a | b |" → "a — b". Split at the bars rather than matched with a regex of optional spaces around a bar, which rescans
 * every run of spaces before failing (quadratic on a row with 100,000 spaces).
 */
function cellText(value: string): string {
  const parts = value.split('|');
  if (parts.length === 1) return value;
  const last = parts.length - 1;
  const trimmed = parts.map((p, i) => (i === 0 ? p.trimEnd() : i === last ? p.trimStart() : p.trim()));
  if (trimmed[0]?.trim() === '') trimmed.shift();
  if (trimmed.length > 1 && trimmed[trimmed.length - 1]?.trim() === '') trimmed.pop();
  return trimmed.join(' — ');
}

/** An item from link-led phrasing; the text after " — " or "：" starts its summary. */
export function phrasingItem(children: PhrasingContent[], findings: Findings, node: Paragraph): ItemBuilder | null {
  const head =
    (titleLinkIndex(children) < 0 ? boldLeadHead(children) ?? boldLeadHead(children, true) ?? bareUrlHead(children) ?? danglingReferenceHead(children) : boldLeadHead(children, true)) ??
    parseHead(children, true);
  if (!head.title) return null;
  if (head.badUrl !== null) findings.at(node, `link of "${head.title.slice(0, 40)}" has no web address ("${head.badUrl.slice(0, 60)}")`);
  const item = new ItemBuilder(head, false, findings);
  if (head.rest.length > 0) {
    item.addSummary(plainText(head.rest));
    item.collectLinks({ type: 'paragraph', children: head.rest });
  }
  return item;
}

/** Items from a link-led paragraph: usually one, one per row for a header-less pipe table. */
export function paragraphItems(p: Paragraph, findings: Findings): ItemBuilder[] {
  const rows = pipeRows(p) ?? [p.children];
  return rows.map((row) => phrasingItem(row, findings, p)).filter((it): it is ItemBuilder => it !== null);
}

/** An item from one list entry: its first paragraph is the head, the rest is its body. */
export function listEntryItem(entry: ListItem, findings: Findings): ItemBuilder | null {
  const [first, ...others] = entry.children;
  if (first?.type !== 'paragraph') return null;
  const item = isColourParagraph(first) ? colourItem(first, findings) : phrasingItem(first.children, findings, first);
  if (!item) return null;
  for (const block of others) item.absorb(block);
  return item;
}

/** True when some body row of the table has a web link: its rows are items. */
export function isLinkTable(table: Table): boolean {
  return table.children.slice(1).some((row) => row.children.some((cell) => hasWebLink(cell.children)));
}

function hasWebLink(nodes: PhrasingContent[]): boolean {
  return nodes.some((n) => (n.type === 'link' && isWebUrl(n.url)) || ('children' in n && hasWebLink(n.children as PhrasingContent[])));
}

/**
 * One item per body row: the title is the first cell's text (a repository name, a paper name),
 * the url the first web link in the row, the summary the longest cell that is neither a link nor a number; other
 * links are labelled by their column header ("Github", "Paper").
 */
export function tableItems(table: Table, findings: Findings): ItemBuilder[] {
  const headers = (table.children[0]?.children ?? []).map((cell) => plainText(cell));
  const out: ItemBuilder[] = [];
  for (const row of table.children.slice(1)) {
    const item = rowItem(row, headers, findings);
    if (item) out.push(item);
  }
  return out;
}

function rowItem(row: TableRow, headers: string[], findings: Findings): ItemBuilder | null {
  const cells = row.children;
  const title = cleanTitle(plainText(cells[0] ?? []));
  if (!title) return null;
  let url: string | null = null;
  let summary = '';
  for (const cell of cells) {
    const link = firstWebLink(cell.children);
    if (link && url === null) url = link;
    const text = plainText(cell);
    // Star counts and dashes describe nothing.
    const numeric = /^[\s\d.,+\-–%kKmM⭐★]*$/u.test(text);
    if (!link && cell !== cells[0] && !numeric && Array.from(text).length > Array.from(summary).length) summary = text;
  }
  const item = new ItemBuilder({ title, url, source: null, tags: [] }, false, findings);
  item.addSummary(summary);
  cells.forEach((cell, c) => item.collectLinks(cell, headers[c] ?? ''));
  return item;
}
