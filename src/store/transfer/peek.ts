/** A store's schema version read without migrating it, so `newsbot migrate` can say what it changed. */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { StoreLocation } from '../index.js';

/**
 * The version the store is at now: 0 for a PostgreSQL database with no newsbot tables yet, null
 * when there is no SQLite file yet, undefined when it cannot be told (unreachable: opening the
 * store then says why).
 */
export async function storedSchemaVersion(where: StoreLocation): Promise<number | null | undefined> {
  if (where.databaseUrl) return postgresVersion(where.databaseUrl);
  if (where.databasePath === ':memory:') return null;
  if (!existsSync(where.databasePath)) return null;
  try {
    const db = new Database(where.databasePath, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

async function postgresVersion(url: string): Promise<number | undefined> {
  // Loaded only when asked for, as the store does: SQLite users never load pg.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
    if (!rows[0]?.exists) return 0;
    const version = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    return version.rows[0]?.v ?? 0;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
