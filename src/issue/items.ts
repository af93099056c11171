/**
 * Builds one Item from its head and the blocks that follow it: secondary links with labels,
 * the first web image, and a summary from the first meaningful paragraphs. An item whose title
 * has no link takes as its url its first link labelled as the article ("> 原文：https://…").
 */
import type { Html, List, Nodes, PhrasingContent, RootContent, Table } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Findings } from './findings.js';
import type { Head } from './heads.js';
import { withoutDanglingReferences } from './entry-heads.js';
import { LinkSet, isArticleCue, isWebUrl, linkLabel } from './links.js';
import type { Item } from './model.js';
import { cleanTitle, detach, plainText, squash } from './plain-text.js';
import { SUMMARY_MAX, joinParagraphs, truncateSummary, withoutStrayEmphasis } from './summary.js';

/** Only this much text is gathered before the summary is cut, so long articles cost nothing more. */
const GATHER_LIMIT = SUMMARY_MAX + 40;
/** A paragraph this short that only introduces a link ("论文地址：") is a label, not prose. */
const LABEL_MAX = 24;

export class ItemBuilder {
  title: string;
  url: string | null;
  source: string | null;
  tags: string[];
  image: string | null = null;
  readonly links = new LinkSet();
  /** A heading with neither link nor number: dropped when its body names no article (`structure.ts`). */
  proseHeading = false;
  /** The body had a paragraph (not only a note in a quote). */
  hadParagraph = false;
  private absorbed = 0;
  /** The first link whose cue names the article itself ("原文：", "阅读原文"); the url when the title has none. */
  private articleUrl: string | null = null;
  private readonly summaryParts: string[] = [];
  private summaryLength = 0;
  private readonly fallbackLists: List[] = [];

  /**
   * `fromHeading`: the item is a heading, so the blocks after it are its body and feed the summary.
   * Items from a list entry, paragraph or table row carry their own summary text instead.
   */
  constructor(
    head: Pick<Head, 'title' | 'url' | 'source' | 'tags'>,
    readonly fromHeading: boolean,
    private readonly findings: Findings,
  ) {
    this.title = head.title;
    this.url = head.url;
    this.source = head.source;
    this.tags = head.tags;
  }

  /** Adds summary text (already plain). */
  addSummary(text: string): void {
    const t = squash(text);
    if (!t || this.summaryLength >= GATHER_LIMIT) return;
    this.summaryParts.push(t);
    this.summaryLength += t.length;
  }

  /** Body text still adds to the summary: heading items until it is long enough, others until it has any. */
  private get wantsSummary(): boolean {
    return this.fromHeading ? this.summaryLength < GATHER_LIMIT : this.summaryLength === 0;
  }

  /** Takes in one block of the item's body (or a block that follows an entry item). */
  absorb(input: RootContent): void {
    const block = this.fromHeading && this.absorbed++ === 0 ? withoutCredit(input) : input;
    switch (block.type) {
      case 'paragraph':
        this.hadParagraph = true;
        this.collectImages(block);
        this.collectLinks(block);
        if (this.wantsSummary) this.addSummary(proseText(block));
        return;
      case 'blockquote': {
        const linkCount = this.collectLinks(block);
        this.collectImages(block);
        if (linkCount === 0 && this.wantsSummary) this.addSummary(plainText(block));
        return;
      }
      case 'list':
        this.collectImages(block);
        this.collectLinks(block);
        // Lists feed the summary only when no paragraph does; their text is taken at build().
        if (this.fallbackLists.length < 4) this.fallbackLists.push(block);
        return;
      case 'table':
        this.collectLinks(block);
        return;
      case 'html':
        this.takeHtmlImage(block);
        return;
      default:
        return; // code, thematic breaks, definitions: never summary, never links
    }
  }

  /** Links inside `node` (not in code), each labelled from its cue; returns how many were seen. */
  collectLinks(node: Nodes, fallbackCue = ''): number {
    let count = 0;
    walkLinks(node, fallbackCue, (url, cue, fromLinkText) => {
      count++;
      if (url === this.url) return;
      this.links.add(url, linkLabel(cue, url, fromLinkText));
      if (this.articleUrl === null && isWebUrl(url) && isArticleCue(cue)) this.articleUrl = url;
    });
    return count;
  }

  collectImages(node: Nodes): void {
    if (this.image) return;
    visit(node, (n) => {
      if (this.image) return false;
      if (n.type === 'code') return 'skip';
      if (n.type === 'image') this.takeImage(n.url, n);
      else if (n.type === 'html') this.takeHtmlImage(n);
      return undefined;
    });
  }

  private takeHtmlImage(node: Html): void {
    const m = /<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(node.value);
    if (m) this.takeImage(m[1] as string, node);
  }

  private takeImage(url: string, node: Nodes): void {
    if (this.image) return;
    if (isWebUrl(url)) this.image = detach(url);
    else if (url) this.findings.at(node, `image "${url.slice(0, 80)}" is not a web address; ignored`);
  }

