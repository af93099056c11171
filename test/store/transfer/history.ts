/**
 * A store history for the export tests, written through the real store interface (either dialect):
 * subscriptions (one paused, one in a thread, one with no schedule), shared payloads and parts in
 * every state, a section filter, saved searches, alerts with their negative-index parts, and a chat
 * lease (which is not exported). Also the rows of a SQLite file read straight from it, to compare.
 */
import Database from 'better-sqlite3';
import type { Store } from '../../../src/store/index.js';
import { TABLES } from '../../../src/store/transfer/index.js';

export const T0 = Date.parse('2026-01-05T00:00:00Z');
export const DAILY = { threadId: null, schedule: '0 8 * * *', timezone: 'Asia/Shanghai', mode: 'full' as const, language: 'zh' as const };

/** What `writeHistory` wrote that the tests look up again. */
export interface Written {
  subscriptionId: number;
  /** The last run the daily subscription handled. */
  lastSlotAt: number;
}

export async function writeHistory(store: Store): Promise<Written> {
  const sub = await store.subscriptions.insert('telegram', '-1001', DAILY, 'telegram:7', T0);
  await store.subscriptions.markSlot(sub.id, T0 + 1000);
  await store.subscriptions.insert('telegram', '-1002', { ...DAILY, threadId: '42', mode: 'compact', language: 'en' }, 'telegram:8', T0 + 1);
  await store.subscriptions.insert('discord', '555', { ...DAILY, schedule: null, timezone: 'UTC' }, 'discord:9', T0 + 2);
  await store.subscriptions.pause('discord', '555', 'Missing Access', T0 + 3);

  await store.transaction(async (tx) => {
    const ids = await tx.parts.savePayloads([{ text: '第一部分 <b>one</b>' }, { text: 'two', buttons: [[{ text: 'more', url: 'https://x.test/?a=1&b=2' }]] }, { text: 'three' }]);
    for (const chatId of ['-1001', '-1002']) {
      await tx.parts.insertParts(
        ids.map((payloadId, i) => ({ platform: 'telegram', chatId, threadId: chatId === '-1002' ? '42' : null, issueId: '20260105', partIndex: i, partCount: 3, payloadId })),
        T0 + 10,
      );
    }
    // An alert: its part goes ahead of the digest (negative index), its items recorded in `alerts`.
    await tx.parts.insertParts([{ platform: 'telegram', chatId: '-1001', threadId: null, issueId: '20260105', partIndex: -1, partCount: 1, payload: { text: 'alert: rust 2026' } }], T0 + 11);
    await tx.readers.recordAlert('telegram', '-1001', '20260105', ['https://rust.test/2026', 'folded title'], -1, T0 + 11);
  });
  const head = await store.parts.head('telegram', '-1001');
  await store.parts.markSent(head!.id, '9001', T0 + 20);
  const second = await store.parts.head('telegram', '-1001');
  await store.parts.retryAt(second!, T0 + 60_000, '429: Too Many Requests', true, T0 + 21);
  const other = await store.parts.head('telegram', '-1002');
  await store.parts.finish(other!.id, 'failed', 'Bad Request: chat not found', T0 + 22);

  await store.readers.setSectionFilter('telegram', '-1001', { kind: 'only', names: ['rust', '人工智能'] }, 'telegram:7', T0 + 30);
  await store.readers.addFollow({ platform: 'telegram', chatId: '-1001', threadId: null, query: 'rust', language: 'zh', createdBy: 'telegram:7' }, T0 + 31);
  await store.readers.addFollow({ platform: 'discord', chatId: '555', threadId: '77', query: '"large language"', language: 'en', createdBy: 'discord:9' }, T0 + 32);
  // A running instance's lease: belongs to that instance, not to the history.
  await store.parts.claimChats(['telegram'], T0 + 100_000, 10, 'host-a:1:abc', T0 + 130_000);
  return { subscriptionId: sub.id, lastSlotAt: T0 + 1000 };
}

/** Every exported table of a SQLite file, read with a query of its own (not the export tool's). */
export function sqliteTables(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t.name, db.prepare(`SELECT * FROM ${t.name} ORDER BY ${t.key.join(', ')}`).all()]));
  } finally {
    db.close();
  }
}

/** Rows in one table of a SQLite file. */
export function sqliteCount(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
