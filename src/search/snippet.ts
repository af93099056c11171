/**
 * The few lines a results page shows under a hit: at most 160 characters of the item's summary
 * around the first match, matches marked `highlight`, cut only between graphemes, "…" where cut.
 */
import type { Span } from '../rich-text.js';
import { foldWithOffsets, graphemeStart } from './normalize.js';
import type { Run } from './tokenize.js';

/** Longest snippet, in UTF-16 units (so also in code points and in graphemes), ellipses included. */
export const SNIPPET_LENGTH = 160;
/** How much text to keep before the first match, when there is room. */
const LEAD = 30;
const ELLIPSIS = '…';
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Where `runs` occur in `text`, as sorted, merged [start, end) offsets into `text`. */
export function findMatches(text: string, runs: readonly Run[]): Array<[number, number]> {
  const { folded, origin } = foldWithOffsets(text);
  const found: Array<[number, number]> = [];
  for (const run of runs) {
    const needle = run.text;
    // Short words match only at a word start (as a prefix); longer ones anywhere (inside words too).
    const anywhere = run.kind === 'cjk' || needle.length >= 3;
    for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
      if (!anywhere && at > 0 && WORD_CHAR.test(folded[at - 1]!)) continue;
      found.push(origin ? [origin[at]!, endOffset(origin, at + needle.length)] : [at, at + needle.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of found) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** The original offset where the folded text ending at `end` stops, rounded up to a whole grapheme. */
function endOffset(origin: readonly number[], end: number): number {
  const inside = origin[end - 1]!;
  let j = end;
  while (j < origin.length - 1 && origin[j] === inside) j++;
  return origin[j]!;
}

/** Builds the snippet of `text` for a query's runs. With no match it is the start of the text. */
export function makeSnippet(text: string, runs: readonly Run[], max = SNIPPET_LENGTH): Span[] {
  const source = text.replace(/\s+/gu, ' ').trim();
  if (source === '') return [];
  const matches = findMatches(source, runs);
  const snapDown = (offset: number) => graphemeStart(source, offset);
  if (source.length <= max) return toSpans(source, 0, source.length, matches, '', '');
  const first = matches[0]?.[0] ?? 0;
  // Leave LEAD characters before the match, but no more than needed to fill the budget to the end.
  let start = snapDown(Math.max(0, Math.min(first - LEAD, source.length - (max - 1))));
  const before = start > 0 ? ELLIPSIS : '';
  const room = max - before.length;
  let end = source.length;
  if (end - start > room) end = snapDown(start + room - ELLIPSIS.length);
  if (end < start) end = start;
  const after = end < source.length ? ELLIPSIS : '';
  return toSpans(source, start, end, matches, before, after);
}

function toSpans(text: string, start: number, end: number, matches: Array<[number, number]>, before: string, after: string): Span[] {
  const spans: Span[] = [];
  const push = (t: string, highlight: boolean) => {
    if (t === '') return;
    const last = spans.at(-1);
    if (last && Boolean(last.highlight) === highlight) last.text += t;
    else spans.push(highlight ? { text: t, highlight: true } : { text: t });
  };
  push(before, false);
  let at = start;
  for (const [s, e] of matches) {
    const from = Math.max(s, start);
    const to = Math.min(e, end);
    if (to <= from) continue;
    push(text.slice(at, from), false);
    push(text.slice(from, to), true);
    at = to;
  }
  push(text.slice(at, end), false);
  push(after, false);
  return spans;
}
