/** Writes a store's subscriptions and delivery history as an export file (format.ts). */
import type { TransferConnection } from './connection.js';
import { FORMAT, TABLES, zeroCounts, type Counts, type Header, type Trailer } from './format.js';

/**
 * Writes the header, every table's rows from one snapshot, and the trailer, one line per `write`
 * (which should wait while its stream is full: the rows are fetched as they are written).
 */
export async function exportStore(from: TransferConnection, write: (line: string) => Promise<void>, now: Date): Promise<Counts> {
  const counts = zeroCounts();
  await from.beginRead();
  try {
    const header: Header = { format: FORMAT, schema: from.schema, dialect: from.dialect, exportedAt: now.toISOString() };
    await write(JSON.stringify(header));
    for (const table of TABLES) {
      for await (const row of from.rows(table)) {
        await write(JSON.stringify({ table: table.name, row }));
        counts[table.name]++;
      }
    }
    const trailer: Trailer = { trailer: FORMAT, counts };
    await write(JSON.stringify(trailer));
  } finally {
    await from.rollback();
  }
  return counts;
}
