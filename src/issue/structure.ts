/**
 * Finds an issue's structure in the mdast tree: document title, intro, sections and items.
 *
 * The document title is a first, lone top-level heading with a date and no link
 * ("# 🤖 AI 早报 | 2026-05-21（周四）"); the intro is the blockquotes and paragraphs before the
 * first section or item.
 *
 * A heading is an ITEM when it carries a title link; otherwise it is a SECTION when what it
 * heads looks like a container — deeper headings under it (unless it is numbered, "# 9. 寒武纪…"),
 * a list or link-led paragraphs right after it (numbered ones only when that content is a link
 * collection: "# 9. 其他"), a leading emoji (2026 "## 🔥 今日精选"), or colour-marker
 * paragraphs — and an item with a plain title otherwise ("## 10. Determined AI：…").
 * Inside a section, list entries, link-led paragraphs, link tables and colour paragraphs are
 * items; after a heading item, every block is that item's body. A short bold paragraph such as
 * "**其他：**" followed by links opens a section of its own. A thematic break ("---") after a
 * heading item, followed by links whose texts read as titles, ends that item: the links are items
 * of an untitled ("") section of their own, since the file names none and the parser invents no
 * title (renderers show "" without a heading). Secondary links after a break ("论文：…",
 * "[GitHub](…)") stay with the item. The insights section ("今日洞察")
 * and everything after the copy-paste footer ("朋友圈版") are not news and are skipped.
 */
import type { Heading, List, ListItem, Root, RootContent } from 'mdast';
import { isColourParagraph, colourItem } from './styles-2026.js';
import { isLinkLedParagraph, isLinkList, isLinkTable, listEntryItem, paragraphItems, tableItems, titleLinkText } from './entries.js';
import type { Findings } from './findings.js';
import { parseHead } from './heads.js';
import { dateFromText, numberFromText } from './identity.js';
import { ItemBuilder } from './items.js';
import { isTitleLikeText } from './links.js';
import type { Section } from './model.js';
import { plainText, stripNumbering, textWithUrls, trimEndOf } from './plain-text.js';

export interface Structure {
  /** Text of a lone top-level heading that names the whole issue, if there is one. */
  title: string | null;
  intro: string;
  sections: Section[];
}

/** Headings of a newsletter's own notices: jobs, follow us, about, sponsors, how to read it. */
const HOUSE_NOTICE = /^(?:内推|招聘|关注我们|联系我们|订阅|赞助|广告|说明|关于|about|subscribe|sponsors?|hiring|jobs|contact)/i;
/** Sections that list the issue's editors or notices rather than news ("## 本期编辑"). */
const HOUSE_SECTION = /^(?:本期编辑|编辑|editors?$|内推|招聘|关注我们|联系我们|订阅|赞助)/i;
const INSIGHTS = /洞察|insights?/i;
const FOOTER = /^朋友圈版/;
const LEADING_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})/u;

export function readStructure(root: Root, findings: Findings): Structure {
  const blocks = root.children.filter((b) => !isNoise(b));
  let i = 0;
  let title: string | null = null;
  const first = blocks[0];
  if (first?.type === 'heading' && first.depth === 1) {
    const head = parseHead(first.children, false);
    const lone = blocks.filter((b) => b.type === 'heading' && b.depth === 1).length === 1;
    if (lone && !head.hasLink && !head.numbered && namesIssue(plainText(first))) {
      title = plainText(first).replace(/^[\p{Extended_Pictographic}\p{Regional_Indicator}\uFE0F\s]+/u, '');
      i = 1;
    }
  }
  const introParts: string[] = [];
  for (; i < blocks.length; i++) {
    const b = blocks[i] as RootContent;
    if (b.type === 'blockquote' || (b.type === 'paragraph' && !isColourParagraph(b) && !isLinkLedParagraph(b))) {
      const text = textWithUrls(b);
      if (text) introParts.push(text);
    } else if (b.type !== 'thematicBreak' && !isImageBlock(b)) break;
  }
  const walker = new Walker(blocks, findings);
  walker.run(i);
  return { title, intro: introParts.join('\n'), sections: walker.sections() };
}

/** A heading that names the issue: it carries the issue's date or number ("第 300 期", "#375 | 2026-07-20"). */
function namesIssue(text: string): boolean {
  return dateFromText(text) !== null || numberFromText(text) !== null;
}

/** Blocks that never carry meaning: `[TOC]`, HTML comments, link definitions. */
function isNoise(b: RootContent): boolean {
  if (b.type === 'paragraph') return plainText(b) === '[TOC]';
  if (b.type === 'html') return /^<!--/.test(b.value.trim());
  return b.type === 'definition';
}

