/**
 * Platform-neutral views of the newsletter: what a message shows, before any platform formats it.
 * Renderers in `adapters/<platform>/render.ts` turn these into payloads.
 */
import type { Link } from './issue/model.js';
import type { Span } from './rich-text.js';

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
  links: Link[];
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
