/** The SQLite store: one file, typed repositories, migrations applied at open. */
import { guard, openDatabase, schemaVersion, type Db } from './db.js';
import { DeliveryRepo } from './deliveries.js';
import { SubscriptionRepo } from './subscriptions.js';

export { StoreError } from '../errors.js';
export type { DeliveryRecord, DeliveryStatus, NewPart } from './deliveries.js';
export type { Subscription, SubscriptionSettings } from './subscriptions.js';
export { DeliveryRepo } from './deliveries.js';
export { SubscriptionRepo } from './subscriptions.js';

export class Store {
  readonly subscriptions: SubscriptionRepo;
  readonly deliveries: DeliveryRepo;
  readonly #db: Db;
  /** One transaction wrapper for every call (building one per call cost more than the work it wrapped). */
  readonly #tx: { immediate: <T>(fn: () => T) => T };

  private constructor(db: Db) {
    this.#db = db;
    this.#tx = db.transaction(<T>(fn: () => T): T => fn()) as unknown as { immediate: <T>(fn: () => T) => T };
    this.subscriptions = new SubscriptionRepo(db);
    this.deliveries = new DeliveryRepo(db);
  }

  /** Opens `path` (`DATABASE_PATH`, default `./data/newsbot.db`), creating its folder, and migrates it. */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): Store {
    return new Store(openDatabase(path, options));
  }

  get schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  /** Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return guard('transaction', () => this.#tx.immediate(fn), {}, true);
  }

  close(): void {
    if (this.#db.open) guard('close', () => this.#db.close());
  }
}
