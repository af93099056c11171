/**
 * The newsletter as the rest of newsbot sees it: plain data, no Markdown left in it.
 * Produced by `parse.ts`, served by `library.ts`, consumed by search, digest and delivery.
 */

/** A secondary link of an item, such as its paper or its GitHub repository. */
export interface Link {
  /** Short human label: "论文", "GitHub", "Paper", "项目主页"… */
  label: string;
  url: string;
}

/** One news item: what a reader sees as one entry of the digest. */
export interface Item {
  /** Plain text: no Markdown, HTML, numbering ("1.") or colour marker. */
  title: string;
  /**
   * The primary link: the title's own link; for a title with none, the item's first secondary link
   * whose label names the article itself ("原文", "原文链接", "阅读原文", "文章链接", "详情", "Source",
   * "Read more"…; the full list is `isArticleCue` in links.ts), which then is not in `links`; else
   * null. A paper, GitHub or code link is never promoted: the title names the article, not those.
   */
  url: string | null;
  /** The outlet that published it ("量子位", "The Decoder"), or null. */
  source: string | null;
  /** Tags such as "轻量化" from 【轻量化】. */
  tags: string[];
  /** Plain text from the first meaningful paragraphs, at most about 300 characters. */
  summary: string;
  /** Secondary links, de-duplicated, never repeating `url`. */
  links: Link[];
  /** An http(s) image URL, or null; never a local path. */
  image: string | null;
}

/** A titled group of items; `title` is "" for an issue without sections, or for a group the file leaves untitled (links after a "---"). */
export interface Section {
  title: string;
  items: Item[];
}

/** A non-fatal finding about an issue file. */
export interface Problem {
  /** Path relative to the issues folder (or as given on the command line). */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  message: string;
}

/** One issue of the newsletter. */
export interface Issue {
  /**
   * Stable and unique in the library: the issue number as digits ("375") when it has one, else
   * its date as "YYYYMMDD" (every AI 简报 id). "" when the file gives neither.
   */
  id: string;
  /** "YYYY-MM-DD", or "" for an issue known only by its number. */
  date: string;
  /** The newsletter's own issue number ("第 300 期", "#375"), when the file gives one. */
  number?: number;
  title: string;
  /** The lead text ("导读"), plain. */
  intro: string;
  sections: Section[];
  /** Path relative to the issues folder. */
  file: string;
  problems: Problem[];
  /** Issue-level tags from YAML front matter `tags`; absent when the file has none. */
  tags?: string[];
}

/** Every item of an issue, in reading order, with the section it belongs to. */
export function itemsOf(issue: Issue): Array<{ section: Section; item: Item; index: number }> {
  const out: Array<{ section: Section; item: Item; index: number }> = [];
  for (const section of issue.sections) {
    for (const item of section.items) out.push({ section, item, index: out.length });
  }
  return out;
}
