/** Test clocks and chat refs for the rate limiter's tests. */
import type { Clock } from '../../src/clock.js';
import type { ChatRef } from '../../src/platform.js';

/** A clock whose sleeps move time forward at once. */
export function steppingClock(start = 0): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** A Telegram chat with no topic. */
export const tg = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
