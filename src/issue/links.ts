/**
 * Secondary links of an item and their short labels.
 *
 * Label rule (first that applies):
 *  1. the cue — the link's own text, or for a bare URL the text just before it ("论文地址：",
 *     "Github:"), or the short paragraph before it ("> Github:" then "> https://…") — contains a
 *     known word: GitHub, 论文/Paper, 代码/Code, 数据集, 主页, 网站, 项目, Demo, 视频, 文档, 下载, 原文;
 *  2. otherwise a short link text (≤ 20 characters) is the label itself ("HN", "The Decoder");
 *  3. otherwise the host decides: github.com → GitHub, arxiv.org → 论文, else 链接.
 * A "GitHub" cue on a non-GitHub host falls through to the host (the archive has
 * "Github: https://arxiv.org/…"), so the label never lies about where the link goes.
 * Separately, `isArticleCue` says whether a cue names the article itself ("原文：", "阅读原文"):
 * such a link becomes the url of an item whose title has none.
 */
import type { Link } from './model.js';
import { squash, trimEndOf } from './plain-text.js';

const KEYWORDS: Array<[RegExp, string]> = [
  [/git\s*hub|gihub|github/i, 'GitHub'],
  [/gitee/i, 'Gitee'],
  [/论文|文献/, '论文'],
  [/\bpapers?\b|\barxiv\b|\bpape\b/i, 'Paper'],
  [/代码|源码/, '代码'],
  [/\bcodes?\b/i, 'Code'],
  [/数据集|dataset/i, '数据集'],
  [/主页|homepage/i, '主页'],
  [/官网|网站|网址|website/i, '网站'],
  [/项目|project/i, '项目'],
  [/demo|试玩|在线体验/i, 'Demo'],
  [/视频|video|bilibili|youtube/i, '视频'],
  [/文档|教程|docs?\b|documentation/i, '文档'],
  [/下载|download/i, '下载'],
  [/原文|原网页|知乎|参考链接|英文原文/, '原文'],
];

/** Link texts that say nothing about the target ("来源", "详情", "link"). */
const GENERIC = /^(?:来源|详情|原文|链接|地址|阅读|阅读月刊|点击|点击此处|点击此处查看|此处|这里|source|link|more|via)$/i;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

function isGitHubHost(host: string): boolean {
  return host === 'github.com' || host.endsWith('.github.com') || host.endsWith('github.io') || host === 'gist.github.com';
}

/** Label from the host alone. */
export function hostLabel(url: string): string {
  const host = hostOf(url);
  if (host === 'github.com' || host === 'gist.github.com') return 'GitHub';
  if (host === 'arxiv.org' || host.endsWith('.arxiv.org')) return '论文';
  if (host === 'openreview.net') return '论文';
  if (host === 'gitee.com') return 'Gitee';
  return '链接';
}

/**
 * Cues that name the article itself, the whole cue and nothing more (after the same trimming as
 * labels: leading "> - *", trailing ":：,，。(（"). Whole-cue matching keeps "相关文章", "参考链接",
 * "论文原文" and "项目地址" out: those name other things. "链接" and "网站" alone are left out too
 * (a plain link or a product's website is not the article).
 */
const ARTICLE_CUE =
  /^(?:原文|原文链接|原文地址|原文网址|英文原文|阅读原文|查看原文|文章|文章链接|文章地址|全文|详情|查看详情|article|original(?:\s+article)?|source|read\s+more)$/i;

/** The cue trimmed to what could be a label: no quote/list marks before it, no colon after it. */
function cueText(cue: string): string {
  return trimEndOf(squash(cue).replace(/^[>\-*•\s]+/, ''), /[\s:：,，。(（]/);
}

/**
 * True when a link's cue says the link is the article itself (see ARTICLE_CUE: 原文, 原文链接,
 * 原文地址, 阅读原文, 文章链接, 详情, Article, Source, Read more…): the link an item with a plain title
 * takes as its url.
 */
export function isArticleCue(cue: string): boolean {
  return ARTICLE_CUE.test(cueText(cue));
}

/**
 * A short label for `url`, from its cue text when that says something, else from its host.
 * `fromLinkText`: the cue is the link's own text, which may serve as the label as it is.
 */
export function linkLabel(cue: string, url: string, fromLinkText = false): string {
  const text = cueText(cue);
  if (text && text !== url && !/^https?:\/\//i.test(text)) {
    for (const [re, label] of KEYWORDS) {
      if (re.test(text)) return label === 'GitHub' && !isGitHubHost(hostOf(url)) ? hostLabel(url) : label;
    }
    const bare = text.replace(/^via\s+/i, '');
    if (fromLinkText && Array.from(bare).length <= 20 && !GENERIC.test(bare)) return bare;
  }
  return hostLabel(url);
}

/**
 * True for a link text that reads as an article's title rather than a label: long enough, and
 * either long or free of the label words above ("项目主页", "GitHub 仓库" are labels).
 */
export function isTitleLikeText(text: string): boolean {
  const t = squash(text);
  const length = Array.from(t).length;
  if (length < 10 || /^(?:https?:\/\/|www\.)/i.test(t) || isGenericLinkText(t)) return false;
  return length > 20 || !KEYWORDS.some(([re]) => re.test(t));
}

/** True for a link text that names nothing ("来源", "详情"). */
export function isGenericLinkText(text: string): boolean {
  return GENERIC.test(squash(text).replace(/^via\s+/i, ''));
}

/** http(s) URLs only: no in-page anchors, relative paths, mailto or local files. */
export function isWebUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(url);
}

/** Ordered, de-duplicated links that never repeat the item's own url. */
export class LinkSet {
  private readonly seen = new Set<string>();
  readonly links: Link[] = [];

  add(url: string, label: string): void {
    if (!isWebUrl(url) || this.seen.has(url)) return;
    this.seen.add(url);
    this.links.push({ label, url });
  }

  has(url: string): boolean {
    return this.seen.has(url);
  }

  /** The links without `primary` (which may have been added before it was known). */
  without(primary: string | null): Link[] {
    return primary ? this.links.filter((l) => l.url !== primary) : this.links.slice();
  }
}
