/**
 * Platform-neutral views of the newsletter: what a message shows, before any platform formats it.
 * Renderers in `adapters/<platform>/render.ts` turn these into payloads.
 */
import { itemsOf, type Issue, type Item, type Link } from '../issue/model.js';
import type { Span } from '../rich-text.js';
import type { Language } from '../i18n/language.js';
import { issueLabel } from './label.js';
import { compareIssues } from '../issue/order.js';
import { linkKind, withSuffixes, type DigestLink, type LinkKind } from './links.js';
import { cleanText, oneLine } from '../text/graphemes.js';

export { linkKind, linkLabel, MAX_LINK_LABEL, type DigestLink, type LinkKind } from './links.js';

/** `full`: summaries and key links. `compact`: titles with links. */
export type DigestMode = 'full' | 'compact';

/** One item as a digest shows it. */
export interface DigestItem {
  /** 1-based position in the issue, across sections. */
  number: number;
  title: string;
  url: string | null;
  source: string | null;
  tags: string[];
  /** Empty in compact mode. */
  summary: string;
  /** Key secondary links (paper, GitHub…); empty in compact mode. */
  links: DigestLink[];
  image: string | null;
}

export interface DigestSection {
  /** "" when the issue has no sections. */
  title: string;
  items: DigestItem[];
}

/** A whole issue ready to render: header, sections, footer. */
export interface Digest {
  mode: DigestMode;
  issueId: string;
  /** "YYYY-MM-DD". */
  date: string;
  title: string;
  /** One line of lead text; may be "". */
  intro: string;
  itemCount: number;
  sections: DigestSection[];
  /** The issue's web page when one is configured, else null. */
  webUrl: string | null;
}

/** One item on its own (a search hit opened, an /issue … item). */
export interface ItemView {
  issueId: string;
  date: string;
  issueTitle: string;
  sectionTitle: string;
  item: DigestItem;
}

/** One search hit as a results page lists it. */
export interface SearchHitView {
  issueId: string;
  date: string;
  sectionTitle: string;
  /** 0-based index of the item in the issue, across sections. */
  itemIndex: number;
  title: string;
  url: string | null;
  source: string | null;
  /** At most 160 characters around the first match; matches carry `highlight`. */
  snippet: Span[];
}

/** A page of search results. */
export interface SearchPageView {
  query: string;
  /** 1-based. */
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  hits: SearchHitView[];
  /** When there are no hits: nearby terms from the index vocabulary. */
  suggestions: string[];
}

/** One issue in the archive list. */
export interface ArchiveEntry {
  id: string;
  date: string;
  title: string;
  itemCount: number;
}

/** A page of the archive, newest first. */
export interface ArchivePageView {
  /** 1-based. */
  page: number;
  pageCount: number;
  total: number;
  entries: ArchiveEntry[];
}

// ---------------------------------------------------------------------------------------------
// Builders: Issue -> views. Pure; every renderer starts from these.

/** Longer URLs are not links: browsers and chat platforms refuse them (the corpus's longest is ~800). */
export const MAX_URL_LENGTH = 2048;

/** Whether `url` is an http(s) URL a chat platform can link to (no local paths, anchors, javascript:). */
export function isWebUrl(url: string | null | undefined): url is string {
  // eslint-disable-next-line no-control-regex
  if (!url || url.length > MAX_URL_LENGTH || /[\s\u0000-\u001F\u007F-\u009F]/.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}

const KIND_RANK: Record<LinkKind, number> = { paper: 0, github: 1, other: 2 };

/** At most this many secondary links per item in a full digest: the key ones, paper and GitHub first. */
export const DIGEST_LINKS_PER_ITEM = 4;

function keyLinks(links: readonly Link[], primary: string | null, max: number): DigestLink[] {
  const seen = new Set<string>(primary ? [primary] : []);
  const kept: Link[] = [];
  for (const link of links) {
    if (!isWebUrl(link.url) || seen.has(link.url)) continue;
    seen.add(link.url);
    kept.push({ label: oneLine(link.label), url: link.url });
  }
  // Array.prototype.sort is stable: links of one kind keep the author's order.
  return withSuffixes(kept.sort((a, b) => KIND_RANK[linkKind(a)] - KIND_RANK[linkKind(b)]).slice(0, max));
}

function digestItem(item: Item, number: number, mode: DigestMode, maxLinks: number): DigestItem {
  const url = isWebUrl(item.url) ? item.url : null;
  const source = item.source === null ? null : oneLine(item.source) || null;
  return {
    number,
    title: oneLine(item.title),
    url,
    source,
    tags: item.tags.map(oneLine).filter(Boolean),
    summary: mode === 'full' ? cleanText(item.summary).trim() : '',
    links: mode === 'full' ? keyLinks(item.links, url, maxLinks) : [],
    image: isWebUrl(item.image) ? item.image : null,
  };
}

/** The first non-empty line of the lead text ("导读：本期为…"); the rest is detail a digest skips. */
function introLine(intro: string): string {
  return (
    cleanText(intro)
      .split('\n')
      .map((line) => oneLine(line))
      .find(Boolean) ?? ''
  );
}

/**
 * An issue as a digest: header, its non-empty sections with items numbered across sections,
 * footer link. `full` keeps summaries and up to 4 key links per item (paper, GitHub first);
 * `compact` empties both. Only http(s) URLs survive as links or images.
 */
export function buildDigest(issue: Issue, mode: DigestMode, options: { webUrl?: string | null } = {}): Digest {
  let number = 0;
  const sections: DigestSection[] = [];
  for (const section of issue.sections) {
    const items = section.items.map((item) => digestItem(item, ++number, mode, DIGEST_LINKS_PER_ITEM));
    if (items.length > 0) sections.push({ title: oneLine(section.title), items });
  }
  return {
    mode,
    issueId: issue.id,
    date: issueLabel(issue),
    title: oneLine(issue.title),
    intro: introLine(issue.intro),
    itemCount: number,
    sections,
    webUrl: isWebUrl(options.webUrl) ? options.webUrl : null,
  };
}

/** One item (0-based across sections) with all its links, or null when the index is out of range. */
export function buildItemView(issue: Issue, itemIndex: number): ItemView | null {
  const entry = itemsOf(issue)[itemIndex];
  if (!entry || !Number.isInteger(itemIndex)) return null;
  return {
    issueId: issue.id,
    date: issueLabel(issue),
    issueTitle: oneLine(issue.title),
    sectionTitle: oneLine(entry.section.title),
    item: digestItem(entry.item, itemIndex + 1, 'full', Number.POSITIVE_INFINITY),
  };
}

/**
 * One page of the archive, newest first (`compareIssues`: by date, then number, then id). `page` is 1-based and clamped into
 * range, so a stale "next" button still lands on a real page.
 */
export function buildArchivePage(issues: readonly Issue[], page: number, pageSize = 10): ArchivePageView {
  const size = Math.max(1, Math.floor(pageSize) || 1);
  const sorted = [...issues].sort((a, b) => compareIssues(b, a));
  const pageCount = Math.max(1, Math.ceil(sorted.length / size));
  const current = Math.min(pageCount, Math.max(1, Math.floor(page) || 1));
  const entries = sorted.slice((current - 1) * size, current * size).map((issue) => ({
    id: issue.id,
    date: issueLabel(issue),
    title: oneLine(issue.title),
    itemCount: issue.sections.reduce((n, s) => n + s.items.length, 0),
  }));
  return { page: current, pageCount, total: sorted.length, entries };
}
