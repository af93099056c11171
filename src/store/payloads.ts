/**
 * Rendered messages, stored once each (migration 3): a broadcast renders one issue once per
 * (platform, mode, language), so 10,000 chats share a handful of payloads. A stored payload is never
 * changed or deleted, so its parsed form is cached by id and shared, frozen, by every record.
 */
import type { OutboundMessage } from '../platform.js';
import { StoreError } from '../errors.js';
import { guard, type Db } from './db.js';

/** Parsed payloads kept; a broadcast needs parts × modes × languages of them. */
const CACHE_LIMIT = 256;

export class PayloadRepo {
  readonly #s;
  readonly #parsed = new Map<number, OutboundMessage>();

  constructor(db: Db) {
    this.#s = {
      insert: db.prepare<[string]>('INSERT OR IGNORE INTO payloads (body) VALUES (?)'),
      id: db.prepare<[string], { id: number }>('SELECT id FROM payloads WHERE body = ?'),
      body: db.prepare<[number], { body: string }>('SELECT body FROM payloads WHERE id = ?'),
    };
  }

  /**
   * Stores each message (an identical one already stored is reused) and returns their ids. Call in
   * the transaction that inserts the rows pointing at them.
   */
  save(messages: readonly OutboundMessage[]): number[] {
    return guard('payloads.save', () =>
      messages.map((message) => {
        const body = JSON.stringify(message);
        this.#s.insert.run(body);
        return (this.#s.id.get(body) as { id: number }).id;
      }),
    );
  }

  /** The message stored under `id` (parsed once, then shared: do not mutate it). */
  get(id: number): OutboundMessage {
    const cached = this.#parsed.get(id);
    if (cached) return cached;
    const row = guard('payloads.get', () => this.#s.body.get(id));
    if (!row) throw new StoreError(`store: payload ${id} is missing`, { op: 'payloads.get', id });
    const message = Object.freeze(JSON.parse(row.body) as OutboundMessage);
    if (this.#parsed.size >= CACHE_LIMIT) this.#parsed.clear();
    this.#parsed.set(id, message);
    return message;
  }
}
