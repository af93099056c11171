/**
 * What readers chose (migration 4): a chat's section filter, its saved searches, and the items it
 * was alerted to. The alert rows themselves are outbox parts (`deliveries`); `alerts` only records
 * which item went into which, so each item alerts a chat once.
 */
import type { Language } from '../i18n/language.js';
import type { OutboundMessage, PlatformName } from '../platform.js';
import { guard, type Db } from './db.js';
import type { PartRepo } from './parts.js';

/** `only`: keep just these sections; `skip`: drop them. Names are folded section titles. */
export interface SectionFilter {
  kind: 'only' | 'skip';
  names: string[];
  updatedBy: string;
  updatedAt: number;
}

/** One saved search of a chat. */
export interface Follow {
  id: number;
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
  query: string;
  language: Language;
  createdBy: string;
  createdAt: number;
}

/** A follow row as either store returns it. */
export interface FollowRow {
  id: number;
  platform: string;
  chat_id: string;
  thread_id: string | null;
  query: string;
  language: string;
  created_by: string;
  created_at: number;
}

/** A follow from its row (shared by both stores). */
export const toFollow = (r: FollowRow): Follow => ({
  id: r.id,
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  threadId: r.thread_id,
  query: r.query,
  language: r.language as Language,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Why an issue's row says skipped when a chat's filter left nothing of it. */
export const FILTERED_OUT = 'section filter: nothing left';
/** The stored stand-in for a part that is never sent (a filtered-out issue still needs a row). */
export const FILTERED_PAYLOAD: OutboundMessage = { filteredOut: true };
const CHAT = 'platform = @platform AND chat_id = @chatId';

export class ReaderRepo {
  readonly #s;
  readonly #deliveries: PartRepo;

  constructor(db: Db, deliveries: PartRepo) {
    this.#deliveries = deliveries;
    this.#s = {
      getFilter: db.prepare<{ platform: string; chatId: string }, { kind: string; names: string; updated_by: string; updated_at: number }>(
        `SELECT kind, names, updated_by, updated_at FROM chat_sections WHERE ${CHAT}`,
      ),
      setFilter: db.prepare(
        `INSERT INTO chat_sections (platform, chat_id, kind, names, updated_by, updated_at) VALUES (@platform, @chatId, @kind, @names, @by, @now)
         ON CONFLICT (platform, chat_id) DO UPDATE SET kind = excluded.kind, names = excluded.names, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
      ),
      clearFilter: db.prepare<{ platform: string; chatId: string }>(`DELETE FROM chat_sections WHERE ${CHAT}`),
      follows: db.prepare<{ platform: string; chatId: string }, FollowRow>(`SELECT * FROM follows WHERE ${CHAT} ORDER BY id`),
      allFollows: db.prepare<[], FollowRow>('SELECT * FROM follows ORDER BY platform, chat_id, id'),
      addFollow: db.prepare(
        `INSERT OR IGNORE INTO follows (platform, chat_id, thread_id, query, language, created_by, created_at)
         VALUES (@platform, @chatId, @threadId, @query, @language, @by, @now)`,
      ),
      removeFollow: db.prepare<{ id: number }>('DELETE FROM follows WHERE id = @id'),
      alerted: db.prepare<{ platform: string; chatId: string; issueId: string }, { item_key: string; part_index: number }>(
        `SELECT item_key, part_index FROM alerts WHERE ${CHAT} AND issue_id = @issueId`,
      ),
      addAlert: db.prepare(
        `INSERT OR IGNORE INTO alerts (platform, chat_id, issue_id, item_key, part_index, created_at)
         VALUES (@platform, @chatId, @issueId, @itemKey, @partIndex, @now)`,
      ),
      filteredOut: db.prepare(
        `INSERT OR IGNORE INTO deliveries (platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id, status, attempts,
           next_attempt_at, last_error, created_at, updated_at)
         VALUES (@platform, @chatId, @threadId, @issueId, 0, 1, @payloadId, 'skipped', 0, @now, @reason, @now, @now)`,
      ),
      clearFilteredOut: db.prepare(
        `DELETE FROM deliveries WHERE ${CHAT} AND issue_id = @issueId AND status = 'skipped' AND last_error = @reason`,
      ),
    };
  }

  /** The chat's section filter, or null for every section. */
  sectionFilter(platform: PlatformName, chatId: string): SectionFilter | null {
    const row = guard('readers.sectionFilter', () => this.#s.getFilter.get({ platform, chatId }));
    if (!row) return null;
    return { kind: row.kind as SectionFilter['kind'], names: JSON.parse(row.names) as string[], updatedBy: row.updated_by, updatedAt: row.updated_at };
  }

  /** Sets the chat's filter; null (every section) removes it. */
  setSectionFilter(platform: PlatformName, chatId: string, filter: Pick<SectionFilter, 'kind' | 'names'> | null, by: string, now: number): void {
    guard('readers.setSectionFilter', () => {
      if (filter === null) this.#s.clearFilter.run({ platform, chatId });
      else this.#s.setFilter.run({ platform, chatId, kind: filter.kind, names: JSON.stringify(filter.names), by, now });
    });
  }

  follows(platform: PlatformName, chatId: string): Follow[] {
    return guard('readers.follows', () => this.#s.follows.all({ platform, chatId }).map(toFollow));
  }

  /** Every saved search of every chat, grouped by chat. */
  allFollows(): Follow[] {
    return guard('readers.allFollows', () => this.#s.allFollows.all().map(toFollow));
  }

  /** Saves a search; false when the chat already has the same one. */
  addFollow(f: Omit<Follow, 'id' | 'createdAt'>, now: number): boolean {
    return guard('readers.addFollow', () => this.#s.addFollow.run({ ...f, by: f.createdBy, now }).changes > 0);
  }

  removeFollow(id: number): boolean {
    return guard('readers.removeFollow', () => this.#s.removeFollow.run({ id }).changes > 0);
  }

  /** The item keys of `issueId` already alerted to the chat, and the lowest part index used (0 when none). */
  alerted(platform: PlatformName, chatId: string, issueId: string): { keys: Set<string>; lowestPart: number } {
    return guard('readers.alerted', () => {
      const rows = this.#s.alerted.all({ platform, chatId, issueId });
      return { keys: new Set(rows.map((r) => r.item_key)), lowestPart: Math.min(0, ...rows.map((r) => r.part_index)) };
    });
  }

  /** Records that these items went into the alert starting at `partIndex`. Call in the transaction that queues it. */
  recordAlert(platform: PlatformName, chatId: string, issueId: string, itemKeys: readonly string[], partIndex: number, now: number): void {
    guard('readers.recordAlert', () => {
      for (const itemKey of itemKeys) this.#s.addAlert.run({ platform, chatId, issueId, itemKey, partIndex, now });
    });
  }

  /** Records that the chat's filter left nothing of an issue: one skipped row, shown by /status, never sent. */
  markFilteredOut(chat: { platform: PlatformName; chatId: string; threadId: string | null }, issueId: string, now: number): number {
    return guard('readers.markFilteredOut', () => {
      const [payloadId] = this.#deliveries.savePayloads([FILTERED_PAYLOAD]);
      return this.#s.filteredOut.run({ ...chat, issueId, payloadId, reason: FILTERED_OUT, now }).changes;
    });
  }

  /** Removes that skipped row (an explicit resend after the filter changed). */
  clearFilteredOut(platform: PlatformName, chatId: string, issueId: string): number {
    return guard('readers.clearFilteredOut', () => this.#s.clearFilteredOut.run({ platform, chatId, issueId, reason: FILTERED_OUT }).changes);
  }
}
