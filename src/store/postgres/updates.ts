/** Chat updates already handled, on PostgreSQL (see ../updates.ts): one row per update, shared by every instance. */
import type { PlatformName } from '../../platform.js';
import type { Updates } from '../port.js';
import { UPDATE_MEMORY_MS, UPDATE_PRUNE_EVERY_MS } from '../updates.js';
import type { Sql } from './sql.js';

export class PgUpdates implements Updates {
  readonly #sql: Sql;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async firstHandling(platform: PlatformName, key: string, now: number): Promise<boolean> {
    const { rowCount } = await this.#sql.query(
      'firstHandling',
      'INSERT INTO handled_updates (platform, update_key, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [platform, key, now],
    );
    if (now - this.#prunedAt >= UPDATE_PRUNE_EVERY_MS) {
      this.#prunedAt = now;
      // The update is recorded already: a failed prune only waits for the next call to try again.
      await this.#sql.query('pruneUpdates', 'DELETE FROM handled_updates WHERE handled_at < $1', [now - UPDATE_MEMORY_MS]).catch(() => {
        this.#prunedAt = Number.NEGATIVE_INFINITY;
      });
    }
    return rowCount === 1;
  }
}
