/**
 * How a digest names an item's secondary links: by kind ("论文"/"Paper", "GitHub") or the author's
 * label, and, where two links of one item would read alike ("GitHub · GitHub"), with a short name
 * taken from each URL ("GitHub: TableMASTER-mmocr", "GitHub: MASTER-mmocr"). The digest computes
 * the names once, so every renderer shows the same labels.
 */
import type { Language } from '../i18n/language.js';
import { renderText } from '../i18n/render.js';
import type { Link } from '../issue/model.js';
import { displayUrl } from '../issue/redirect.js';
import { oneLine, truncate } from '../text/graphemes.js';

/** A key link of a digest item. */
export interface DigestLink extends Link {
  /**
   * Set only when another link of the same item would get the same label ("GitHub · GitHub"):
   * a short name from the URL (the repository for GitHub) that `linkLabel` appends.
   */
  suffix?: string;
}

/** What a secondary link points to, so renderers can label it in the reader's language. */
export type LinkKind = 'paper' | 'github' | 'other';

/** Classifies a link by its host first, then by its label. */
export function linkKind(link: Link): LinkKind {
  let host = '';
  try {
    // A tracking redirect is classified by its target: a redirect to github.com is a GitHub link.
    host = new URL(displayUrl(link.url)).hostname.toLowerCase();
  } catch {
    // Not a URL: the label decides.
  }
  if (host === 'github.com' || host.endsWith('.github.com')) return 'github';
  if (/(^|\.)(arxiv\.org|openreview\.net|aclanthology\.org|doi\.org|papers\.nips\.cc|proceedings\.mlr\.press)$/.test(host)) return 'paper';
  if (/github/i.test(link.label)) return 'github';
  if (/论文|paper|arxiv|pdf/i.test(link.label)) return 'paper';
  return 'other';
}

/** Longest link label, suffix included (a short button or link text on every platform). */
export const MAX_LINK_LABEL = 32;

/** The author's own label as labels use it (≤ 24), or "" when there is none. */
const ownLabel = (link: Link) => truncate(oneLine(link.label), 24);

/**
 * A secondary link's short label in the reader's language: "论文"/"Paper", "GitHub", else the
 * author's own (≤ 24); with the link's suffix when it has one ("GitHub: MASTER-mmocr"). Suffixes
 * are cut so a label stays within MAX_LINK_LABEL characters (a little more after a long own label).
 */
export function linkLabel(link: DigestLink | Link, language: Language): string {
  const kind = linkKind(link);
  const base = kind === 'paper' ? renderText[language].paper : kind === 'github' ? renderText[language].github : ownLabel(link) || renderText[language].link;
  const suffix = 'suffix' in link && link.suffix ? link.suffix : '';
  return suffix ? `${base}: ${suffix}` : base;
}

/** Room for a suffix after the link's label and ": " (the longest label of its kind in any language). */
const suffixRoom = (link: Link) => Math.max(8, MAX_LINK_LABEL - 2 - (linkKind(link) === 'other' ? ownLabel(link).length || 4 : 6));

/** `name` within `max` code points, eliding its middle: the ends tell names apart ("repo-v1", "repo-v2"). */
function shorten(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - 1 - head)).join('')}`;
}

/** Which links would read alike: same kind, and for other links the same own label. */
const labelKey = (link: Link) => (linkKind(link) === 'other' ? `other:${ownLabel(link)}` : linkKind(link));

/** A path segment decoded ("%E8%AE%BA" → "论"), or as written when its escapes are malformed. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A link's host and path segments, from a tracking redirect's target when it is one. */
function urlParts(link: string): { host: string; segments: string[]; github: boolean } {
  const url = displayUrl(link);
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed) return { host: oneLine(url), segments: [], github: false };
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const segments = parsed.pathname.split('/').map((segment) => oneLine(decodeSegment(segment)));
  return { host, segments: segments.filter(Boolean), github: host === 'github.com' };
}

type UrlParts = ReturnType<typeof urlParts>;

/** Ways to name a link from its URL, tried in order until every link of a group gets its own name. */
const SUFFIX_RULES: ReadonlyArray<(p: UrlParts) => string> = [
  (p) => (p.github ? (p.segments[1] ?? p.segments[0] ?? p.host) : p.host),
  (p) => p.segments.at(-1) ?? p.host,
  (p) => [p.host, ...p.segments].join('/'),
];

/** The links with a suffix on each one whose label another link of the list shares. */
export function withSuffixes(links: readonly Link[]): DigestLink[] {
  const out: DigestLink[] = links.map((l) => ({ ...l }));
  const groups = new Map<string, number[]>();
  links.forEach((link, i) => groups.set(labelKey(link), [...(groups.get(labelKey(link)) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const parts = members.map((i) => urlParts(links[i]!.url));
    const room = Math.min(...members.map((i) => suffixRoom(links[i]!)));
    const names = SUFFIX_RULES.map((rule) => parts.map((p) => shorten(rule(p), room))).find((n) => n.every(Boolean) && new Set(n).size === n.length) ?? members.map((_, k) => String(k + 1));
    members.forEach((i, k) => (out[i]!.suffix = names[k]!));
  }
  return out;
}

