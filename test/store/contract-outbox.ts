/** The store contract, part two: the outbox and the delivery record (see contract.ts). */
import { describe, expect, it } from 'vitest';
import type { NewPart, Store } from '../../src/store/index.js';
import { parts } from './contract.js';

export function outboxContract(fresh: () => Promise<Store>): void {
  describe('the outbox', () => {
    it('GIVEN the same parts inserted twice THEN one row per (platform, chat, issue, part) and the second insert counts 0', async () => {
      const s = await fresh();
      expect(await s.transaction(async (tx) => tx.parts.insertParts(parts('1', '20250101'), 10))).toBe(3);
      expect(await s.transaction(async (tx) => tx.parts.insertParts(parts('1', '20250101'), 20))).toBe(0);
      expect(await s.parts.forChat('telegram', '1')).toHaveLength(3);
      expect(await s.parts.hasIssue('telegram', '1', '20250101')).toBe(true);
      expect(await s.parts.hasIssue('telegram', '1', '20250102')).toBe(false);
    });

    it('GIVEN one issue queued for many chats THEN the payloads are stored once and every row carries its message', async () => {
      const s = await fresh();
      await s.transaction(async (tx) => {
        const ids = await tx.parts.savePayloads([{ text: 'a' }, { text: 'b' }]);
        expect(await tx.parts.savePayloads([{ text: 'b' }])).toEqual([ids[1]]);
        const rows: NewPart[] = ['1', '2', '3'].flatMap((chatId) =>
          ids.map((payloadId, partIndex) => ({ platform: 'telegram', chatId, threadId: null, issueId: '20250101', partIndex, partCount: 2, payloadId })),
        );
        await tx.parts.insertParts(rows, 10);
        await tx.parts.insertParts(parts('4', '20250101', 1).map((p) => ({ ...p, payload: { text: 'a' } })), 10);
      });
      expect((await s.parts.forChat('telegram', '3')).map((r) => r.payload)).toEqual([{ text: 'a' }, { text: 'b' }]);
      expect((await s.parts.forChat('telegram', '4')).map((r) => r.payload)).toEqual([{ text: 'a' }]);
      expect((await s.parts.forIssue('20250101')).map((r) => `${r.chatId}/${r.partIndex}`)).toEqual(['1/0', '1/1', '2/0', '2/1', '3/0', '3/1', '4/0']);
    });

    it('GIVEN unsent parts of several issues THEN the head is the oldest issue (numbered ids by value) and its first part', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '375'), 10);
      await s.parts.insertParts(parts('1', '99'), 10);
      expect(await s.parts.head('telegram', '1')).toMatchObject({ issueId: '99', partIndex: 0, status: 'pending', payload: { text: '99/0' }, attempts: 0 });
      expect((await s.parts.forChat('telegram', '1')).map((r) => `${r.issueId}/${r.partIndex}`)).toEqual(['99/0', '99/1', '99/2', '375/0', '375/1', '375/2']);
      expect(await s.parts.latestIssue('telegram', '1')).toBe('375');
      expect(await s.parts.latestIssueUpTo('telegram', '1', '200')).toBe('99');
      expect(await s.parts.latestIssueUpTo('telegram', '1', '375')).toBe('375');
      expect(await s.parts.latestIssueUpTo('telegram', '1', '50')).toBeNull();
      expect(await s.parts.latestIssue('telegram', '2')).toBeNull();
    });

    it('GIVEN alert parts (negative indexes) THEN they go first but hasIssue and latestIssue ignore them', async () => {
      const s = await fresh();
      await s.parts.insertParts([{ platform: 'telegram', chatId: '1', threadId: null, issueId: '20250109', partIndex: -1, partCount: 1, payload: { text: 'alert' } }], 10);
      expect(await s.parts.hasIssue('telegram', '1', '20250109')).toBe(false);
      expect(await s.parts.latestIssue('telegram', '1')).toBeNull();
      await s.parts.insertParts(parts('1', '20250101', 1), 10);
      await s.parts.insertParts(parts('1', '20250109', 1), 10);
      expect(await s.parts.latestIssue('telegram', '1')).toBe('20250109');
      expect((await s.parts.forChatIssue('telegram', '1', '20250109')).map((r) => r.partIndex)).toEqual([-1, 0]);
    });

    it('GIVEN a part held by retryAt THEN the whole chat waits until then, later parts queue behind it, and nextDueAfter says when', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '20250102'), 10);
      await s.parts.insertParts(parts('2', '20250102', 1), 10);
      const head = await s.parts.head('telegram', '1');
      await s.parts.retryAt({ ...head!, attempts: 0 }, 5_000, 'busy', true, 12);
      expect(await s.parts.head('telegram', '1')).toMatchObject({ id: head!.id, status: 'pending', attempts: 1, lastError: 'busy', nextAttemptAt: 5_000 });
      expect(await s.parts.dueChats(['telegram'], 4_999, 10)).toEqual([{ platform: 'telegram', chatId: '2' }]);
      expect(await s.parts.nextDueAfter(['telegram'], 20)).toBe(5_000);
      expect(await s.parts.dueChats(['telegram'], 5_000, 10)).toEqual([{ platform: 'telegram', chatId: '2' }, { platform: 'telegram', chatId: '1' }]);
      // A 429 is the platform's pacing: not counted as an attempt.
      await s.parts.retryAt({ ...head!, attempts: 1 }, 6_000, '429', false, 13);
      expect(await s.parts.head('telegram', '1')).toMatchObject({ attempts: 1, nextAttemptAt: 6_000 });
      await s.parts.insertParts(parts('1', '20250103', 1), 100);
      expect((await s.parts.forChat('telegram', '1')).every((r) => r.nextAttemptAt >= 6_000)).toBe(true);
      expect(await s.parts.dueChats(['discord'], 10_000, 10)).toEqual([]);
      expect(await s.parts.nextDueAfter(['telegram'], 6_000)).toBeNull();
    });

    it('GIVEN due chats on two platforms THEN dueChats takes turns between them, earliest first, up to the limit', async () => {
      const s = await fresh();
      for (const [chat, at] of [['t1', 30], ['t2', 10], ['t3', 20]] as const) await s.parts.insertParts(parts(chat, '1', 1), at);
      for (const [chat, at] of [['d1', 5], ['d2', 6]] as const) await s.parts.insertParts(parts(chat, '1', 1, 'discord'), at);
      expect((await s.parts.dueChats(['telegram', 'discord'], 100, 10)).map((c) => c.chatId)).toEqual(['t2', 'd1', 't3', 'd2', 't1']);
      expect((await s.parts.dueChats(['telegram', 'discord'], 100, 3)).map((c) => c.chatId)).toEqual(['t2', 'd1', 't3']);
      expect(await s.parts.nextDueAfter(['telegram', 'discord'], 5)).toBe(6);
    });

    it('GIVEN a chat with a long backlog due first THEN dueChats still finds the chats due after it', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('a', '1', 100), 10);
      await s.parts.insertParts(parts('b', '1', 1), 20);
      await s.parts.insertParts(parts('c', '1', 1), 30);
      expect((await s.parts.dueChats(['telegram'], 100, 2)).map((c) => c.chatId)).toEqual(['a', 'b']);
      expect((await s.parts.dueChats(['telegram'], 100, 5)).map((c) => c.chatId)).toEqual(['a', 'b', 'c']);
      expect((await s.parts.claimChats(['telegram'], 100, 3, 'A', 1_000)).map((c) => c.chatId)).toEqual(['a', 'b', 'c']);
    });

    it('GIVEN a part marked sent THEN its status, message id, time and the attempt are stored together and the head moves on', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '20250101', 2), 10);
      const head = await s.parts.head('telegram', '1');
      await s.parts.markSent(head!.id, '555', 30);
      expect((await s.parts.forChat('telegram', '1'))[0]).toMatchObject({ status: 'sent', messageId: '555', sentAt: 30, attempts: 1, updatedAt: 30, lastError: null });
      expect(await s.parts.head('telegram', '1')).toMatchObject({ partIndex: 1 });
      expect(await s.parts.unsentCount('telegram', '1')).toBe(1);
      expect(await s.parts.statusCounts()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 0, skipped: 0 });
    });

    it('GIVEN failed and skipped parts THEN failures lists them newest first, skipChat ends the rest, and reopen puts them back in line', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '20250101'), 10);
      const [a, b] = await s.parts.forChat('telegram', '1');
      await s.parts.finish(a!.id, 'failed', 'too long', 20);
      await s.parts.finish(b!.id, 'failed', 'forbidden', 30);
      expect((await s.parts.failures('telegram', '1')).map((r) => r.lastError)).toEqual(['forbidden', 'too long']);
      expect(await s.parts.failures('telegram', '1', 1)).toHaveLength(1);
      expect(await s.parts.skipChat('telegram', '1', 'chat gone', 40)).toBe(1);
      expect(await s.parts.unsentCount('telegram', '1')).toBe(0);
      expect(await s.parts.head('telegram', '1')).toBeNull();
      expect(await s.parts.reopen('telegram', '1', '20250101', 50)).toBe(3);
      expect((await s.parts.forChat('telegram', '1')).map((r) => [r.status, r.attempts, r.lastError, r.nextAttemptAt])).toEqual([
        ['pending', 0, null, 50], ['pending', 0, null, 50], ['pending', 0, null, 50],
      ]);
    });

    it('GIVEN a chat that moves THEN its history follows, and unsent parts the new id already has are skipped', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('-1', '20250101', 2), 10);
      const [first] = await s.parts.forChat('telegram', '-1');
      await s.parts.markSent(first!.id, '7', 20);
      await s.parts.insertParts(parts('-1', '20250102', 1), 10);
      await s.parts.insertParts(parts('-100', '20250102', 1), 10);
      expect(await s.parts.moveChat('telegram', '-1', '-100', 30)).toBe(2);
      expect((await s.parts.forChat('telegram', '-100')).map((r) => `${r.issueId}/${r.partIndex}/${r.status}`)).toEqual([
        '20250101/0/sent', '20250101/1/pending', '20250102/0/pending',
      ]);
      expect(await s.parts.forChat('telegram', '-1')).toMatchObject([{ issueId: '20250102', status: 'skipped', lastError: 'already queued for -100' }]);
    });
  });
}
