import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock.js';

describe('systemClock', () => {
  it('GIVEN fake timers THEN now and sleep follow them', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      let woke = false;
      void systemClock.sleep(5_000).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(woke).toBe(true);
      expect(systemClock.now()).toBe(1_005_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('GIVEN an abort during a sleep THEN the sleep ends at once without throwing', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
    await expect(systemClock.sleep(60_000, controller.signal)).resolves.toBeUndefined();
  });
});
