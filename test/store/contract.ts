/**
 * The store contract: what every `Store` (port.ts) must do, whatever keeps it. Run against each store
 * by `contract.<store>.test.ts`: `storeContract(name, open, exec)` where `open` gives a fresh, empty,
 * migrated store each call and `exec` runs one SQL statement on that store's database beside it (to
 * plant a row as an older newsbot left it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import type { NewPart, Store } from '../../src/store/index.js';
import { outboxContract } from './contract-outbox.js';
import { leasesAndReadersContract } from './contract-readers.js';
import { updatesContract } from './contract-updates.js';
import { recordSentContract } from './contract-sent.js';

export type OpenStore = () => Promise<Store>;
export type ExecSql = (store: Store, sql: string) => Promise<void>;

export const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };

/** `n` digest parts of `issueId` for a Telegram chat, each with its own text. */
export const parts = (chatId: string, issueId: string, n = 3, platform = 'telegram'): NewPart[] =>
  Array.from({ length: n }, (_, i) => ({ platform, chatId, threadId: null, issueId, partIndex: i, partCount: n, payload: { text: `${issueId}/${i}` } }));

/** Opens stores for one test and closes them after it. */
export function storesFor(open: OpenStore): () => Promise<Store> {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) if (s.isOpen) await s.close();
  });
  return async () => {
    const s = await open();
    opened.push(s);
    return s;
  };
}

