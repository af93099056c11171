/**
 * Packs units of runs (a header, an item, a search hit) into Telegram messages within the
 * length and entity limits. A unit is never split unless it alone is too big; then it is cut
 * at a line break, else a sentence end, else a space, else a grapheme boundary, with tags
 * closed at the cut and reopened after it.
 */
import { findCut } from '../../src/text/graphemes.js';
import { measure, walkTags, type Run } from './html.js';

/** Telegram's limits for one message; tests may pass smaller ones. */
export interface Limits {
  /** Visible UTF-16 units after entity parsing. */
  maxLength: number;
  maxEntities: number;
}

const TELEGRAM_LIMITS: Limits = { maxLength: 4096, maxEntities: 100 };

/** One block to pack, and the plain text put before it when it follows another block in a message. */
export interface Unit {
  runs: Run[];
  gap: string;
}

/** Splits runs at a UTF-16 offset of their concatenated text. */
function splitAt(runs: readonly Run[], offset: number): [Run[], Run[]] {
  const head: Run[] = [];
  const tail: Run[] = [];
  let pos = 0;
  for (const run of runs) {
    const end = pos + run.text.length;
    if (end <= offset) head.push(run);
    else if (pos >= offset) tail.push(run);
    else {
      head.push({ text: run.text.slice(0, offset - pos), marks: run.marks });
      tail.push({ text: run.text.slice(offset - pos), marks: run.marks });
    }
    pos = end;
  }
  return [head, tail];
}

/** Drops whitespace at both ends (Telegram trims it anyway) and empty runs. */
function trimRuns(runs: readonly Run[]): Run[] {
  const out = runs.filter((r) => r.text.length > 0).map((r) => ({ ...r }));
  while (out.length > 0 && (out[0] as Run).text.trimStart() === '') out.shift();
  while (out.length > 0 && (out[out.length - 1] as Run).text.trimEnd() === '') out.pop();
  if (out.length > 0) {
    const first = out[0] as Run;
    out[0] = { text: first.text.trimStart(), marks: first.marks };
    const last = out[out.length - 1] as Run;
    out[out.length - 1] = { text: last.text.trimEnd(), marks: last.marks };
  }
  return out;
}

/** The offset of the first run that would push the entity count past `max`. */
function entityBudgetOffset(runs: readonly Run[], max: number): number {
  let end = 0;
  for (const step of walkTags(runs)) {
    if (step.entities > max) return step.offset;
    end = step.offset + step.run.text.length;
  }
  return end;
}

const fits = (m: { length: number; entities: number }, limits: Limits) => m.length <= limits.maxLength && m.entities <= limits.maxEntities;

/** Cuts one oversized block into pieces that each fit. */
export function splitRuns(runs: readonly Run[], limits: Limits): Run[][] {
  const pieces: Run[][] = [];
  let rest = trimRuns(runs);
  while (rest.length > 0 && !fits(measure(rest), limits)) {
    const plain = rest.map((r) => r.text).join('');
    const budget = Math.max(1, Math.min(limits.maxLength, entityBudgetOffset(rest, limits.maxEntities)));
    const [head, tail] = splitAt(rest, findCut(plain, budget));
    const piece = trimRuns(head);
    if (piece.length > 0) pieces.push(piece);
    rest = trimRuns(tail);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Packs blocks greedily, in order, into messages. `alone` blocks (the digest header) get a
 * message of their own.
 */
export function packUnits(units: ReadonlyArray<Unit & { alone?: boolean }>, limits: Limits = TELEGRAM_LIMITS): Run[][] {
  const messages: Run[][] = [];
  let current: Run[] = [];
  let size = { length: 0, entities: 0 };
  const flush = () => {
    if (current.length > 0) messages.push(current);
    current = [];
    size = { length: 0, entities: 0 };
  };
  for (const unit of units) {
    const runs = trimRuns(unit.runs);
    if (runs.length === 0) continue;
    const m = measure(runs);
    if (unit.alone || !fits(m, limits)) {
      flush();
      const pieces = splitRuns(runs, limits);
      const last = pieces.pop();
      messages.push(...pieces);
      if (last) {
        current = last;
        size = measure(last);
      }
      if (unit.alone) flush();
      continue;
    }
    const joined = { length: size.length + unit.gap.length + m.length, entities: size.entities + m.entities };
    if (current.length > 0 && fits(joined, limits)) {
      current = [...current, { text: unit.gap, marks: [] }, ...runs];
      size = joined;
    } else {
      flush();
      current = runs;
      size = m;
    }
  }
  flush();
  return messages;
}