function isImageBlock(b: RootContent): boolean {
  if (b.type === 'html') return /^<(?:img|center|br|p)\b/i.test(b.value.trim()) || !/[^\s]/.test(b.value);
  if (b.type !== 'paragraph') return false;
  return b.children.every((c) => c.type === 'image' || c.type === 'html' || (c.type === 'text' && !c.value.trim()) || c.type === 'break');
}

/** "**其他：**", "**【其他】**", "**项目**": a short bold label standing in for a heading. */
function labelOf(b: RootContent): string | null {
  if (b.type !== 'paragraph' || b.children[0]?.type !== 'strong') return null;
  if (b.children.some((c) => c.type !== 'strong' && !(c.type === 'text' && /^[\s:：]*$/.test(c.value)))) return null;
  const text = trimEndOf(plainText(b).replace(/^【(.*)】$/, '$1'), /[\s:：]/);
  return text && Array.from(text).length <= 12 ? text : null;
}

function sectionTitle(h: Heading): string {
  return trimEndOf(stripNumbering(plainText(h)).text, /[\s:：]/);
}

interface SectionBuilder {
  title: string;
  items: ItemBuilder[];
}

class Walker {
  private readonly built: SectionBuilder[] = [];
  private section: SectionBuilder | null = null;
  private item: ItemBuilder | null = null;
  /** Skip blocks until a heading of at most this depth (7: any heading). */
  private skipUntil = 0;

  constructor(
    private readonly blocks: RootContent[],
    private readonly findings: Findings,
  ) {}

  sections(): Section[] {
    return this.built
      .map((s) => ({ title: s.title, items: s.items.map((it) => ({ it, item: it.build() })).filter(({ it, item }) => !(it.proseHeading && item.url === null && (HOUSE_NOTICE.test(item.title) || (!it.hadParagraph && item.links.length === 0)))).map(({ item }) => item) }))
      .filter((s) => s.items.length > 0 && !HOUSE_SECTION.test(s.title));
  }

  run(start: number): void {
    for (let i = start; i < this.blocks.length; i++) {
      const b = this.blocks[i] as RootContent;
      if (b.type === 'heading') {
        if (this.skipUntil > 0 && b.depth > this.skipUntil) continue;
        this.skipUntil = 0;
        this.heading(b, i);
      } else if (this.skipUntil === 0) {
        this.block(b, i);
      }
    }
  }

  private heading(h: Heading, i: number): void {
    this.item = null;
    const head = parseHead(h.children, false);
    if (!head.hasLink && INSIGHTS.test(plainText(h))) {
      this.section = null;
      this.skipUntil = h.depth;
      return;
    }
    if (this.isSection(h, i, head.numbered, head.hasLink)) {
      this.openSection(sectionTitle(h));
      return;
    }
    if (!head.title) {
      this.findings.at(h, 'heading without a title; skipped');
      return;
    }
    if (head.badUrl !== null) this.findings.at(h, `link of "${head.title.slice(0, 40)}" has no web address ("${head.badUrl.slice(0, 60)}")`);
    const item = new ItemBuilder(head, true, this.findings);
    // A heading with neither link nor number and no article link in its body is dropped when it
    // is a house notice ("## 内推", "## 关注我们", "## 说明") or holds only a note (a template's
    // "## 新闻" then "> 行业相关的新闻"); a prose story ("# RT-AK 相关" then paragraphs) stays.
    item.proseHeading = !head.hasLink && !head.numbered;
    this.add(item);
  }

  private isSection(h: Heading, i: number, numbered: boolean, hasLink: boolean): boolean {
    if (hasLink) return false;
    let end = i + 1;
    while (end < this.blocks.length && this.blocks[end]?.type !== 'heading') end++;
    const next = this.blocks[end];
    if (next?.type === 'heading' && next.depth > h.depth) return !numbered;
    const body = this.blocks.slice(i + 1, end).filter((b) => b.type !== 'thematicBreak' && !isImageBlock(b));
    const first = body[0];
    if (!numbered && LEADING_EMOJI.test(plainText(h))) return true;
    if (first === undefined) return !numbered;
    if (first.type === 'paragraph' && isColourParagraph(first)) return true;
    if (numbered) return isLinkCollection(body);
    // "*In this monthly feature…*" then a list of entries: an introduced section.
    if (introducesList(body)) return true;
    return (
      isLinkCollection(body) ||
      first.type === 'list' ||
      (first.type === 'table' && isLinkTable(first)) ||
      (first.type === 'paragraph' && (isLinkLedParagraph(first) || labelOf(first) !== null))
    );
  }

