/**
 * The store when the database cannot take a write: locked by another connection (as another process
 * would hold it), or full (the file capped with max_page_count on the store's own connection).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { isStoreUnavailable, SqliteStore } from '../../src/store/index.js';
import { tempDir } from '../fakes/delivery-harness.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };


/** What `promise` rejected with (null when it resolved). */
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => null, (err: unknown) => err);

/** Milliseconds `fn`'s promise took to reject. */
async function timeToReject(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await rejection(fn());
  return performance.now() - start;
}

describe('store faults', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    tmp?.cleanup();
  });

  function openStore(busyTimeoutMs?: number): { store: SqliteStore; db: Db; path: string } {
    tmp = tempDir();
    const path = join(tmp.dir, 'newsbot.db');
    const db = openDatabase(path, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
    const store = SqliteStore.of(db);
    open.push(store);
    return { store, db, path };
  }

  it('GIVEN another connection holds the write lock WHEN a transaction must not wait THEN it fails at once with SQLITE_BUSY, while a waiting one still waits its busy timeout', async () => {
    const { store, db, path } = openStore(300);
    const other = new Database(path);
    open.push(other);
    other.exec('BEGIN EXCLUSIVE');
    const write = (tx: Pick<SqliteStore, 'subscriptions'>) => tx.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1);

    // The very first call on this connection too (a prepared PRAGMA would not have switched it off).
    const firstMs = await timeToReject(() => store.transaction(write, { wait: false }));
    const err = await rejection(store.transaction(write, { wait: false }));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).context).toMatchObject({ op: 'transaction', code: 'SQLITE_BUSY' });
    expect(isStoreUnavailable(err)).toBe(true);
    // The connection keeps its busy timeout for every other caller.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(300);

    let noWait = firstMs;
    for (let i = 0; i < 5; i++) noWait = Math.max(noWait, await timeToReject(() => store.transaction(write, { wait: false })));
    const waiting = await timeToReject(() => store.transaction(write));
    if (process.env.NEWSBOT_PRINT_RATES) console.log({ noWait, waiting });
    expect(noWait / waiting).toBeLessThan(0.1);

    other.exec('COMMIT');
    await store.transaction(write, { wait: false });
    expect(await store.subscriptions.get('telegram', '1')).not.toBeNull();
  });

  it('GIVEN a full database file THEN a write that needs room fails as unavailable (SQLITE_FULL), reads still work, and a wrong write (a duplicate) is not "unavailable"', async () => {
    const { store, db } = openStore();
    await store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1);
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);

    const full = await rejection(store.transaction((tx) => tx.parts.savePayloads([{ text: 'x'.repeat(64_000) }])));
    expect(full).toBeInstanceOf(StoreError);
    expect((full as StoreError).context.code).toBe('SQLITE_FULL');
    expect(isStoreUnavailable(full)).toBe(true);
    expect(await store.subscriptions.get('telegram', '1')).not.toBeNull();

    const duplicate = await rejection(store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 2));
    expect(duplicate).toBeInstanceOf(StoreError);
    expect(isStoreUnavailable(duplicate)).toBe(false);
    expect(isStoreUnavailable(new TypeError('a bug'))).toBe(false);

    db.pragma('max_page_count = 1073741823');
    expect(await store.transaction((tx) => tx.parts.savePayloads([{ text: 'x'.repeat(64_000) }]))).toHaveLength(1);
  });
});
