/**
 * What of an item is searchable, and how much each part counts. A term's frequency in an item is
 * the sum of its occurrences weighted by field, so a title word outranks the same word in the
 * summary, which outranks it in a link.
 */
import type { Item } from '../issue/model.js';
import { displayUrl } from '../issue/redirect.js';
import { fold } from './normalize.js';
import { forEachTerm, forEachUrlTerm, urlText, type TermSink } from './tokenize.js';

/** Integer weights (frequencies are stored as 16-bit integers). */
export const FIELD_WEIGHTS = { title: 6, tags: 4, source: 3, summary: 2, section: 1, links: 1 } as const;

/**
 * Feeds every term of an item with its field weight and returns its folded text (every field,
 * one per line; CJK phrases are confirmed against it) and its length in terms.
 */
export function feedItem(item: Item, sectionTitle: string, sink: TermSink): { text: string; length: number } {
  const lines: string[] = [];
  let length = 0;
  const addText = (raw: string | null, weight: number) => {
    if (!raw) return;
    const folded = fold(raw);
    lines.push(folded);
    length += forEachTerm(folded, sink, weight);
  };
  addText(item.title, FIELD_WEIGHTS.title);
  for (const tag of item.tags) addText(tag, FIELD_WEIGHTS.tags);
  addText(item.source, FIELD_WEIGHTS.source);
  addText(item.summary, FIELD_WEIGHTS.summary);
  addText(sectionTitle, FIELD_WEIGHTS.section);
  for (const link of item.links) addText(link.label, FIELD_WEIGHTS.links);
  for (const url of [item.url, ...item.links.map((l) => l.url)]) {
    if (!url) continue;
    // A tracking redirect is found by its target's host and path, not the tracker's.
    const folded = fold(displayUrl(url));
    const parts = urlText(folded);
    lines.push(parts ? parts.host + parts.path : folded);
    length += forEachUrlTerm(folded, sink, FIELD_WEIGHTS.links);
  }
  return { text: lines.join('\n'), length };
}
