/**
 * The store a bench runs on: SQLite in its temp folder (the default), or PostgreSQL when
 * `BENCH_DATABASE=postgres`: one throwaway server for the whole bench run (test/support/postgres.ts),
 * a fresh database for each store opened. `closeBenchDatabase()` stops the server at the end.
 */
import { openStore, type Store } from '../src/store/index.js';
import { startPostgres, type PgServer } from '../test/support/postgres.js';

export const BENCH_DATABASE: 'sqlite' | 'postgres' = process.env.BENCH_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

let server: Promise<PgServer> | null = null;

/** A fresh store: the SQLite file at `sqlitePath`, or a new database on the bench's PostgreSQL server. */
export async function openBenchStore(sqlitePath: string): Promise<Store> {
  if (BENCH_DATABASE === 'sqlite') return openStore({ databasePath: sqlitePath });
  server ??= startPostgres();
  const url = await (await server).createDatabase();
  return openStore({ databasePath: sqlitePath, databaseUrl: url, databasePoolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
}

/** Stops the bench's PostgreSQL server, if one was started. */
export async function closeBenchDatabase(): Promise<void> {
  const started = server;
  server = null;
  if (started) await (await started).destroy();
}
