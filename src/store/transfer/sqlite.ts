/** The export tool's SQLite side: better-sqlite3 on the store's file. */
import type { Statement } from 'better-sqlite3';
import { guard, openDatabase, schemaVersion, type Db } from '../db.js';
import type { TransferConnection } from './connection.js';
import { toFileValue, type Row, type TableSpec } from './format.js';

export class SqliteTransfer implements TransferConnection {
  readonly dialect = 'sqlite' as const;
  readonly schema: number;
  readonly #db: Db;
  readonly #inserts = new Map<string, Statement>();

  private constructor(
    readonly where: string,
    db: Db,
  ) {
    this.#db = db;
    this.schema = schemaVersion(db);
  }

  /** Opens (creating and migrating, as the bot would) the SQLite file at `path`. */
  static open(path: string): SqliteTransfer {
    return new SqliteTransfer(path, openDatabase(path));
  }

  async beginRead(): Promise<void> {
    // A deferred transaction's first read fixes the snapshot (WAL: the bot may keep writing).
    guard('export', () => this.#db.exec('BEGIN DEFERRED'));
  }

  async *rows(table: TableSpec): AsyncIterable<Row> {
    const names = table.columns.map((c) => c.name);
    const select = this.#db.prepare(`SELECT ${names.join(', ')} FROM ${table.name} ORDER BY ${table.key.join(', ')}`);
    // iterate() steps the statement one row at a time: the table never sits in memory.
    for (const raw of select.iterate() as Iterable<Record<string, unknown>>) {
      const row: Row = {};
      for (const c of table.columns) row[c.name] = toFileValue(c, raw[c.name], table.name);
      yield row;
    }
  }

  async beginWrite(): Promise<void> {
    guard('import', () => this.#db.exec('BEGIN IMMEDIATE'));
  }

  async count(table: TableSpec): Promise<number> {
    return guard('import', () => (this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table.name}`).get() as { n: number }).n);
  }

  async clear(tables: readonly TableSpec[]): Promise<void> {
    guard('import', () => {
      for (const t of tables) this.#db.exec(`DELETE FROM ${t.name}`);
    });
  }

  async insert(table: TableSpec, rows: readonly Row[]): Promise<void> {
    const insert = this.#insertOf(table);
    guard('import', () => {
      for (const row of rows) insert.run(table.columns.map((c) => (c.kind === 'bool' ? (row[c.name] ? 1 : 0) : row[c.name])));
    }, { table: table.name });
  }

  /** SQLite gives an INTEGER PRIMARY KEY the largest id + 1 by itself. */
  async resetSequences(): Promise<void> {}

  async commit(): Promise<void> {
    guard('import', () => this.#db.exec('COMMIT'));
  }

  async rollback(): Promise<void> {
    if (this.#db.inTransaction) guard('import', () => this.#db.exec('ROLLBACK'));
  }

  async close(): Promise<void> {
    await this.rollback();
    guard('close', () => this.#db.close());
  }

  #insertOf(table: TableSpec): Statement {
    let statement = this.#inserts.get(table.name);
    if (!statement) {
      const names = table.columns.map((c) => c.name);
      statement = this.#db.prepare(`INSERT INTO ${table.name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      this.#inserts.set(table.name, statement);
    }
    return statement;
  }
}
