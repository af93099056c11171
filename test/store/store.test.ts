import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteStore, type NewPart } from '../../src/store/index.js';
import { tempDir } from '../fakes/delivery-harness.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };
const parts = (chatId: string, issueId: string, n = 3): NewPart[] =>
  Array.from({ length: n }, (_, i) => ({ platform: 'telegram', chatId, threadId: null, issueId, partIndex: i, partCount: n, payload: { text: `${issueId}/${i}` } }));

describe('store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    tmp?.cleanup();
  });

  it('GIVEN a path in a missing folder THEN open creates it, uses WAL and applies every migration once', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'nested', 'data', 'newsbot.db');
    store = SqliteStore.open(path);
    expect(existsSync(path)).toBe(true);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    await store.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1000);
    await store.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    store = SqliteStore.open(path);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await store.subscriptions.get('telegram', '1')).toMatchObject({ createdBy: 'telegram:9', createdAt: 1000, lastSlotAt: 1000, paused: false });
  });

  it('GIVEN a database from a newer newsbot THEN open refuses with a StoreError', () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'newsbot.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => SqliteStore.open(path)).toThrow(StoreError);
    expect(() => SqliteStore.open(path)).toThrow(/newer/);
  });

  it('GIVEN the same parts inserted twice THEN the unique key keeps one row per (platform, chat, issue, part)', async () => {
    tmp = tempDir();
    store = SqliteStore.open(join(tmp.dir, 'db.sqlite'));
    const s = store;
    expect(await s.transaction((tx) => tx.parts.insertParts(parts('1', '20250101'), 10))).toBe(3);
    expect(await s.transaction((tx) => tx.parts.insertParts(parts('1', '20250101'), 20))).toBe(0);
    expect(await s.parts.forChat('telegram', '1')).toHaveLength(3);
    expect(await s.parts.hasIssue('telegram', '1', '20250101')).toBe(true);
  });

  it('GIVEN unsent parts of two issues THEN the head is the oldest issue first part, and a held chat holds all its parts', async () => {
    tmp = tempDir();
    store = SqliteStore.open(join(tmp.dir, 'db.sqlite'));
    const d = store.parts;
    await d.insertParts(parts('1', '20250102'), 10);
    await d.insertParts(parts('1', '20250101'), 10);
    const head = await d.head('telegram', '1');
    expect(head).toMatchObject({ issueId: '20250101', partIndex: 0, status: 'pending', payload: { text: '20250101/0' } });
    await d.retryAt({ ...head!, attempts: 1 }, 5_000, 'busy', true, 12);
    expect(await d.head('telegram', '1')).toMatchObject({ id: head!.id, status: 'pending', attempts: 1, lastError: 'busy' });
    expect(await d.dueChats(['telegram'], 4_999, 10)).toEqual([]);
    expect(await d.nextDueAfter(['telegram'], 20)).toBe(5_000);
    expect(await d.dueChats(['telegram'], 5_000, 10)).toEqual([{ platform: 'telegram', chatId: '1' }]);
    // A part queued later waits behind the held chat.
    await d.insertParts(parts('1', '20250103', 1), 100);
    expect((await d.forChat('telegram', '1')).every((r) => r.nextAttemptAt >= 5_000)).toBe(true);
    expect(await d.dueChats(['discord'], 10_000, 10)).toEqual([]);
  });

  it('GIVEN a part marked sent THEN its status, message id, time and the attempt are stored together', async () => {
    tmp = tempDir();
    store = SqliteStore.open(join(tmp.dir, 'db.sqlite'));
    const d = store.parts;
    await d.insertParts(parts('1', '20250101', 1), 10);
    const head = (await d.head('telegram', '1'))!;
    // Nothing is written before a send: the part is pending until its outcome is.
    expect(head).toMatchObject({ status: 'pending', attempts: 0 });
    await d.markSent(head.id, '555', 30);
    expect((await d.forChat('telegram', '1'))[0]).toMatchObject({ status: 'sent', messageId: '555', sentAt: 30, attempts: 1 });
    expect(await d.head('telegram', '1')).toBeNull();
    expect(await d.statusCounts()).toMatchObject({ sent: 1, pending: 0 });
  });

  it('GIVEN parts an older newsbot left sending THEN recovery puts them back to pending', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'db.sqlite');
    store = SqliteStore.open(path);
    const d = store.parts;
    await d.insertParts(parts('1', '20250101'), 10);
    const raw = new Database(path);
    raw.prepare("UPDATE deliveries SET status = 'sending', attempts = 1 WHERE id = ?").run((await d.head('telegram', '1'))!.id);
    raw.close();
    expect(await d.head('telegram', '1')).toMatchObject({ partIndex: 0, status: 'sending' });
    expect(await d.recoverInterrupted(30)).toBe(1);
    expect((await d.forChat('telegram', '1')).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('GIVEN a version-2 database with queued parts THEN migration 3 stores each distinct payload once and keeps every row as it was', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'v2.db');
    const raw = new Database(path);
    raw.exec((MIGRATIONS[0] as string) + (MIGRATIONS[1] as string));
    raw.pragma('user_version = 2');
    const insert = raw.prepare(
      `INSERT INTO deliveries (platform, chat_id, issue_id, part_index, part_count, payload, status, attempts, next_attempt_at, message_id, created_at, updated_at)
       VALUES ('telegram', ?, '20250101', ?, 2, ?, ?, ?, 5, ?, 1, 2)`,
    );
    insert.run('1', 0, JSON.stringify({ text: 'part one' }), 'sent', 1, '77');
    insert.run('1', 1, JSON.stringify({ text: 'part two' }), 'sending', 1, null);
    insert.run('2', 0, JSON.stringify({ text: 'part one' }), 'pending', 0, null);
    insert.run('2', 1, JSON.stringify({ text: 'part two' }), 'pending', 0, null);
    raw.close();

    store = SqliteStore.open(path);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    const rows = (await Promise.all(['1', '2'].map((c) => store!.parts.forChat('telegram', c)))).flat();
    expect(rows.map((r) => [r.chatId, r.partIndex, r.payload, r.status, r.attempts, r.messageId, r.nextAttemptAt])).toEqual([
      ['1', 0, { text: 'part one' }, 'sent', 1, '77', 5],
      ['1', 1, { text: 'part two' }, 'sending', 1, null, 5],
      ['2', 0, { text: 'part one' }, 'pending', 0, null, 5],
      ['2', 1, { text: 'part two' }, 'pending', 0, null, 5],
    ]);
    expect(await store.parts.head('telegram', '1')).toMatchObject({ partIndex: 1, status: 'sending' });
    await store.close();
    const after = new Database(path);
    expect(after.prepare('SELECT COUNT(*) AS n FROM payloads').get()).toEqual({ n: 2 });
    after.close();
    store = undefined;
  });

  it('GIVEN one issue queued for many chats THEN every chat\'s rows point at the same stored payloads', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'db.sqlite');
    store = SqliteStore.open(path);
    const d = store.parts;
    await store.transaction(async (tx) => {
      const ids = await tx.parts.savePayloads([{ text: 'a' }, { text: 'b' }]);
      for (const chatId of ['1', '2', '3']) {
        await tx.parts.insertParts(ids.map((payloadId, partIndex) => ({ platform: 'telegram', chatId, threadId: null, issueId: '20250101', partIndex, partCount: 2, payloadId })), 10);
      }
      // The same message given as a payload reuses the stored one.
      await tx.parts.insertParts(parts('4', '20250101', 1).map((p) => ({ ...p, payload: { text: 'a' } })), 10);
    });
    expect((await d.forChat('telegram', '3')).map((r) => r.payload)).toEqual([{ text: 'a' }, { text: 'b' }]);
    expect((await d.forChat('telegram', '4')).map((r) => r.payload)).toEqual([{ text: 'a' }]);
    const raw = new Database(path);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM payloads').get()).toEqual({ n: 2 });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 7 });
    raw.close();
  });

  it('GIVEN a closed store THEN a query fails with a StoreError naming the operation', async () => {
    tmp = tempDir();
    const s = SqliteStore.open(join(tmp.dir, 'db.sqlite'));
    await s.close();
    const err = await s.subscriptions.list().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).context).toMatchObject({ op: 'subscriptions.list' });
  });
});
