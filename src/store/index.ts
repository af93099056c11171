/**
 * The store: one asynchronous interface (`port.ts`) with a SQLite implementation (the default,
 * `DATABASE_PATH`) and a PostgreSQL one (`DATABASE_URL`, one or many instances).
 */
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './port.js';
import type { Config } from '../config.js';

export { StoreError } from '../errors.js';
export { isStoreUnavailable } from './db.js';
export type { Part, PartState, NewPart } from './parts.js';
export type { Subscription, SubscriptionSettings } from './subscriptions.js';
export type { ChatDelivery, OpsView, OutboxGauge } from './ops-queries.js';
export type { ChatId, Cluster, OpsQueries, Parts, Readers, SentRecord, Store, StoreTx, Subscriptions, TransactionOptions, Updates } from './port.js';
export { FILTERED_OUT, type Follow, type SectionFilter } from './readers.js';
export { SqliteStore } from './sqlite-store.js';

/** Where the store lives: `DATABASE_URL` (PostgreSQL) when set, else the SQLite file at `DATABASE_PATH`. */
export interface StoreLocation {
  databasePath: string;
  databaseUrl?: string | undefined;
  /** Pooled PostgreSQL connections (`DATABASE_POOL_SIZE`), default 10. */
  databasePoolSize?: number | undefined;
  /** False for one-off tools (the CLI): they do not join the instances' member list. Default true. */
  member?: boolean | undefined;
}

/** The store the settings name: DATABASE_URL, else DATABASE_PATH, with DATABASE_POOL_SIZE. */
export function storeLocationOf(config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>, member = true): StoreLocation {
  return { databasePath: config.DATABASE_PATH, databaseUrl: config.DATABASE_URL, databasePoolSize: config.DATABASE_POOL_SIZE, member };
}

/** Opens (and migrates) the store the settings name. */
export async function openStore(where: StoreLocation): Promise<Store> {
  if (where.databaseUrl) {
    // Loaded only when asked for: SQLite users never load pg.
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open({ url: where.databaseUrl, poolSize: where.databasePoolSize, member: where.member });
  }
  return SqliteStore.open(where.databasePath);
}
