/**
 * Page references for "previous / next" buttons, platform-neutral. A reference becomes a short
 * string that fits the button data budget the platform gives (in UTF-8 bytes), 64 unless told:
 *
 *   pg:a:3              archive page 3
 *   pg:s:2:nerf         search "nerf", page 2 (the query inline when it fits)
 *   pg:k:2:Xq3f9ZtA     search page 2 of a query kept in memory under a random key
 *
 * Queries too long for the budget are kept in a bounded in-memory map with a TTL; after a restart or
 * once the TTL passed, `decode` returns null and the adapter answers "expired". Anything malformed
 * (forged, truncated, out of range) also decodes to null.
 */
import { randomBytes } from 'node:crypto';
import type { ParsedCommand, Reply } from './types.js';

/** Which listing a button pages through. */
export interface PageRef {
  kind: 'search' | 'archive';
  /** 1-based. */
  page: number;
  /** The search query; present exactly when `kind` is 'search'. */
  query?: string;
}

/** The data of a reply's two page buttons (null: no such button). Same shape as the renderers' `Pager`. */
export interface PagerButtons {
  prev: string | null;
  next: string | null;
}

/**
 * The budget of a button's data when the platform gives none, in UTF-8 bytes: small enough for every
 * platform newsbot knows. Each platform passes its own limit (adapters/<platform>/settings.ts).
 */
export const DEFAULT_BUTTON_BYTES = 64;

export const MAX_PAGE = 100_000;
const PREFIX = 'pg:';
const KEY = /^[A-Za-z0-9_-]{8,16}$/;

export interface PageCodecOptions {
  /** How long a stored query stays usable. Default 24 h. */
  ttlMs?: number;
  /** Most stored queries kept; the oldest go first. Default 5000. */
  maxEntries?: number;
  /** Injected clock (ms). */
  now?: () => number;
  /** Injected randomness: returns a fresh key of 8-16 characters of [A-Za-z0-9_-]. */
  randomKey?: () => string;
}

export interface PageCodec {
  /** Encodes a reference within `budgetBytes` (UTF-8), default DEFAULT_BUTTON_BYTES. */
  encode(ref: PageRef, budgetBytes?: number): string;
  /** The reference a button carried, or null when it is stale, forged or not ours. */
  decode(data: string): PageRef | null;
  /** True when `data` is a page reference of ours (stale or not): lets adapters route button presses. */
  owns(data: string): boolean;
  /** Prev/next button data for a search or archive reply; null for any other reply or a single page. */
  buttonsFor(reply: Reply, budgetBytes?: number): PagerButtons | null;
  /** Stored queries currently held (for tests and metrics). */
  size(): number;
}

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
// Control characters and lone surrogates would not survive a platform's UTF-8 round trip intact.
const hasControl = (s: string) => /[\p{Cc}\p{Cs}]/u.test(s);

function parsePage(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9]\d{0,5}$/.test(text)) return null;
  const page = Number(text);
  return page <= MAX_PAGE ? page : null;
}

/** Creates a codec; the app holds one so every adapter shares the stored queries. */
export function createPageCodec(options: PageCodecOptions = {}): PageCodec {
  const ttlMs = options.ttlMs ?? 24 * 3_600_000;
  const maxEntries = options.maxEntries ?? 5000;
  const now = options.now ?? Date.now;
  const randomKey = options.randomKey ?? (() => randomBytes(8).toString('base64url').slice(0, 10));
  const stored = new Map<string, { query: string; expires: number }>();
  const keyOfQuery = new Map<string, string>();

  const forget = (key: string) => {
    const entry = stored.get(key);
    stored.delete(key);
    if (entry && keyOfQuery.get(entry.query) === key) keyOfQuery.delete(entry.query);
  };
  const prune = () => {
    const t = now();
    // Map order is insertion order and every entry has the same TTL, so expired ones are in front.
    for (const [key, entry] of stored) {
      if (entry.expires > t && stored.size <= maxEntries) break;
      forget(key);
    }
  };
  const store = (query: string): string => {
    prune();
    const existing = keyOfQuery.get(query);
    if (existing !== undefined) {
      // Same key, fresh TTL, moved to the back: buttons already sent for this query keep working.
      stored.delete(existing);
      stored.set(existing, { query, expires: now() + ttlMs });
      return existing;
    }
    let key = randomKey();
    while (stored.has(key) || !KEY.test(key)) key = randomKey();
    stored.set(key, { query, expires: now() + ttlMs });
    keyOfQuery.set(query, key);
    prune();
    return key;
  };

  const codec: PageCodec = {
    encode(ref, budgetBytes = DEFAULT_BUTTON_BYTES) {
      const page = Math.min(Math.max(1, Math.trunc(ref.page)), MAX_PAGE);
      if (ref.kind === 'archive') return `${PREFIX}a:${page}`;
      const query = ref.query ?? '';
      const inline = `${PREFIX}s:${page}:${query}`;
      if (query !== '' && !hasControl(query) && byteLength(inline) <= budgetBytes) return inline;
      return `${PREFIX}k:${page}:${store(query)}`;
    },
    decode(data) {
      if (!data.startsWith(PREFIX)) return null;
      const [kind, pageText, ...rest] = data.slice(PREFIX.length).split(':');
      const page = parsePage(pageText);
      if (page === null) return null;
      if (kind === 'a') return rest.length === 0 ? { kind: 'archive', page } : null;
      const tail = rest.join(':');
      if (kind === 's') return tail !== '' && !hasControl(tail) ? { kind: 'search', page, query: tail } : null;
      if (kind !== 'k' || !KEY.test(tail)) return null;
      const entry = stored.get(tail);
      if (!entry) return null;
      if (entry.expires <= now()) {
        forget(tail);
        return null;
      }
      return { kind: 'search', page, query: entry.query };
    },
    owns: (data) => data.startsWith(PREFIX),
    buttonsFor(reply, budgetBytes) {
      if (reply.kind !== 'search' && reply.kind !== 'archive') return null;
      const { page, pageCount } = reply.view;
      if (pageCount <= 1) return null;
      const ref = (p: number): PageRef =>
        reply.kind === 'search' ? { kind: 'search', page: p, query: reply.view.query } : { kind: 'archive', page: p };
      return {
        prev: page > 1 ? codec.encode(ref(page - 1), budgetBytes) : null,
        next: page < pageCount ? codec.encode(ref(page + 1), budgetBytes) : null,
      };
    },
    size: () => stored.size,
  };
  return codec;
}

/**
 * The command a page button stands for: what the router runs when the button is pressed. The page
 * travels in `options`, apart from the query, so a query ending in a number ("ICCV 2021") is never
 * re-split into a shorter query and a page.
 */
export function commandForPage(ref: PageRef): ParsedCommand {
  const page = String(ref.page);
  if (ref.kind === 'archive') return { name: 'issues', args: [page], text: page, options: { page: ref.page } };
  const query = ref.query ?? '';
  return { name: 'search', args: query.split(/\s+/u).filter(Boolean), text: query, options: { query, page: ref.page } };
}
