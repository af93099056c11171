/**
 * Keeps PostgreSQL's statistics of `deliveries` in step with a queue that grows fast. A broadcast
 * queues tens of thousands of parts in one transaction; until the table is analyzed, the planner
 * believes it nearly empty (its partial indexes look equally cheap for "this chat's unsent parts"),
 * and picked the due index, scanning the platform's whole queue for each chat: measured at 9,000
 * queued parts, 1.5-4.8 ms per lookup instead of 0.05, so queueing and sending grew quadratically.
 * Autovacuum fixes that only after the commit, within a minute or so. So the store analyzes the
 * table itself each time its own inserts grew it by half (at least 1,000 rows), inside the inserting
 * transaction, whose uncommitted rows ANALYZE counts.
 */
import type { Sql } from './sql.js';

const MIN_ROWS = 1_000;

export class QueueStats {
  #inserted = 0;
  #rowsAtAnalyze = 0;

  /** After `rows` new parts were inserted on `sql`: analyzes when they grew the table by half. */
  async grew(sql: Sql, rows: number): Promise<void> {
    this.#inserted += rows;
    if (this.#inserted < Math.max(MIN_ROWS, this.#rowsAtAnalyze / 2)) return;
    this.#inserted = 0;
    // SKIP_LOCKED: another instance (or autovacuum) analyzing it now is as good.
    await sql.query('deliveries.analyze', 'ANALYZE (SKIP_LOCKED) deliveries');
    const { rows: found } = await sql.query<{ n: number }>('deliveries.analyze', `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'deliveries'::regclass`);
    this.#rowsAtAnalyze = Math.max(0, found[0]?.n ?? 0);
  }
}
