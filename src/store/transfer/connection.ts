/**
 * What the export tool needs of one store, on a connection of its own: read every table in one
 * snapshot, or write them all in one transaction. One small implementation per dialect
 * (`sqlite.ts`, `postgres.ts`), so the file format and its checks (`export.ts`, `import.ts`) are
 * written once.
 */
import type { Row, TableSpec } from './format.js';

export interface TransferConnection {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the store is, for messages: a file path, or a database URL without its password. */
  readonly where: string;
  /** The store's schema version (the store is migrated when the connection opens). */
  readonly schema: number;
  /** Starts a read-only snapshot: every `rows` call after it sees the same moment. */
  beginRead(): Promise<void>;
  /** A table's rows in key order, in the file's form, fetched a batch at a time. */
  rows(table: TableSpec): AsyncIterable<Row>;
  /** Starts the one write transaction of an import. */
  beginWrite(): Promise<void>;
  count(table: TableSpec): Promise<number>;
  /** Deletes every row of `tables`, in the order given (children first). */
  clear(tables: readonly TableSpec[]): Promise<void>;
  /** Inserts rows in the file's form, keeping their ids. */
  insert(table: TableSpec, rows: readonly Row[]): Promise<void>;
  /** Moves id sequences past the imported ids, so the next row the bot inserts gets a fresh one. */
  resetSequences(tables: readonly TableSpec[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}
