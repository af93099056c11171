/** The store contract, part four: chat updates already handled (see contract.ts). */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { UPDATE_MEMORY_MS, UPDATE_PRUNE_EVERY_MS } from '../../src/store/updates.js';

const HOUR = 3600_000;

export function updatesContract(fresh: () => Promise<Store>): void {
  describe('handled updates', () => {
    it('GIVEN an update key handled once THEN the same key again is not first, while another key or platform is', async () => {
      const s = await fresh();
      expect(await s.updates.firstHandling('telegram', '7:100', 1_000)).toBe(true);
      expect(await s.updates.firstHandling('telegram', '7:100', 2_000)).toBe(false);
      expect(await s.updates.firstHandling('telegram', '7:101', 2_000)).toBe(true);
      expect(await s.updates.firstHandling('discord', '7:100', 2_000)).toBe(true);
    });

    it('GIVEN twenty calls for one key at once THEN exactly one is first', async () => {
      const s = await fresh();
      const verdicts = await Promise.all(Array.from({ length: 20 }, () => s.updates.firstHandling('telegram', 'k', 1_000)));
      expect(verdicts.filter(Boolean)).toHaveLength(1);
    });

    it('GIVEN keys handled 47 h and 49 h ago THEN a later call forgets the older one only', async () => {
      const s = await fresh();
      const t0 = 10 * 24 * HOUR;
      expect(await s.updates.firstHandling('telegram', 'old', t0)).toBe(true);
      expect(await s.updates.firstHandling('telegram', 'recent', t0 + 2 * HOUR)).toBe(true);
      // The prune runs at most every few minutes; this call is well past that, 49 h after 'old'.
      expect(UPDATE_PRUNE_EVERY_MS).toBeLessThan(HOUR);
      expect(await s.updates.firstHandling('telegram', 'trigger', t0 + UPDATE_MEMORY_MS + HOUR)).toBe(true);
      expect(await s.updates.firstHandling('telegram', 'recent', t0 + UPDATE_MEMORY_MS + HOUR)).toBe(false);
      expect(await s.updates.firstHandling('telegram', 'old', t0 + UPDATE_MEMORY_MS + HOUR)).toBe(true);
    });
  });
}
