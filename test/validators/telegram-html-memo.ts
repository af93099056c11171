/**
 * A bounded memo of `parseTelegramHtml`, for the fake Bot API: a broadcast sends the same few texts
 * thousands of times, and parsing is a pure function of the text, so each distinct text is parsed
 * once while it stays among the `capacity` most recently used. Nothing else about a request is
 * memoized: its other parameters are checked every time.
 */
import { parseTelegramHtml, type ParsedTelegramHtml } from './telegram-html-parse.js';

/** A parse result from the memo, frozen with its errors array (it is shared), plus the memo's copy of the text. */
export interface MemoizedTelegramHtml extends Readonly<ParsedTelegramHtml> {
  /** The parsed text; every hit returns this same string, so callers can keep it instead of their copy. */
  readonly html: string;
}

export class TelegramHtmlMemo {
  private readonly entries = new Map<string, MemoizedTelegramHtml>();
  /** Texts parsed (misses), for tests and profiling. */
  parses = 0;

  constructor(readonly capacity = 256) {
    if (!(capacity >= 1)) throw new RangeError('TelegramHtmlMemo capacity must be at least 1');
  }

  /** `parseTelegramHtml(html)`, from the memo when this exact text was parsed recently. */
  parse(html: string): MemoizedTelegramHtml {
    const hit = this.entries.get(html);
    if (hit) {
      // Least recently used goes first: a hit moves to the end of the Map's insertion order.
      this.entries.delete(html);
      this.entries.set(html, hit);
      return hit;
    }
    this.parses += 1;
    const parsed = parseTelegramHtml(html);
    Object.freeze(parsed.errors);
    const entry: MemoizedTelegramHtml = Object.freeze({ ...parsed, html });
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(html, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
