/** `newsbot migrate`: brings the configured store to this newsbot's schema and says which version it is at. */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStore, type StoreLocation } from '../../src/store/index.js';
import { redactDatabaseUrl } from '../../src/store/transfer/index.js';
import { println, type CliCommand } from './io.js';
import { storeLocation } from './store-location.js';

export const command: CliCommand = {
  summary: 'Create or migrate the store (DATABASE_URL or DATABASE_PATH) and print its schema version',
  usage:
    'newsbot migrate\n\n' +
    'Opens the store the bot would (PostgreSQL at DATABASE_URL when set, else the SQLite file at DATABASE_PATH),\n' +
    'applies the migrations it lacks, and prints its dialect and schema version. The bot migrates at start too;\n' +
    'run this first when several instances share one PostgreSQL database, or to check a database by hand.',
  async run(argv, io) {
    parseArgs({ args: argv, options: {}, strict: true });
    const where = storeLocation(io);
    const before = sqliteVersionBefore(where);
    const store = await openStore(where);
    try {
      const version = await store.schemaVersion();
      const shown = where.databaseUrl ? redactDatabaseUrl(where.databaseUrl) : where.databasePath;
      const change = before === null ? 'created' : before === undefined || before === version ? 'up to date' : `migrated from ${before}`;
      println(io.stdout, `${store.dialect} ${shown}: schema version ${version} (${change})`);
    } finally {
      await store.close();
    }
    return 0;
  },
};

/**
 * The SQLite file's version before migrating: null when there is no file yet, undefined when it
 * cannot be told (PostgreSQL: its store migrates under a lock as it opens).
 */
function sqliteVersionBefore(where: StoreLocation): number | null | undefined {
  if (where.databaseUrl || where.databasePath === ':memory:') return undefined;
  if (!existsSync(where.databasePath)) return null;
  const db = new Database(where.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}