  build(): Item {
    const parts = this.summaryParts.length > 0 ? this.summaryParts : this.fallbackLists.map(proseText);
    // A plain title opens its article when the body says which link that is; a paper or
    // repository link is never promoted: the title names the article, not the paper.
    const url = this.url || this.articleUrl;
    return {
      title: detach(cleanTitle(this.title)),
      url: url ? detach(url) : null,
      source: this.source ? detach(this.source) : null,
      tags: this.tags.map(detach),
      summary: detach(truncateSummary(joinParagraphs(parts.map((p) => withoutDanglingReferences(withoutStrayEmphasis(p)))))),
      links: this.links.without(url).map((l) => ({ label: detach(l.label), url: detach(l.url) })),
      image: this.image,
    };
  }
}

/**
 * `[@EyreFree](https://github.com/EyreFree)：本文…` opening a heading item's body credits its
 * recommender: that link is neither the article nor one of its links, and the name is not summary.
 */
function withoutCredit(block: RootContent): RootContent {
  if (block.type !== 'paragraph') return block;
  const [first, second, ...others] = block.children;
  if (first?.type !== 'link' || !/^@/.test(plainText(first))) return block;
  if (second?.type !== 'text' || !/^\s*[:：]/.test(second.value)) return block;
  const value = second.value.replace(/^\s*[:：]\s*/, '');
  return { ...block, children: value ? [{ type: 'text', value }, ...others] : others };
}

/**
 * Text of a paragraph as prose: bare URLs dropped, and nothing at all when what is left is
 * just a short label that introduced a link ("论文地址：https://…").
 */
export function proseText(node: Nodes): string {
  const pieces: string[] = [];
  let hadLink = false;
  visit(node, (n) => {
    if (n.type === 'code' || n.type === 'image' || n.type === 'html') return 'skip';
    if (n.type === 'link') {
      const text = plainText(n);
      if (!text || text === n.url || /^(?:https?:\/\/|www\.)/i.test(text)) {
        hadLink = true;
        return 'skip';
      }
    }
    if (n.type === 'text' || n.type === 'inlineCode') pieces.push(n.value);
    else if (n.type === 'paragraph' && pieces.length > 0) pieces.push(' ');
    return undefined;
  });
  const text = squash(pieces.join(''));
  if (text === '[TOC]') return '';
  if (hadLink && Array.from(text).length <= LABEL_MAX) return '';
  return text;
}

type OnLink = (url: string, cue: string, fromLinkText: boolean) => void;

/**
 * Calls `onLink` for every web link in reading order. The cue of a titled link is its text;
 * the cue of a bare URL is the clause just before it, else the previous short paragraph.
 */
export function walkLinks(node: Nodes, fallbackCue: string, onLink: OnLink): void {
  let previousShort = fallbackCue;
  const visitBlock = (n: Nodes): void => {
    if (n.type === 'code' || n.type === 'html' || n.type === 'image') return;
    if (n.type === 'table') return visitTable(n, onLink);
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'tableCell') {
      const textOnly = phrasingLinks(n.children, previousShort, onLink);
      // "深度学习入门级项目，原文：" then the URL: the last clause is what names it.
      previousShort = Array.from(textOnly).length <= LABEL_MAX ? lastClause(textOnly) || textOnly : '';
      return;
    }
    if ('children' in n) for (const c of n.children) visitBlock(c as Nodes);
  };
  visitBlock(node);
}

function visitTable(table: Table, onLink: OnLink): void {
  const headers = (table.children[0]?.children ?? []).map((cell) => plainText(cell));
  table.children.forEach((row, r) => {
    row.children.forEach((cell, c) => phrasingLinks(cell.children, r === 0 ? '' : headers[c] ?? '', onLink));
  });
}

/** Walks one run of phrasing; returns its text without links (to serve as the next cue). */
function phrasingLinks(children: PhrasingContent[], carriedCue: string, onLink: OnLink): string {
  let clause = '';
  let all = '';
  const walk = (nodes: PhrasingContent[]): void => {
    for (const n of nodes) {
      if (n.type === 'text' || n.type === 'inlineCode') {
        clause += n.value;
        all += n.value;
      } else if (n.type === 'break') {
        clause = '';
      } else if (n.type === 'link') {
        const text = plainText(n);
        const bare = !text || text === n.url || /^(?:https?:\/\/|www\.)/i.test(text);
        if (isWebUrl(n.url)) {
          const cue = bare ? lastClause(clause) || (all.trim() ? '' : carriedCue) : text;
          onLink(n.url, cue, !bare);
        }
        clause = '';
      } else if ('children' in n) {
        walk(n.children as PhrasingContent[]);
      }
    }
  };
  walk(children);
  return squash(all);
}

/** The words right before a bare URL: the text after the last sentence or line break. */
function lastClause(text: string): string {
  // "知乎：\nhttps://…": a label on the line above still names the URL.
  const parts = text.trimEnd().split(/[\n。！？；;，,]/);
  return squash(parts[parts.length - 1] ?? '');
}
