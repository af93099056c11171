/** The export tool's PostgreSQL side: one `pg` Client, after the store has migrated the database. */
import pg from 'pg';
import { StoreError } from '../../errors.js';
import { openStore } from '../index.js';
import { redactor } from '../postgres/sql.js';
import type { TransferConnection } from './connection.js';
import { toFileValue, type Row, type TableSpec } from './format.js';

/** Rows fetched from a cursor at a time: the export never holds a whole table. */
const FETCH = 1000;

export class PostgresTransfer implements TransferConnection {
  readonly dialect = 'postgres' as const;
  readonly #client: pg.Client;
  readonly #redact: (text: string) => string;
  #cursors = 0;

  private constructor(
    readonly where: string,
    client: pg.Client,
    readonly schema: number,
    redact: (text: string) => string,
  ) {
    this.#client = client;
    this.#redact = redact;
  }

  /**
   * Migrates the database through the store (which holds the migration lock against instances
   * starting at the same moment), then connects. `shown` is the URL without its password.
   */
  static async open(url: string, shown: string): Promise<PostgresTransfer> {
    const store = await openStore({ databasePath: '', databaseUrl: url, databasePoolSize: 1 });
    let schema: number;
    try {
      schema = await store.schemaVersion();
    } finally {
      await store.close();
    }
    const redact = redactor(url);
    const client = new pg.Client({ connectionString: url });
    await guard(shown, 'connect', () => client.connect(), redact);
    return new PostgresTransfer(shown, client, schema, redact);
  }

  async beginRead(): Promise<void> {
    await this.#query('export', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async *rows(table: TableSpec): AsyncIterable<Row> {
    const cursor = `export_${++this.#cursors}`;
    const names = table.columns.map((c) => c.name);
    await this.#query('export', `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${names.join(', ')} FROM ${table.name} ORDER BY ${table.key.join(', ')}`);
    for (;;) {
      const { rows } = await this.#query('export', `FETCH ${FETCH} FROM ${cursor}`);
      for (const raw of rows as Array<Record<string, unknown>>) {
        const row: Row = {};
        for (const c of table.columns) row[c.name] = toFileValue(c, raw[c.name], table.name);
        yield row;
      }
      if (rows.length < FETCH) break;
    }
    await this.#query('export', `CLOSE ${cursor}`);
  }

  async beginWrite(): Promise<void> {
    await this.#query('import', 'BEGIN');
  }

  async count(table: TableSpec): Promise<number> {
    const { rows } = await this.#query('import', `SELECT COUNT(*) AS n FROM ${table.name}`, [], table.name);
    return Number((rows[0] as { n: string }).n);
  }

  async clear(tables: readonly TableSpec[]): Promise<void> {
    for (const t of tables) await this.#query('import', `DELETE FROM ${t.name}`, [], t.name);
  }

  async insert(table: TableSpec, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const width = table.columns.length;
    const values: unknown[] = [];
    const tuples = rows.map((row, r) => {
      // A flag goes in as 0/1: PostgreSQL reads '1' as true for a boolean column, and as 1 for an integer one.
      for (const c of table.columns) values.push(c.kind === 'bool' ? (row[c.name] ? 1 : 0) : row[c.name]);
      return `(${table.columns.map((_, i) => `$${r * width + i + 1}`).join(', ')})`;
    });
    const names = table.columns.map((c) => c.name).join(', ');
    // OVERRIDING SYSTEM VALUE keeps the file's ids even when `id` is GENERATED ALWAYS AS IDENTITY.
    await this.#query('import', `INSERT INTO ${table.name} (${names}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`, values, table.name);
  }

  async resetSequences(tables: readonly TableSpec[]): Promise<void> {
    for (const t of tables) {
      await this.#query(
        'import',
        `SELECT setval(s, COALESCE((SELECT MAX(id) FROM ${t.name}), 0) + 1, false) FROM pg_get_serial_sequence($1, 'id') AS s WHERE s IS NOT NULL`,
        [t.name],
        t.name,
      );
    }
  }

  async commit(): Promise<void> {
    await this.#query('import', 'COMMIT');
  }

  async rollback(): Promise<void> {
    await this.#client.query('ROLLBACK').catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }

  #query(op: string, sql: string, values: unknown[] = [], table?: string): Promise<pg.QueryResult> {
    return guard(this.where, op, () => this.#client.query(sql, values), this.#redact, table);
  }
}

/** Runs a `pg` call, turning its failure into a StoreError naming the operation and the table. */
async function guard<T>(where: string, op: string, fn: () => Promise<T>, redact: (text: string) => string, table?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err));
    const code = (err as { code?: unknown }).code;
    // No `cause`: the driver's error may carry the connection settings; the message is redacted, the code kept.
    throw new StoreError(`${op}: ${where}${table ? ` (${table})` : ''}: ${message}`, { op, table, code });
  }
}
