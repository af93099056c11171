/**
 * Chat updates already handled (SQLite): a platform's update delivered again (Telegram re-sends the
 * last unconfirmed `getUpdates` batch after a crash, and a webhook update that got no 2xx, maybe to
 * another instance) is recognised by its key and not answered twice.
 */
import type { PlatformName } from '../platform.js';
import { guard, type Db } from './db.js';

/** How long a handled update is remembered: Telegram keeps an undelivered update 24 h; twice that. */
export const UPDATE_MEMORY_MS = 48 * 3600_000;
/** At most one prune per this long, per connection: the delete is cheap but needs no doing per update. */
export const UPDATE_PRUNE_EVERY_MS = 5 * 60_000;

export class UpdateRepo {
  readonly #insert;
  readonly #prune;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, number]>(
      'INSERT INTO handled_updates (platform, update_key, handled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#prune = db.prepare<[number]>('DELETE FROM handled_updates WHERE handled_at < ?');
  }

  /** Records update `key` as handled at `now`; true only for the first call with this key. */
  firstHandling(platform: PlatformName, key: string, now: number): boolean {
    const first = guard('firstHandling', () => this.#insert.run(platform, key, now).changes === 1, { platform });
    if (now - this.#prunedAt >= UPDATE_PRUNE_EVERY_MS) {
      this.#prunedAt = now;
      guard('pruneUpdates', () => this.#prune.run(now - UPDATE_MEMORY_MS));
    }
    return first;
  }
}
