/**
 * Section filters: which sections of an issue a chat gets. Names are compared folded (NFKC, lower
 * case, no spaces), so "ai前沿", "AI 前沿" and the full-width "ＡＩ前沿" are the same section; a name
 * the reader types may also be an unambiguous prefix of a section title.
 */
import type { Issue } from '../issue/model.js';
import type { SectionFilter } from '../store/index.js';

/** How section names compare: width- and case-insensitive, spaces ignored. */
export function foldSection(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** The issue as a chat with this filter reads it (sections left out; the rest unchanged). */
export function applySectionFilter(issue: Issue, filter: Pick<SectionFilter, 'kind' | 'names'> | null): Issue {
  if (!filter) return issue;
  const names = new Set(filter.names);
  const keep = filter.kind === 'only' ? (t: string) => names.has(foldSection(t)) : (t: string) => !names.has(foldSection(t));
  return { ...issue, sections: issue.sections.filter((s) => keep(s.title)) };
}

/** A filter's identity, for rendering once per distinct filter. */
export function filterKey(filter: Pick<SectionFilter, 'kind' | 'names'> | null): string {
  return filter ? `${filter.kind}:${[...filter.names].sort().join('\u0001')}` : 'all';
}

export const itemCountOf = (issue: Issue): number => issue.sections.reduce((n, s) => n + s.items.length, 0);

/** The distinct section titles (as first written) of the newest `count` issues, newest issue first. */
export function recentSections(issues: readonly Issue[], count = 10): string[] {
  const seen = new Map<string, string>();
  for (const issue of issues.slice(-count).reverse()) {
    for (const s of issue.sections) {
      const folded = foldSection(s.title);
      if (folded && !seen.has(folded)) seen.set(folded, s.title);
    }
  }
  return [...seen.values()];
}

export type NameResolution =
  | { ok: true; titles: string[] }
  | { ok: false; problem: 'unknown' | 'ambiguous'; name: string; candidates: string[] };

/**
 * Reads the names an admin typed against the known section titles. Separators: commas (，、,;),
 * else the whole text is tried as one name first (titles may hold spaces), then each word.
 */
export function resolveSectionNames(text: string, known: readonly string[]): NameResolution {
  const split = /[,，、;；]/u.test(text) ? text.split(/[,，、;；]/u) : null;
  if (!split) {
    const whole = resolveOne(text, known);
    if (whole.ok || !/\s/u.test(text.trim())) return whole.ok ? { ok: true, titles: [whole.title] } : whole;
  }
  const titles: string[] = [];
  for (const name of (split ?? text.split(/\s+/u)).map((n) => n.trim()).filter(Boolean)) {
    const one = resolveOne(name, known);
    if (!one.ok) return one;
    if (!titles.includes(one.title)) titles.push(one.title);
  }
  return { ok: true, titles };
}

function resolveOne(
  name: string,
  known: readonly string[],
): { ok: true; title: string } | { ok: false; problem: 'unknown' | 'ambiguous'; name: string; candidates: string[] } {
  const folded = foldSection(name);
  const exact = known.find((t) => foldSection(t) === folded);
  if (exact !== undefined) return { ok: true, title: exact };
  const prefixed = folded ? known.filter((t) => foldSection(t).startsWith(folded)) : [];
  if (prefixed.length === 1) return { ok: true, title: prefixed[0] as string };
  return prefixed.length > 1 ? { ok: false, problem: 'ambiguous', name, candidates: prefixed } : { ok: false, problem: 'unknown', name, candidates: [...known] };
}
