/**
 * The SQLite file behind `SqliteStore`: synchronous typed repositories (better-sqlite3), migrations
 * applied at open. Only `sqlite-store.ts`, the SQLite tests and the export tool use it directly.
 */
import { guard, openDatabase, schemaVersion, type Db } from './db.js';
import { PartRepo } from './parts.js';
import { ReaderRepo } from './readers.js';
import { OpsQueryRepo } from './ops-queries.js';
import { SubscriptionRepo } from './subscriptions.js';
import type { TransactionOptions } from './port.js';
import { UpdateRepo } from './updates.js';


export class SqliteRepos {
  readonly subscriptions: SubscriptionRepo;
  readonly parts: PartRepo;
  /** Section filters, saved searches and the items alerted. */
  readonly readers: ReaderRepo;
  /** Read-only questions of the operator's side (metrics, status page, alerts). */
  readonly ops: OpsQueryRepo;
  /** Updates already handled. */
  readonly updates: UpdateRepo;
  readonly #db: Db;
  /** One transaction wrapper for every call (building one per call cost more than the work it wrapped). */
  readonly #tx: { immediate: <T>(fn: () => T) => T };
  /**
   * Switch the busy wait off and back on around a transaction that must not wait. `exec`, not a
   * prepared statement: SQLite applies this pragma while preparing it, so re-running a prepared one
   * does not reliably set it again. About 5 µs for the pair, against ~80 µs for a commit.
   */
  readonly #busy: { off: string; on: string };

  private constructor(db: Db) {
    this.#db = db;
    this.#tx = db.transaction(<T>(fn: () => T): T => fn()) as unknown as { immediate: <T>(fn: () => T) => T };
    const timeout = Math.trunc(Number(db.pragma('busy_timeout', { simple: true })));
    this.#busy = { off: 'PRAGMA busy_timeout = 0', on: `PRAGMA busy_timeout = ${timeout}` };
    this.subscriptions = new SubscriptionRepo(db);
    this.parts = new PartRepo(db);
    this.readers = new ReaderRepo(db, this.parts);
    this.ops = new OpsQueryRepo(db);
    this.updates = new UpdateRepo(db);
  }

  /** Opens `path` (`DATABASE_PATH`, default `./data/newsbot.db`), creating its folder, and migrates it. */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): SqliteRepos {
    return new SqliteRepos(openDatabase(path, options));
  }

  /**
   * A store on a database already opened and migrated by `openDatabase`, for a caller that sets a
   * per-connection pragma first (tests cap the file with `max_page_count` to fill the "disk").
   */
  static of(db: Db): SqliteRepos {
    return new SqliteRepos(db);
  }

  get schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  /**
   * Opens an IMMEDIATE transaction by hand: better-sqlite3's own wrapper cannot span an `await`, and
   * `SqliteStore` serialises its transactions itself. With `wait: false`, a write lock held by another
   * connection fails at once (SQLITE_BUSY) instead of blocking the event loop in SQLite's busy wait.
   */
  begin(options: TransactionOptions = {}): void {
    guard('transaction', () => {
      if (options.wait !== false) return this.#db.exec('BEGIN IMMEDIATE');
      this.#db.exec(this.#busy.off);
      try {
        this.#db.exec('BEGIN IMMEDIATE');
      } finally {
        this.#db.exec(this.#busy.on);
      }
    });
  }

  /** Ends the transaction `begin` opened (a no-op when SQLite already rolled it back on its own). */
  end(commit: boolean): void {
    if (!this.#db.inTransaction) return;
    guard('transaction', () => this.#db.exec(commit ? 'COMMIT' : 'ROLLBACK'));
  }

  /** Opens, releases or rolls back to savepoint `name` (nested transactions). */
  savepoint(action: 'open' | 'release' | 'rollback', name: string): void {
    const sql = action === 'open' ? `SAVEPOINT ${name}` : action === 'release' ? `RELEASE ${name}` : `ROLLBACK TO ${name}; RELEASE ${name}`;
    guard('savepoint', () => this.#db.exec(sql));
  }

  /** Runs `fn` in one IMMEDIATE transaction, synchronously (the export tool, tests). */
  transaction<T>(fn: () => T): T {
    return guard('transaction', () => this.#tx.immediate(fn), {}, true);
  }

  /** True inside a transaction on this connection (false again if SQLite rolled it back on its own). */
  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  /** False once closed. */
  get isOpen(): boolean {
    return this.#db.open;
  }

  close(): void {
    if (this.#db.open) guard('close', () => this.#db.close());
  }
}