/** The error `promise` rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

export function storeContract(name: string, open: OpenStore, exec: ExecSql): void {
  describe(`store contract: ${name}`, () => {
    const fresh = storesFor(open);

    it('GIVEN a fresh store THEN it is open at the latest schema version', async () => {
      const s = await fresh();
      expect(s.isOpen).toBe(true);
      expect(await s.schemaVersion()).toBe(MIGRATIONS.length);
    });

    describe('subscriptions', () => {
      it('GIVEN a subscription inserted, paused and updated THEN get, list and active say so, and update clears the pause', async () => {
        const s = await fresh();
        expect(await s.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1000)).toMatchObject({
          platform: 'telegram', chatId: '1', createdBy: 'telegram:9', createdAt: 1000, lastSlotAt: 1000, paused: false, pausedReason: null,
        });
        await s.subscriptions.insert('discord', '2', { ...settings, threadId: 't', mode: 'compact', language: 'en' }, 'discord:1', 1100);
        expect(await s.subscriptions.pause('telegram', '1', 'blocked', 2000)).toBe(true);
        expect(await s.subscriptions.pause('telegram', 'nobody', 'blocked', 2000)).toBe(false);
        expect(await s.subscriptions.get('telegram', '1')).toMatchObject({ paused: true, pausedReason: 'blocked', updatedAt: 2000, updatedBy: 'newsbot' });
        expect((await s.subscriptions.list()).map((x) => x.chatId)).toEqual(['2', '1']);
        expect((await s.subscriptions.active()).map((x) => x.chatId)).toEqual(['2']);
        const updated = await s.subscriptions.update('telegram', '1', { ...settings, schedule: '0 9 * * 1' }, 3000, 'telegram:9', 3000);
        expect(updated).toMatchObject({ paused: false, pausedReason: null, schedule: '0 9 * * 1', lastSlotAt: 3000, createdAt: 1000, updatedAt: 3000 });
        expect(await s.subscriptions.get('discord', '2')).toMatchObject({ threadId: 't', mode: 'compact', language: 'en' });
        expect(await s.subscriptions.delete('discord', '2')).toBe(true);
        expect(await s.subscriptions.delete('discord', '2')).toBe(false);
        expect(await s.subscriptions.get('discord', '2')).toBeNull();
      });

      it('GIVEN paused and unscheduled chats THEN onSchedule and schedulePairs list only the active scheduled ones', async () => {
        const s = await fresh();
        await s.subscriptions.insert('telegram', '1', settings, 'a', 1);
        await s.subscriptions.insert('telegram', '2', { ...settings, timezone: 'Asia/Shanghai' }, 'a', 1);
        await s.subscriptions.insert('telegram', '3', settings, 'a', 1);
        await s.subscriptions.insert('telegram', '4', { ...settings, schedule: null }, 'a', 1);
        await s.subscriptions.insert('telegram', '5', { ...settings, schedule: '30 7 * * *' }, 'a', 1);
        await s.subscriptions.pause('telegram', '5', 'x', 2);
        await s.subscriptions.pause('telegram', '3', 'x', 2);
        expect((await s.subscriptions.onSchedule('0 8 * * *', 'UTC')).map((x) => x.chatId)).toEqual(['1']);
        expect(await s.subscriptions.schedulePairs()).toEqual([
          { schedule: '0 8 * * *', timezone: 'Asia/Shanghai' },
          { schedule: '0 8 * * *', timezone: 'UTC' },
        ]);
      });

      it('GIVEN a chat that moves THEN its subscription follows, unless the new id has its own, which wins', async () => {
        const s = await fresh();
        await s.subscriptions.insert('telegram', '-1', settings, 'a', 1);
        await s.subscriptions.move('telegram', '-1', '-100', 5);
        expect(await s.subscriptions.get('telegram', '-1')).toBeNull();
        expect(await s.subscriptions.get('telegram', '-100')).toMatchObject({ chatId: '-100', updatedAt: 5 });
        await s.subscriptions.insert('telegram', '-2', { ...settings, mode: 'compact' }, 'a', 1);
        await s.subscriptions.insert('telegram', '-200', settings, 'a', 1);
        await s.subscriptions.move('telegram', '-2', '-200', 6);
        expect(await s.subscriptions.get('telegram', '-2')).toBeNull();
        expect(await s.subscriptions.get('telegram', '-200')).toMatchObject({ mode: 'full' });
      });

      it('GIVEN one run marked by two callers at once THEN exactly one moved it, and it never moves backwards', async () => {
        const s = await fresh();
        const { id } = await s.subscriptions.insert('telegram', '1', settings, 'a', 1000);
        const both = await Promise.all([s.subscriptions.markSlot(id, 5000), s.subscriptions.markSlot(id, 5000)]);
        expect(both.filter(Boolean)).toHaveLength(1);
        expect(await s.subscriptions.markSlot(id, 4000)).toBe(false);
        expect((await s.subscriptions.get('telegram', '1'))?.lastSlotAt).toBe(5000);
        expect(await s.subscriptions.markSlot(id, 6000)).toBe(true);
      });
    });

    describe('crash rules', () => {
      it('GIVEN parts an older newsbot left sending THEN recoverInterrupted puts them back in line', async () => {
        const s = await fresh();
        await s.parts.insertParts(parts('1', '20250101'), 10);
        const head = await s.parts.head('telegram', '1');
        await exec(s, `UPDATE deliveries SET status = 'sending', attempts = 1 WHERE id = ${head?.id}`);
        expect(await s.parts.head('telegram', '1')).toMatchObject({ partIndex: 0, status: 'sending' });
        expect(await s.parts.statusCounts()).toMatchObject({ sending: 1, pending: 2 });
        expect(await s.parts.recoverInterrupted(30)).toBe(1);
        expect((await s.parts.forChat('telegram', '1')).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
        expect(await s.parts.recoverInterrupted(40)).toBe(0);
      });

      it('GIVEN a transaction body that throws THEN nothing it wrote remains and the error comes through unchanged', async () => {
        const s = await fresh();
        const boom = new Error('boom');
        const err = await rejection(
          s.transaction(async (tx) => {
            await tx.subscriptions.insert('telegram', '1', settings, 'a', 1);
            await tx.parts.insertParts(parts('1', '20250101'), 10);
            throw boom;
          }),
        );
        expect(err).toBe(boom);
        expect(await s.subscriptions.list()).toEqual([]);
        expect(await s.parts.forChat('telegram', '1')).toEqual([]);
        // The store still works after the rollback.
        expect(await s.transaction(async (tx) => tx.parts.insertParts(parts('1', '20250101'), 10))).toBe(3);
      });

      it('GIVEN a savepoint that fails inside a transaction THEN only its writes roll back and the rest commits', async () => {
        const s = await fresh();
        const value = await s.transaction(async (tx) => {
          await tx.parts.insertParts(parts('1', '20250101', 1), 10);
          const inner = await rejection(
            tx.transaction(async (sp) => {
              await sp.parts.insertParts(parts('2', '20250101', 1), 10);
              await sp.subscriptions.insert('telegram', '2', settings, 'a', 1);
              // A statement the database refuses (duplicate key) inside the savepoint.
              await sp.subscriptions.insert('telegram', '2', settings, 'a', 1);
            }),
          );
          expect(inner).toBeInstanceOf(StoreError);
          await tx.transaction(async (sp) => sp.parts.insertParts(parts('3', '20250101', 1), 10));
          return 'done';
        });
        expect(value).toBe('done');
        expect((await s.parts.forIssue('20250101')).map((r) => r.chatId)).toEqual(['1', '3']);
        expect(await s.subscriptions.list()).toEqual([]);
      });

      it('GIVEN nested savepoints THEN an inner one that succeeded rolls back with its failing outer one, and the ones around it keep their writes', async () => {
        const s = await fresh();
        await s.transaction(async (tx) => {
          await tx.transaction(async (sp) => sp.parts.insertParts(parts('1', '1', 1), 10));
          const err = await rejection(
            tx.transaction(async (outer) => {
              await outer.parts.insertParts(parts('2', '1', 1), 10);
              await outer.transaction(async (inner) => inner.parts.insertParts(parts('3', '1', 1), 10));
              throw new Error('outer fails');
            }),
          );
          expect((err as Error).message).toBe('outer fails');
          await tx.parts.insertParts(parts('4', '1', 1), 10);
          await tx.transaction(async (sp) => sp.parts.insertParts(parts('5', '1', 1), 10));
          await tx.transaction(async (sp) => sp.transaction(async (deeper) => deeper.parts.insertParts(parts('6', '1', 1), 10)));
        });
        expect((await s.parts.forIssue('1')).map((r) => r.chatId)).toEqual(['1', '4', '5', '6']);
      });

      it('GIVEN a closed store THEN it says so and a query fails with a StoreError naming the operation', async () => {
        const s = await fresh();
        await s.close();
        expect(s.isOpen).toBe(false);
        const err = await rejection(s.subscriptions.list());
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).context).toMatchObject({ op: 'subscriptions.list' });
      });
    });

    outboxContract(fresh);
    leasesAndReadersContract(fresh);
    updatesContract(fresh);
    recordSentContract(fresh);
  });
}
