/** Opens the SQLite file: folder, pragmas, migrations. Every SQLite failure becomes a `StoreError`. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NewsbotError, StoreError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Runs `fn`, turning a failure into a `StoreError` naming the operation. With `sqliteOnly`, only
 * SQLite's own errors are wrapped (for transactions whose body may throw other families).
 */
export function guard<T>(op: string, fn: () => T, context: Record<string, unknown> = {}, sqliteOnly = false): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NewsbotError) throw err;
    if (sqliteOnly && !(err instanceof Database.SqliteError)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof Database.SqliteError ? { code: err.code, unavailable: UNAVAILABLE.test(err.code) } : {};
    throw new StoreError(`store: ${op} failed: ${message}`, { op, ...code, ...context }, { cause: err });
  }
}

/**
 * SQLite's answers that say the database cannot take a write right now, not that the write is
 * wrong: another connection holds the lock, the disk or the file size cap is full, an I/O error,
 * the file became read-only. Waiting and trying the same write again is the remedy.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL|INTERRUPT)(_|$)/;

/**
 * True when `err` says the store is unavailable rather than the write wrong: a `StoreError` whose
 * store marked it so (`context.unavailable`, set by each store from its own error codes), or a raw
 * SQLite error with such a code.
 */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof StoreError && e.context.unavailable === true) return true;
    if (e instanceof Database.SqliteError) return UNAVAILABLE.test(e.code);
  }
  return false;
}

/**
 * Opens (creating folder and file when missing) and migrates the database.
 * WAL lets the CLI read while the bot writes; `synchronous = NORMAL` keeps every commit across a
 * process crash (kill -9), though an OS crash or power loss may lose the last few commits.
 */
export function openDatabase(path: string, options: { busyTimeoutMs?: number } = {}): Db {
  return guard('open', () => {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      migrate(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }, { path });
}

/** Applies the missing migration steps, each in its own transaction with its version bump. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(`store: database schema version ${current} is newer than this newsbot knows (${MIGRATIONS.length})`, {
      op: 'migrate',
    });
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version - 1] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}

/** The schema version of an open database. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
