/**
 * The store when the database cannot take a write: locked by another connection (as another process
 * would hold it), or full (the file capped with max_page_count on the store's own connection).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { isStoreUnavailable, Store } from '../../src/store/index.js';
import { tempDir } from '../fakes/delivery-harness.js';
import { thrown } from '../support/thrown.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };


/** Milliseconds `fn` took to throw. */
function timeToThrow(fn: () => unknown): number {
  const start = performance.now();
  thrown(fn);
  return performance.now() - start;
}

describe('store faults', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const open: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    tmp?.cleanup();
  });

  function openStore(busyTimeoutMs?: number): { store: Store; db: Db; path: string } {
    tmp = tempDir();
    const path = join(tmp.dir, 'newsbot.db');
    const db = openDatabase(path, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
    const store = Store.of(db);
    open.push(store);
    return { store, db, path };
  }

  it('GIVEN another connection holds the write lock WHEN a transaction must not wait THEN it fails at once with SQLITE_BUSY, while a waiting one still waits its busy timeout', () => {
    const { store, db, path } = openStore(300);
    const other = new Database(path);
    open.push(other);
    other.exec('BEGIN EXCLUSIVE');
    const write = () => store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1);

    // The very first call on this connection too (a prepared PRAGMA would not have switched it off).
    const firstMs = timeToThrow(() => store.transaction(write, { wait: false }));
    const err = thrown(() => store.transaction(write, { wait: false }));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).context).toMatchObject({ op: 'transaction', code: 'SQLITE_BUSY' });
    expect(isStoreUnavailable(err)).toBe(true);
    // The connection keeps its busy timeout for every other caller.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(300);

    const noWait = Math.max(firstMs, ...Array.from({ length: 5 }, () => timeToThrow(() => store.transaction(write, { wait: false }))));
    const waiting = timeToThrow(() => store.transaction(write));
    if (process.env.NEWSBOT_PRINT_RATES) console.log({ noWait, waiting });
    expect(noWait / waiting).toBeLessThan(0.1);

    other.exec('COMMIT');
    store.transaction(write, { wait: false });
    expect(store.subscriptions.get('telegram', '1')).not.toBeNull();
  });

  it('GIVEN a full database file THEN a write that needs room fails as unavailable (SQLITE_FULL), reads still work, and a wrong write (a duplicate) is not "unavailable"', () => {
    const { store, db } = openStore();
    store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1);
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);

    const full = thrown(() => store.transaction(() => store.parts.savePayloads([{ text: 'x'.repeat(64_000) }])));
    expect(full).toBeInstanceOf(StoreError);
    expect((full as StoreError).context.code).toBe('SQLITE_FULL');
    expect(isStoreUnavailable(full)).toBe(true);
    expect(store.subscriptions.get('telegram', '1')).not.toBeNull();

    const duplicate = thrown(() => store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 2));
    expect(duplicate).toBeInstanceOf(StoreError);
    expect(isStoreUnavailable(duplicate)).toBe(false);
    expect(isStoreUnavailable(new TypeError('a bug'))).toBe(false);

    db.pragma('max_page_count = 1073741823');
    expect(store.transaction(() => store.parts.savePayloads([{ text: 'x'.repeat(64_000) }]))).toHaveLength(1);
  });
});
