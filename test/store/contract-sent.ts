/** The store contract, part four: a sent outcome recorded in one call, `Parts.recordSent` (see contract.ts). */
import { describe, expect, it } from 'vitest';
import type { Part, Store } from '../../src/store/index.js';
import { parts } from './contract.js';

const chat = (chatId: string) => ({ platform: 'telegram', chatId });

async function headOf(s: Store, chatId: string): Promise<Part> {
  const head = await s.parts.head('telegram', chatId);
  if (!head) throw new Error(`chat ${chatId} has no unsent part`);
  return head;
}

export function recordSentContract(fresh: () => Promise<Store>): void {
  describe('a sent outcome in one call', () => {
    it('GIVEN a leased chat with parts left WHEN its head is recorded sent THEN the part is sent, the next part comes back and the lease is renewed', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 3), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000);
      const first = await headOf(s, '1');
      const got = await s.parts.recordSent(first, 'm-0', 500, 'A', 5_000);
      expect(got.kept).toBe(true);
      expect(got.next).toMatchObject({ partIndex: 1, status: 'pending', payload: { text: '1/1' } });
      expect((await s.parts.forChat('telegram', '1'))[0]).toMatchObject({ status: 'sent', messageId: 'm-0', attempts: 1, sentAt: 500 });
      expect(await s.ops.leases(600, 10)).toEqual([{ ...chat('1'), owner: 'A', heldMs: 500, expiresInMs: 4_400 }]);
    });

    it('GIVEN a leased chat WHEN its last part is recorded sent THEN no next part comes back and the lease is given back', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 1), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000);
      expect(await s.parts.recordSent(await headOf(s, '1'), 'm-0', 500, 'A', 5_000)).toEqual({ kept: true, next: null });
      expect(await s.parts.unsentCount('telegram', '1')).toBe(0);
      expect(await s.ops.leases(600, 10)).toEqual([]);
    });

    it('GIVEN a lease that lapsed and was taken by another WHEN the old owner records its send THEN the part is still marked sent, but the lease is reported lost and stays the new owner\'s', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 2), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000);
      const first = await headOf(s, '1');
      expect(await s.parts.claimChats(['telegram'], 2_000, 10, 'B', 9_000)).toEqual([chat('1')]);
      expect(await s.parts.recordSent(first, 'm-0', 2_100, 'A', 7_000)).toEqual({ kept: false, next: null });
      expect((await s.parts.forChat('telegram', '1'))[0]).toMatchObject({ status: 'sent', messageId: 'm-0' });
      expect(await s.ops.leases(2_200, 10)).toMatchObject([{ chatId: '1', owner: 'B', expiresInMs: 6_800 }]);
    });

    it('GIVEN the last part of a chat whose lease another holds WHEN recorded sent THEN the other owner\'s lease is not given back', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 1), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'B', 9_000);
      expect(await s.parts.recordSent(await headOf(s, '1'), 'm-0', 500, 'A', 5_000)).toEqual({ kept: false, next: null });
      expect(await s.ops.leases(600, 10)).toMatchObject([{ chatId: '1', owner: 'B' }]);
    });

    it('GIVEN a recordSent whose savepoint is rolled back THEN neither the part nor the lease changed', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 2), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000);
      const first = await headOf(s, '1');
      await s.transaction(async (tx) => {
        await expect(tx.transaction(async (sp) => {
          await sp.parts.recordSent(first, 'm-0', 500, 'A', 5_000);
          throw new Error('the caller failed');
        })).rejects.toThrow('the caller failed');
      });
      expect((await headOf(s, '1')).id).toBe(first.id);
      expect(await s.ops.leases(600, 10)).toMatchObject([{ chatId: '1', owner: 'A', expiresInMs: 400 }]);
    });
  });
}
