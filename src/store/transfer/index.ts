/**
 * Moving subscriptions and delivery history between stores (`newsbot export` / `newsbot import`),
 * SQLite or PostgreSQL in either direction, through a dialect-neutral JSON Lines file (format.ts).
 */
import { existsSync } from 'node:fs';
import { StoreError } from '../../errors.js';
import type { StoreLocation } from '../index.js';
import type { TransferConnection } from './connection.js';
import { SqliteTransfer } from './sqlite.js';

export type { TransferConnection } from './connection.js';
export { exportStore } from './export.js';
export { storedSchemaVersion } from './peek.js';
export { importInto, type ImportOptions, type ImportResult } from './import.js';
export { TABLES, TABLE_NAMES, type Counts, type Header, type Row, type TableName, type TableSpec } from './format.js';

/** A database URL as it may be shown: without its password (in the authority or as a parameter). */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  // Not a URL (a libpq "key=value" string, a typo): nothing of it is shown rather than risk the password.
  if (!scheme) return '(a database connection string that is not a URL)';
  try {
    const parsed = new URL(url);
    parsed.password = '';
    for (const name of [...parsed.searchParams.keys()]) if (/pass/i.test(name)) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return `${scheme}://…`;
  }
}

/**
 * Opens the store `where` names for the export tool, migrating it as the bot would. With
 * `mustExist`, a SQLite file that is not there yet is an error rather than created empty.
 */
export async function openTransfer(where: StoreLocation, options: { mustExist?: boolean } = {}): Promise<TransferConnection> {
  if (where.databaseUrl) {
    const { PostgresTransfer } = await import('./postgres.js');
    return PostgresTransfer.open(where.databaseUrl, redactDatabaseUrl(where.databaseUrl));
  }
  if (options.mustExist && where.databasePath !== ':memory:' && !existsSync(where.databasePath)) {
    throw new StoreError(`there is no database at ${where.databasePath} (the bot creates it when it starts)`, { op: 'open', path: where.databasePath });
  }
  return SqliteTransfer.open(where.databasePath);
}
