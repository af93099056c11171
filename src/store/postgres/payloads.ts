/** Rendered messages on PostgreSQL, stored once each (see ../payloads.ts); parsed ones cached by id. */
import type { OutboundMessage } from '../../platform.js';
import { StoreError } from '../../errors.js';
import type { Sql } from './sql.js';

/** Parsed payloads kept; a broadcast needs parts × modes × languages of them. */
const CACHE_LIMIT = 256;

/** Shared by every handle of one store: a stored payload never changes, and ids are never reused. */
export type PayloadCache = Map<number, OutboundMessage>;

export class PgPayloads {
  constructor(
    private readonly sql: Sql,
    private readonly cache: PayloadCache,
  ) {}

  /** Stores each message (an identical one already stored is reused) and returns their ids. */
  async save(messages: readonly OutboundMessage[]): Promise<number[]> {
    const ids: number[] = [];
    for (const message of messages) {
      const body = JSON.stringify(message);
      const inserted = await this.sql.query<{ id: number }>(
        'payloads.save',
        'INSERT INTO payloads (body) VALUES ($1) ON CONFLICT ((md5(body))) DO NOTHING RETURNING id',
        [body],
      );
      // Already stored (by us, or by another instance committing just now): look it up.
      const row = inserted.rows[0] ?? (await this.sql.query<{ id: number }>('payloads.id', 'SELECT id FROM payloads WHERE md5(body) = md5($1)', [body])).rows[0];
      if (!row) throw new StoreError('store: payload neither inserted nor found', { op: 'payloads.save' });
      ids.push(row.id);
    }
    return ids;
  }

  /** The messages stored under `ids` (parsed once, then shared: do not mutate them). */
  async get(ids: readonly number[]): Promise<Map<number, OutboundMessage>> {
    const out = new Map<number, OutboundMessage>();
    const missing = [...new Set(ids)].filter((id) => {
      const cached = this.cache.get(id);
      if (cached) out.set(id, cached);
      return !cached;
    });
    if (missing.length === 0) return out;
    const { rows } = await this.sql.query<{ id: number; body: string }>('payloads.get', 'SELECT id, body FROM payloads WHERE id = ANY($1::bigint[])', [missing]);
    for (const row of rows) {
      const message = Object.freeze(JSON.parse(row.body) as OutboundMessage);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(row.id, message);
      out.set(row.id, message);
    }
    for (const id of missing) if (!out.has(id)) throw new StoreError(`store: payload ${id} is missing`, { op: 'payloads.get', id });
    return out;
  }
}
