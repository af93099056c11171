/** Opens the delivery store the bot uses (DATABASE_URL, else DATABASE_PATH; with .env), for read-only CLI listings. */
import { existsSync } from 'node:fs';
import { openStore, storeLocationOf, type Store } from '../../src/store/index.js';
import { loadAppConfig } from '../env.js';
import type { CliIo } from './io.js';

/**
 * The store, or null when the bot has not created its SQLite file yet (`path` says where it looked).
 * A PostgreSQL store (DATABASE_URL) is always opened: the server holds it.
 */
export async function openExistingStore(io: CliIo): Promise<{ store: Store | null; path: string }> {
  const where = storeLocationOf(loadAppConfig(io), false);
  const path = where.databasePath;
  return { store: where.databaseUrl || existsSync(path) ? await openStore(where) : null, path };
}

/** `read`'s answer; the store is closed after it, whether it answered or threw. */
export async function closing<T>(store: Store, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } finally {
    await store.close();
  }
}

/** Lays rows out in aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