  private block(b: RootContent, i: number): void {
    const next = this.blocks[i + 1];
    if (b.type === 'thematicBreak') {
      // "---" then a list of other articles: the break ends the heading item, the links are items.
      if (this.item?.fromHeading && startsItemCollection(this.blocks, i + 1)) this.openSection('');
      return;
    }
    if (b.type === 'paragraph' && FOOTER.test(plainText(b))) {
      this.item = null;
      this.skipUntil = 7;
      return;
    }
    if (b.type === 'list' && isFooterList(b)) return;
    const label = labelOf(b);
    if (label !== null && next && startsLinks(next)) {
      this.openSection(label);
      return;
    }
    if (b.type === 'paragraph' && isColourParagraph(b)) {
      this.add(colourItem(b, this.findings));
      return;
    }
    if (this.item?.fromHeading) {
      this.item.absorb(b);
      return;
    }
    if (b.type === 'paragraph' && isLinkLedParagraph(b)) {
      for (const item of paragraphItems(b, this.findings)) this.add(item);
    } else if (b.type === 'list' && (this.item === null || isLinkList(b))) {
      for (const entry of b.children) if (!isFooterEntry(entry)) this.addMaybe(listEntryItem(entry, this.findings));
    } else if (b.type === 'table' && isLinkTable(b)) {
      for (const item of tableItems(b, this.findings)) this.add(item);
    } else if (this.item) {
      this.item.absorb(b);
    }
  }

  private openSection(title: string): void {
    this.section = { title, items: [] };
    this.built.push(this.section);
    this.item = null;
  }

  private addMaybe(item: ItemBuilder | null): void {
    if (item) this.add(item);
  }

  private add(item: ItemBuilder): void {
    if (!this.section) this.openSection('');
    this.section?.items.push(item);
    this.item = item;
  }
}

/** Prose paragraphs or quotes, then a list of entries. */
function introducesList(body: RootContent[]): boolean {
  const at = body.findIndex((b) => b.type !== 'paragraph' && b.type !== 'blockquote');
  const list = body[at];
  return at > 0 && at <= 3 && list?.type === 'list' && isLinkList(list);
}

/** "编辑:", "订阅新闻:", "GoCN 归档:", "Editor:", "Subscribe:": an editor and subscription footer's labels. */
const FOOTER_LABEL = /编辑|订阅|归档|招聘|投稿|editor|subscribe|archive|unsubscribe/i;

/** A list of "Label: value" lines, one of them a footer label: the day's footer, not news. */
function isFooterList(list: List): boolean {
  const labels = list.children.map(footerLabel);
  return labels.every((l) => l !== null) && labels.some((l) => FOOTER_LABEL.test(l as string));
}

/** "- 编辑: Max" in a list that also holds news (the footer run on after the last entry). */
function isFooterEntry(li: ListItem): boolean {
  const label = footerLabel(li);
  return label !== null && FOOTER_LABEL.test(label);
}

/** The label of a "Label: value" entry, read from its first text only (this runs on every list entry). */
function footerLabel(li: ListItem): string | null {
  const p = li.children[0];
  const first = p?.type === 'paragraph' ? p.children[0] : undefined;
  return first?.type === 'text' ? (/^\s*([^:：\n]{1,12})[:：]/.exec(first.value)?.[1] ?? null) : null;
}

/** A short line of prose with no link, such as "篇幅限制，放在此处，有缘者自取...". */
function isRemark(b: RootContent): boolean {
  return b.type === 'paragraph' && !b.children.some((c) => c.type === 'link') && Array.from(plainText(b)).length <= 40;
}

function startsLinks(b: RootContent): boolean {
  return (b.type === 'paragraph' && isLinkLedParagraph(b)) || (b.type === 'list' && isLinkList(b));
}

/**
 * The blocks from `start` up to the next heading or break are a collection of other articles:
 * links whose texts read as titles, not "论文" / "GitHub" labels of the item before.
 */
function startsItemCollection(blocks: RootContent[], start: number): boolean {
  let end = start;
  while (end < blocks.length && blocks[end]?.type !== 'heading' && blocks[end]?.type !== 'thematicBreak') end++;
  const body = blocks.slice(start, end).filter((b) => !isImageBlock(b));
  if (!isLinkCollection(body)) return false;
  const heads: Array<RootContent | undefined> = body.flatMap((b): Array<RootContent | undefined> => (b.type === 'list' ? b.children.map((li) => li.children[0]) : [b]));
  const texts = heads.map((h) => (h?.type === 'paragraph' ? titleLinkText(h) : null)).filter((t): t is string => t !== null);
  return texts.filter(isTitleLikeText).length * 2 >= texts.length;
}

/** Content made of links to other articles ("# 9. 其他" followed by a list of links). */
function isLinkCollection(body: RootContent[]): boolean {
  let links = 0;
  for (const b of body) {
    if ((b.type === 'list' && isLinkList(b)) || (b.type === 'paragraph' && isLinkLedParagraph(b))) links++;
    else if (!(b.type === 'blockquote' || labelOf(b) !== null || isRemark(b))) return false;
  }
  return links > 0;
}
