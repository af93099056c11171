/** Readers' choices on PostgreSQL: the SQL of ../readers.ts in PostgreSQL's dialect. */
import type { PlatformName } from '../../platform.js';
import type { Parts, Readers } from '../port.js';
import { FILTERED_OUT, FILTERED_PAYLOAD, toFollow, type Follow, type FollowRow, type SectionFilter } from '../readers.js';
import type { Sql } from './sql.js';

const CHAT = 'platform = $1 AND chat_id = $2';

interface FilterRow {
  platform: string;
  chat_id: string;
  kind: string;
  names: string;
  updated_by: string;
  updated_at: number;
}

const toFilter = (row: FilterRow): SectionFilter => ({
  kind: row.kind as SectionFilter['kind'],
  names: JSON.parse(row.names) as string[],
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

/** Filter lookups in one transaction after which all filters are read at once (see `sectionFilter`). */
const FILTERS_AT_ONCE_AFTER = 8;

export class PgReaders implements Readers {
  #lookups = 0;
  #filters: Map<string, FilterRow> | null = null;

  /** `inTransaction`: this handle serves one transaction body (see `sectionFilter`). */
  constructor(
    private readonly sql: Sql,
    private readonly parts: Pick<Parts, 'savePayloads'>,
    private readonly inTransaction = false,
  ) {}

  /**
   * Queueing a broadcast asks for every chat's filter in one transaction: a round trip each, which
   * on PostgreSQL cost more than the rest of the queueing. So a transaction that asks more than a
   * few times reads every filter at once (only chats that set one have a row) and answers the rest
   * from that, as of then; its own setSectionFilter drops the copy.
   */
  async sectionFilter(platform: PlatformName, chatId: string): Promise<SectionFilter | null> {
    if (this.inTransaction && !this.#filters && ++this.#lookups > FILTERS_AT_ONCE_AFTER) {
      const { rows } = await this.sql.query<FilterRow>('readers.sectionFilters', 'SELECT platform, chat_id, kind, names, updated_by, updated_at FROM chat_sections');
      this.#filters = new Map(rows.map((r) => [`${r.platform}\u0000${r.chat_id}`, r]));
    }
    if (this.#filters) {
      const row = this.#filters.get(`${platform}\u0000${chatId}`);
      return row ? toFilter(row) : null;
    }
    const { rows } = await this.sql.query<FilterRow>(
      'readers.sectionFilter',
      `SELECT platform, chat_id, kind, names, updated_by, updated_at FROM chat_sections WHERE ${CHAT}`,
      [platform, chatId],
    );
    return rows[0] ? toFilter(rows[0]) : null;
  }

  async setSectionFilter(platform: PlatformName, chatId: string, filter: Pick<SectionFilter, 'kind' | 'names'> | null, by: string, now: number): Promise<void> {
    this.#filters = null;
    this.#lookups = 0;
    if (filter === null) {
      await this.sql.query('readers.setSectionFilter', `DELETE FROM chat_sections WHERE ${CHAT}`, [platform, chatId]);
      return;
    }
    await this.sql.query(
      'readers.setSectionFilter',
      `INSERT INTO chat_sections (platform, chat_id, kind, names, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, chat_id) DO UPDATE SET kind = excluded.kind, names = excluded.names, updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
      [platform, chatId, filter.kind, JSON.stringify(filter.names), by, now],
    );
  }

  async follows(platform: PlatformName, chatId: string): Promise<Follow[]> {
    const { rows } = await this.sql.query<FollowRow>('readers.follows', `SELECT * FROM follows WHERE ${CHAT} ORDER BY id`, [platform, chatId]);
    return rows.map(toFollow);
  }

  async allFollows(): Promise<Follow[]> {
    const { rows } = await this.sql.query<FollowRow>('readers.allFollows', 'SELECT * FROM follows ORDER BY platform, chat_id, id');
    return rows.map(toFollow);
  }

  async addFollow(f: Omit<Follow, 'id' | 'createdAt'>, now: number): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      'readers.addFollow',
      `INSERT INTO follows (platform, chat_id, thread_id, query, language, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING`,
      [f.platform, f.chatId, f.threadId, f.query, f.language, f.createdBy, now],
    );
    return rowCount > 0;
  }

  async removeFollow(id: number): Promise<boolean> {
    const { rowCount } = await this.sql.query('readers.removeFollow', 'DELETE FROM follows WHERE id = $1', [id]);
    return rowCount > 0;
  }

  async alerted(platform: PlatformName, chatId: string, issueId: string): Promise<{ keys: Set<string>; lowestPart: number }> {
    const { rows } = await this.sql.query<{ item_key: string; part_index: number }>(
      'readers.alerted',
      `SELECT item_key, part_index FROM alerts WHERE ${CHAT} AND issue_id = $3`,
      [platform, chatId, issueId],
    );
    return { keys: new Set(rows.map((r) => r.item_key)), lowestPart: Math.min(0, ...rows.map((r) => r.part_index)) };
  }

  async recordAlert(platform: PlatformName, chatId: string, issueId: string, itemKeys: readonly string[], partIndex: number, now: number): Promise<void> {
    if (itemKeys.length === 0) return;
    await this.sql.query(
      'readers.recordAlert',
      `INSERT INTO alerts (platform, chat_id, issue_id, item_key, part_index, created_at)
       SELECT $1, $2, $3, k, $5, $6 FROM unnest($4::text[]) AS k ON CONFLICT DO NOTHING`,
      [platform, chatId, issueId, itemKeys, partIndex, now],
    );
  }

  async markFilteredOut(chat: { platform: PlatformName; chatId: string; threadId: string | null }, issueId: string, now: number): Promise<number> {
    const [payloadId] = await this.parts.savePayloads([FILTERED_PAYLOAD]);
    const { rowCount } = await this.sql.query(
      'readers.markFilteredOut',
      `INSERT INTO deliveries (platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id, status, attempts,
         next_attempt_at, last_error, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 0, 1, $5, 'skipped', 0, $6, $7, $6, $6) ON CONFLICT DO NOTHING`,
      [chat.platform, chat.chatId, chat.threadId, issueId, payloadId, now, FILTERED_OUT],
    );
    return rowCount;
  }

  async clearFilteredOut(platform: PlatformName, chatId: string, issueId: string): Promise<number> {
    const { rowCount } = await this.sql.query(
      'readers.clearFilteredOut',
      `DELETE FROM deliveries WHERE ${CHAT} AND issue_id = $3 AND status = 'skipped' AND last_error = $4`,
      [platform, chatId, issueId, FILTERED_OUT],
    );
    return rowCount;
  }
}
