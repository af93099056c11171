/**
 * The SQLite store: one file, one instance (the default). The synchronous repositories of
 * `sqlite-repos.ts` behind the asynchronous `Store` interface.
 *
 * One connection serves everything, so the store serialises: a transaction runs alone, and a call
 * made while one is open waits for it to end (it would otherwise become part of it, and vanish with
 * its rollback). A transaction body must therefore use its `tx`, never the store: a store call made
 * inside a body waits for that body, forever.
 */
import { StoreError } from '../errors.js';
import type { Cluster, OpsQueries, Parts, Readers, Store, StoreTx, Subscriptions, TransactionOptions, Updates } from './port.js';
import { SqliteRepos } from './sqlite-repos.js';
import type { Db } from './db.js';

/** A synchronous object's methods, each answering a promise. */
type Promised<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never };

/** `target`'s methods as promises, each run by `run` (which decides when it may run). */
function promised<T extends object>(target: T, run: <R>(fn: () => R) => Promise<R>): Promised<T> {
  const out: Record<string, unknown> = {};
  for (let proto = Object.getPrototypeOf(target); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = (target as Record<string, unknown>)[name];
      if (name === 'constructor' || name in out || typeof method !== 'function') continue;
      out[name] = (...args: unknown[]) => run(() => (method as (...a: unknown[]) => unknown).apply(target, args));
    }
  }
  return out as Promised<T>;
}

/** The repositories as the interface names them, each call run by `run`. */
interface Handles {
  subscriptions: Subscriptions;
  parts: Parts;
  readers: Readers;
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  /** One instance per file: no roles to share, no rates to count across processes. */
  readonly cluster: Cluster | null = null;
  readonly subscriptions: Subscriptions;
  readonly parts: Parts;
  readonly readers: Readers;
  readonly ops: OpsQueries;
  readonly updates: Updates;
  readonly #repos: SqliteRepos;
  /** The handles a transaction body gets: they run at once (the body holds the connection). */
  readonly #inTx: Handles;
  /** Resolves when the open transaction (if any) has ended. */
  #turn: Promise<void> = Promise.resolve();
  #busy = false;
  #savepoints = 0;

  private constructor(repos: SqliteRepos) {
    this.#repos = repos;
    const queued = <R>(fn: () => R) => this.#queued(fn);
    const now = <R>(fn: () => R) => Promise.resolve().then(fn);
    this.subscriptions = promised(repos.subscriptions, queued);
    this.parts = promised(repos.parts, queued);
    this.readers = promised(repos.readers, queued);
    this.ops = promised(repos.ops, queued);
    this.updates = promised(repos.updates, queued);
    this.#inTx = { subscriptions: promised(repos.subscriptions, now), parts: promised(repos.parts, now), readers: promised(repos.readers, now) };
  }

  /** Opens `path` (`DATABASE_PATH`), creating its folder, and migrates it. */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): SqliteStore {
    return new SqliteStore(SqliteRepos.open(path, options));
  }

  /** A store on a connection already opened and migrated by `openDatabase` (tests set pragmas first). */
  static of(db: Db): SqliteStore {
    return new SqliteStore(SqliteRepos.of(db));
  }

  /** The synchronous repositories (the export tool, SQLite-only tests). */
  get repos(): SqliteRepos {
    return this.#repos;
  }

  get isOpen(): boolean {
    return this.#repos.isOpen;
  }

  async schemaVersion(): Promise<number> {
    return this.#queued(() => this.#repos.schemaVersion);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const previous = this.#turn;
    let done!: () => void;
    this.#turn = new Promise<void>((resolve) => (done = resolve));
    await previous;
    this.#busy = true;
    try {
      this.#repos.begin(options);
      let value: T;
      try {
        value = await fn(this.#tx());
      } catch (err) {
        this.#repos.end(false);
        throw err;
      }
      this.#repos.end(true);
      return value;
    } finally {
      this.#busy = false;
      done();
    }
  }

  async close(): Promise<void> {
    await this.#turn;
    this.#repos.close();
  }

  /** A single call: at once when no transaction is open, else after it. */
  #queued<R>(fn: () => R): Promise<R> {
    if (!this.#busy) return Promise.resolve().then(fn);
    return this.#turn.then(() => this.#queued(fn));
  }

  #tx(): StoreTx {
    const savepoint = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
      const name = `sp${++this.#savepoints}`;
      this.#repos.savepoint('open', name);
      let value: T;
      try {
        value = await fn(tx);
      } catch (err) {
        // Some errors make SQLite roll the whole transaction back; the calls after it would run outside one.
        if (!this.#repos.inTransaction) {
          throw new StoreError(`store: SQLite rolled the transaction back (${err instanceof Error ? err.message : String(err)})`, { op: 'savepoint', unavailable: true }, { cause: err });
        }
        this.#repos.savepoint('rollback', name);
        throw err;
      }
      this.#repos.savepoint('release', name);
      return value;
    };
    const tx: StoreTx = { ...this.#inTx, transaction: savepoint };
    return tx;
  }
}
