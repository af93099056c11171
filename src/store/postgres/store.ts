/**
 * The PostgreSQL store (`DATABASE_URL`): one or many instances on one database. A pool of
 * connections (`DATABASE_POOL_SIZE`, default 10); migrations applied at open under an advisory lock;
 * the repositories of this folder, on the pool for single calls and on one pooled connection for a
 * transaction (BEGIN … COMMIT, savepoints for nested ones).
 */
import type pg from 'pg';
import type { OutboundMessage } from '../../platform.js';
import type { Cluster, OpsQueries, Parts, Readers, Store, StoreTx, Subscriptions, TransactionOptions, Updates } from '../port.js';
import { PgCluster, HEARTBEAT_MS } from './cluster.js';
import { migratePg } from './migrations.js';
import { PgOpsQueries } from './ops-queries.js';
import { PgParts } from './parts.js';
import { QueueStats } from './queue-stats.js';
import { PgReaders } from './readers.js';
import { Savepoints } from './savepoints.js';
import { createPool, redactor, sqlOn, storeError, type Sql } from './sql.js';
import { PgSubscriptions } from './subscriptions.js';
import { PgUpdates } from './updates.js';

/** How to reach the database. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  url: string;
  /** Pooled connections (DATABASE_POOL_SIZE), default 10. Each role a cluster member leads takes one more. */
  poolSize?: number | undefined;
  /** False: a one-off tool (the CLI), not a bot instance: it neither heartbeats nor shows on the member list. Default true. */
  member?: boolean | undefined;
}

/** The repositories on one `Sql` (the pool, or a transaction's connection). */
function handles(sql: Sql, cache: Map<number, OutboundMessage>, stats: QueueStats, inTransaction: boolean): { subscriptions: Subscriptions; parts: Parts; readers: Readers } {
  const parts = new PgParts(sql, cache, stats);
  return { subscriptions: new PgSubscriptions(sql), parts, readers: new PgReaders(sql, parts, inTransaction) };
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly subscriptions: Subscriptions;
  readonly parts: Parts;
  readonly readers: Readers;
  readonly ops: OpsQueries;
  readonly updates: Updates;
  readonly #pool: pg.Pool;
  readonly #sql: Sql;
  readonly #redact: (text: string) => string;
  readonly #cache = new Map<number, OutboundMessage>();
  readonly #stats = new QueueStats();
  readonly #cluster: PgCluster;
  readonly #heartbeat: NodeJS.Timeout;
  #open = true;

  private constructor(pool: pg.Pool, url: string, redact: (text: string) => string, member: boolean) {
    this.#pool = pool;
    this.#redact = redact;
    this.#sql = sqlOn(pool, redact);
    const repos = handles(this.#sql, this.#cache, this.#stats, false);
    this.subscriptions = repos.subscriptions;
    this.parts = repos.parts;
    this.readers = repos.readers;
    this.ops = new PgOpsQueries(this.#sql);
    this.updates = new PgUpdates(this.#sql);
    this.#cluster = new PgCluster(url, this.#sql, redact);
    // A missed beat is retried by the next one; the member list tolerates a few.
    this.#heartbeat = setInterval(() => void this.#cluster.beat().catch(() => undefined), HEARTBEAT_MS);
    this.#heartbeat.unref();
    if (!member) clearInterval(this.#heartbeat);
  }

  /** Connects, migrates (waiting for another instance migrating the same database) and joins the cluster. */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const redact = redactor(options.url);
    let pool: pg.Pool;
    try {
      pool = createPool(options.url, Math.max(1, Math.trunc(options.poolSize ?? 10)));
    } catch (err) {
      throw storeError('open', err, redact);
    }
    try {
      await migratePg(pool, redact);
      const member = options.member ?? true;
      const store = new PostgresStore(pool, options.url, redact, member);
      if (member) await store.#cluster.beat();
      return store;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  get cluster(): Cluster {
    return this.#cluster;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.#sql.query<{ v: number | null }>('schemaVersion', 'SELECT MAX(version) AS v FROM schema_migrations');
    return rows[0]?.v ?? 0;
  }

  /**
   * One transaction on one pooled connection. `wait` is not needed here: PostgreSQL locks rows, not
   * the database, so a transaction waits only for another writing the same rows, and waiting does not
   * block the event loop as SQLite's busy wait does. Deadlocks and lock timeouts come back as
   * unavailable `StoreError`s.
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>, _options: TransactionOptions = {}): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw storeError('transaction', err, this.#redact);
    }
    const sql = sqlOn(client, this.#redact);
    let broken: Error | undefined;
    try {
      await sql.query('transaction', 'BEGIN');
      let value: T;
      try {
        value = await fn(this.#tx(sql));
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      }
      await sql.query('transaction', 'COMMIT');
      return value;
    } catch (err) {
      broken ??= (err as { context?: { unavailable?: boolean } }).context?.unavailable ? (err as Error) : undefined;
      throw err;
    } finally {
      // A connection that failed is destroyed, not handed to the next caller.
      client.release(broken);
    }
  }

  #tx(sql: Sql): StoreTx {
    const savepoints = new Savepoints(sql);
    const tx: StoreTx = {
      ...handles(savepoints.sql, this.#cache, this.#stats, true),
      transaction: async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
        const name = savepoints.open();
        let value: T;
        try {
          value = await fn(tx);
        } catch (err) {
          await savepoints.rollback(name);
          throw err;
        }
        savepoints.release(name);
        return value;
      },
    };
    return tx;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#heartbeat);
    await this.#cluster.close();
    await this.#pool.end();
  }
}
