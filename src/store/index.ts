/** The SQLite store: one file, typed repositories, migrations applied at open. */
import { guard, openDatabase, schemaVersion, type Db } from './db.js';
import { PartRepo } from './parts.js';
import { ReaderRepo } from './readers.js';
import { OpsQueries } from './ops-queries.js';
import { SubscriptionRepo } from './subscriptions.js';

export { StoreError } from '../errors.js';
export { isStoreUnavailable } from './db.js';
export type { Part, PartState, NewPart } from './parts.js';
export type { Subscription, SubscriptionSettings } from './subscriptions.js';
export type { ChatDelivery, OpsView, OutboxGauge } from './ops-queries.js';
export { PartRepo } from './parts.js';
export { SubscriptionRepo } from './subscriptions.js';
export { ReaderRepo, FILTERED_OUT, type Follow, type SectionFilter } from './readers.js';

/** How a transaction meets a write lock another connection holds. */
export interface TransactionOptions {
  /**
   * false: fail at once with a `StoreError` (code SQLITE_BUSY) instead of waiting. SQLite's busy
   * wait sleeps inside the call and so blocks the event loop (up to the busy timeout, 5 s); a caller
   * that can try again later (the outbox worker) should not wait. Default true.
   */
  wait?: boolean;
}

export class Store {
  readonly subscriptions: SubscriptionRepo;
  readonly parts: PartRepo;
  /** Section filters, saved searches and the items alerted. */
  readonly readers: ReaderRepo;
  /** Read-only questions of the operator's side (metrics, status page, alerts). */
  readonly ops: OpsQueries;
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
    this.ops = new OpsQueries(db);
  }

  /** Opens `path` (`DATABASE_PATH`, default `./data/newsbot.db`), creating its folder, and migrates it. */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): Store {
    return new Store(openDatabase(path, options));
  }

  /**
   * A store on a database already opened and migrated by `openDatabase`, for a caller that sets a
   * per-connection pragma first (tests cap the file with `max_page_count` to fill the "disk").
   */
  static of(db: Db): Store {
    return new Store(db);
  }

  get schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints). With `wait: false`, a
   * write lock held by another connection fails it at once instead of blocking (see TransactionOptions).
   */
  transaction<T>(fn: () => T, options: TransactionOptions = {}): T {
    if (options.wait !== false || this.#db.inTransaction) return guard('transaction', () => this.#tx.immediate(fn), {}, true);
    return guard(
      'transaction',
      () => {
        this.#db.exec(this.#busy.off);
        try {
          return this.#tx.immediate(fn);
        } finally {
          this.#db.exec(this.#busy.on);
        }
      },
      {},
      true,
    );
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
