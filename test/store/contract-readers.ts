/** The store contract, part three: chat leases, readers' choices and the operator's questions (see contract.ts). */
import { describe, expect, it } from 'vitest';
import { FILTERED_OUT, type Store } from '../../src/store/index.js';
import { parts, settings } from './contract.js';

const chat = (chatId: string) => ({ platform: 'telegram', chatId });

export function leasesAndReadersContract(fresh: () => Promise<Store>): void {
  describe('chat leases', () => {
    it('GIVEN due chats claimed by one owner THEN another gets none of them until released, and only due chats are claimed', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 1), 10);
      await s.parts.insertParts(parts('2', '1', 1), 20);
      await s.parts.insertParts(parts('3', '1', 1), 5_000);
      expect(await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000)).toEqual([chat('1'), chat('2')]);
      expect(await s.parts.claimChats(['telegram'], 100, 10, 'B', 1_000)).toEqual([]);
      // The owner claiming again keeps its chats (and its acquisition time).
      expect(await s.parts.claimChats(['telegram'], 200, 10, 'A', 1_200)).toEqual([chat('1'), chat('2')]);
      expect(await s.ops.leases(300, 10)).toEqual([
        { ...chat('1'), owner: 'A', heldMs: 200, expiresInMs: 900 },
        { ...chat('2'), owner: 'A', heldMs: 200, expiresInMs: 900 },
      ]);
      await s.parts.releaseChat(chat('1'), 'B');
      expect(await s.parts.claimChats(['telegram'], 300, 10, 'B', 1_300)).toEqual([]);
      await s.parts.releaseChat(chat('1'), 'A');
      expect(await s.parts.claimChats(['telegram'], 300, 10, 'B', 1_300)).toEqual([chat('1')]);
    });

    it('GIVEN a limit THEN claimChats leases at most that many, skipping chats others hold', async () => {
      const s = await fresh();
      for (const id of ['1', '2', '3', '4']) await s.parts.insertParts(parts(id, '1', 1), Number(id));
      expect(await s.parts.claimChats(['telegram'], 100, 2, 'A', 1_000)).toEqual([chat('1'), chat('2')]);
      expect(await s.parts.claimChats(['telegram'], 100, 1, 'B', 1_000)).toEqual([chat('3')]);
      expect(await s.parts.claimChats(['telegram'], 100, 0, 'B', 1_000)).toEqual([]);
    });

    it('GIVEN a lease renewed, then left to expire THEN another owner takes the chat over and the old owner can no longer renew', async () => {
      const s = await fresh();
      await s.parts.insertParts(parts('1', '1', 1), 10);
      await s.parts.claimChats(['telegram'], 100, 10, 'A', 1_000);
      expect(await s.parts.renewChat(chat('1'), 'A', 900, 2_000)).toBe(true);
      expect(await s.parts.renewChat(chat('1'), 'B', 900, 2_000)).toBe(false);
      expect(await s.parts.claimChats(['telegram'], 1_999, 10, 'B', 3_000)).toEqual([]);
      expect(await s.parts.claimChats(['telegram'], 2_000, 10, 'B', 3_000)).toEqual([chat('1')]);
      expect(await s.parts.renewChat(chat('1'), 'A', 2_100, 4_000)).toBe(false);
      expect(await s.ops.leases(2_100, 10)).toMatchObject([{ chatId: '1', owner: 'B', heldMs: 100 }]);
    });

    it('GIVEN one chat claimed by itself THEN it is leased due or not, to one owner at a time, until it expires', async () => {
      const s = await fresh();
      expect(await s.parts.claimChat(chat('9'), 'A', 100, 1_000)).toBe(true);
      expect(await s.parts.claimChat(chat('9'), 'B', 200, 1_000)).toBe(false);
      expect(await s.parts.claimChat(chat('9'), 'A', 300, 1_500)).toBe(true);
      expect(await s.ops.leases(400, 10)).toEqual([{ ...chat('9'), owner: 'A', heldMs: 300, expiresInMs: 1_100 }]);
      expect(await s.parts.claimChat(chat('9'), 'B', 1_500, 2_000)).toBe(true);
      expect(await s.parts.renewChat(chat('9'), 'A', 1_600, 3_000)).toBe(false);
    });

    it('GIVEN many owners claiming the same due chats at once THEN every chat has exactly one owner', async () => {
      const s = await fresh();
      for (let i = 0; i < 40; i++) await s.parts.insertParts(parts(String(i), '1', 1), 10);
      const owners = ['A', 'B', 'C', 'D'];
      const claims = await Promise.all(owners.map((o) => s.parts.claimChats(['telegram'], 100, 15, o, 1_000)));
      const all = claims.flat().map((c) => c.chatId);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(40);
    });
  });

  describe('readers', () => {
    it('GIVEN a section filter set, replaced and cleared THEN the chat reads back each', async () => {
      const s = await fresh();
      expect(await s.readers.sectionFilter('telegram', '1')).toBeNull();
      await s.readers.setSectionFilter('telegram', '1', { kind: 'only', names: ['ai', '开源'] }, 'telegram:9', 10);
      await s.readers.setSectionFilter('telegram', '1', { kind: 'skip', names: ['jobs'] }, 'telegram:8', 20);
      expect(await s.readers.sectionFilter('telegram', '1')).toEqual({ kind: 'skip', names: ['jobs'], updatedBy: 'telegram:8', updatedAt: 20 });
      await s.readers.setSectionFilter('telegram', '1', null, 'telegram:8', 30);
      expect(await s.readers.sectionFilter('telegram', '1')).toBeNull();
    });

    it('GIVEN many chats\' filters read in one transaction (as queueing a broadcast does) THEN each reads its own, including one set in that transaction', async () => {
      const s = await fresh();
      for (let i = 0; i < 20; i += 3) await s.readers.setSectionFilter('telegram', String(i), { kind: 'only', names: [`s${i}`] }, 'u', i);
      const seen = await s.transaction(async (tx) => {
        const out: Array<string | null> = [];
        for (let i = 0; i < 20; i++) out.push((await tx.readers.sectionFilter('telegram', String(i)))?.names[0] ?? null);
        await tx.readers.setSectionFilter('telegram', '1', { kind: 'skip', names: ['new'] }, 'u', 99);
        await tx.readers.setSectionFilter('telegram', '0', null, 'u', 99);
        for (let i = 0; i < 20; i++) await tx.readers.sectionFilter('telegram', String(i));
        out.push((await tx.readers.sectionFilter('telegram', '1'))?.names[0] ?? null, (await tx.readers.sectionFilter('telegram', '0'))?.names[0] ?? null);
        return out;
      });
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? `s${i}` : null)).concat(['new', null]));
      expect(await s.readers.sectionFilter('discord', '3')).toBeNull();
    });

    it('GIVEN saved searches THEN a duplicate is refused, each chat lists its own, and a removed one is gone', async () => {
      const s = await fresh();
      const base = { platform: 'telegram', threadId: null, language: 'zh' as const, createdBy: 'u' };
      expect(await s.readers.addFollow({ ...base, chatId: '2', query: 'rust' }, 10)).toBe(true);
      expect(await s.readers.addFollow({ ...base, chatId: '1', query: 'llm' }, 11)).toBe(true);
      expect(await s.readers.addFollow({ ...base, chatId: '1', query: 'llm' }, 12)).toBe(false);
      expect(await s.readers.addFollow({ ...base, chatId: '1', query: 'go' }, 13)).toBe(true);
      const mine = await s.readers.follows('telegram', '1');
      expect(mine.map((f) => [f.query, f.createdAt])).toEqual([['llm', 11], ['go', 13]]);
      expect((await s.readers.allFollows()).map((f) => `${f.chatId}:${f.query}`)).toEqual(['1:llm', '1:go', '2:rust']);
      expect(await s.readers.removeFollow(mine[0]!.id)).toBe(true);
      expect(await s.readers.removeFollow(mine[0]!.id)).toBe(false);
      expect((await s.readers.follows('telegram', '1')).map((f) => f.query)).toEqual(['go']);
    });

    it('GIVEN alerts recorded THEN alerted returns their keys once each and the lowest part index used', async () => {
      const s = await fresh();
      expect(await s.readers.alerted('telegram', '1', '20250101')).toEqual({ keys: new Set(), lowestPart: 0 });
      await s.readers.recordAlert('telegram', '1', '20250101', ['https://a', 'https://b'], -1, 10);
      await s.readers.recordAlert('telegram', '1', '20250101', ['https://b', 'https://c'], -2, 20);
      expect(await s.readers.alerted('telegram', '1', '20250101')).toEqual({ keys: new Set(['https://a', 'https://b', 'https://c']), lowestPart: -2 });
      expect((await s.readers.alerted('telegram', '2', '20250101')).keys.size).toBe(0);
    });

    it('GIVEN an issue the filter left empty THEN one skipped row records it, never sent, and clearing removes only that row', async () => {
      const s = await fresh();
      const where = { platform: 'telegram', chatId: '1', threadId: null };
      expect(await s.readers.markFilteredOut(where, '20250101', 10)).toBe(1);
      expect(await s.readers.markFilteredOut(where, '20250101', 11)).toBe(0);
      expect(await s.parts.forChat('telegram', '1')).toMatchObject([{ status: 'skipped', lastError: FILTERED_OUT, partIndex: 0, payload: { filteredOut: true } }]);
      expect(await s.parts.head('telegram', '1')).toBeNull();
      expect(await s.readers.clearFilteredOut('telegram', '1', '20250101')).toBe(1);
      expect(await s.parts.forChat('telegram', '1')).toEqual([]);
    });
  });

  describe("the operator's questions", () => {
    it('GIVEN subscriptions and an issue partly delivered THEN the gauges, lists and per-chat tallies add up', async () => {
      const s = await fresh();
      await s.subscriptions.insert('telegram', '1', settings, 'a', 1);
      await s.subscriptions.insert('telegram', '2', settings, 'a', 1);
      await s.subscriptions.pause('telegram', '2', 'blocked', 2);
      expect(await s.ops.pausedCount()).toBe(1);
      expect(await s.ops.subscriptions(1)).toEqual({ total: 2, rows: [{ platform: 'telegram', chatId: '2', threadId: null, schedule: '0 8 * * *', timezone: 'UTC', paused: true, pausedReason: 'blocked' }] });
      expect(await s.ops.outbox()).toEqual({ unsent: 0, oldestQueuedAt: null });
      await s.parts.insertParts(parts('1', '20250102', 2), 100);
      await s.parts.insertParts(parts('2', '20250102', 2), 200);
      await s.parts.insertParts(parts('1', '20250101', 1), 50);
      const [p0, p1] = await s.parts.forChatIssue('telegram', '1', '20250102');
      await s.parts.markSent(p0!.id, 'm', 300);
      await s.parts.finish(p1!.id, 'failed', 'too long', 310);
      expect(await s.ops.outbox()).toEqual({ unsent: 3, oldestQueuedAt: 50 });
      expect(await s.ops.recentIssues(10)).toEqual(['20250102', '20250101']);
      expect(await s.ops.deliveriesOf('20250102')).toEqual([
        { platform: 'telegram', chatId: '1', issueId: '20250102', sent: 1, unsent: 0, failed: 1, skipped: 0, error: 'too long', queuedAt: 100 },
        { platform: 'telegram', chatId: '2', issueId: '20250102', sent: 0, unsent: 2, failed: 0, skipped: 0, error: null, queuedAt: 200 },
      ]);
      expect(await s.ops.lateChats('20250102', 150)).toEqual([]);
      expect(await s.ops.lateChats('20250102', 200)).toEqual([{ platform: 'telegram', chatId: '2', queuedAt: 200 }]);
    });
  });
}
