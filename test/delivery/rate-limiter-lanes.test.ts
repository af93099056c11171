import { afterEach, describe, expect, it, vi } from 'vitest';
import { BULK_SHARE_EVERY, TokenBucket } from '../../src/delivery/rate-gate.js';
import { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { steppingClock, tg } from '../support/stepping-clock.js';


afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiter: interactive replies and bulk parts share one global rate', () => {
  it('GIVEN bulk parts queued first and replies arriving behind them THEN replies go first, yet bulk keeps one token in BULK_SHARE_EVERY', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ telegram: { global: { count: 1, perMs: 10 } } }, clock);
    await limiter.acquire(tg('warm-up'));
    const order: string[] = [];
    const all = [
      ...Array.from({ length: 8 }, (_, i) => limiter.acquire(tg(`b${i}`), undefined, 'bulk').then(() => order.push(`b${i}`))),
      ...Array.from({ length: 8 }, (_, i) => limiter.acquire(tg(`i${i}`), undefined, 'interactive').then(() => order.push(`i${i}`))),
    ];
    await Promise.all(all);
    expect(BULK_SHARE_EVERY).toBe(4);
    // Three replies, then a bulk part, while both wait; each lane in its own arrival order.
    expect(order.slice(0, 12)).toEqual(['i0', 'i1', 'i2', 'b0', 'i3', 'i4', 'i5', 'b1', 'i6', 'i7', 'b2', 'b3']);
    expect(order.filter((k) => k.startsWith('b'))).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}`));
    // The rate held for both lanes together: 16 grants at one per 10 ms.
    expect(clock.t).toBe(160);
  });

  it('GIVEN a 429 hold on one chat THEN only that chat waits, for exactly the hold, and others go at once', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ telegram: { global: { count: 30, perMs: 1000 }, perChat: { count: 1, perMs: 1000 }, perChatBurst: 3 } }, clock);
    limiter.hold(tg('held'), 5_000);
    expect(limiter.delay(tg('held'))).toBe(5_000);
    expect(limiter.delay(tg('other'))).toBe(0);
    await limiter.acquire(tg('other'), undefined, 'interactive');
    expect(clock.t).toBe(0);
    await limiter.acquire(tg('held'), undefined, 'interactive');
    expect(clock.t).toBe(5_000);
    // A shorter hold never shortens a longer one.
    limiter.hold(tg('held'), 3_000);
    limiter.hold(tg('held'), 1_000);
    expect(limiter.delay(tg('held'))).toBe(3_000);
  });
});

describe('rate limiter: a wait for the whole platform (issue 14)', () => {
  it('GIVEN a platform-wide 429 hold THEN no chat, reply or part, gets a global token until it ends, and the rate resumes after', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ discord: { global: { count: 50, perMs: 1000 } } }, clock);
    const dc = (chatId: string) => ({ platform: 'discord' as const, chatId, threadId: null });
    limiter.holdPlatform('discord', 2_000);
    expect(limiter.delay(dc('a'))).toBe(2_000);
    await limiter.acquire(dc('a'), undefined, 'interactive');
    expect(clock.t).toBe(2_000);
    await limiter.acquire(dc('b'), undefined, 'bulk');
    expect(clock.t).toBe(2_020);
    // Another platform is not held.
    expect(limiter.delay(tg('x'))).toBe(0);
  });
});

describe('rate limiter: monotonic time (issue 11, item 4)', () => {
  it('GIVEN a bucket whose time line steps back an hour THEN it keeps refilling from there instead of stalling for the hour', () => {
    const bucket = new TokenBucket(1, 1 / 1000, 3_600_000);
    bucket.take(3_600_000);
    expect(bucket.delay(3_600_000)).toBe(1000);
    // The clock is set back one hour: no time passed, and one second later a token is back.
    expect(bucket.delay(0)).toBe(1000);
    expect(bucket.delay(1000)).toBe(0);
  });

  it('GIVEN the limiter the app builds (no injected clock) WHEN the system clock is set back one hour THEN sends continue at the configured rate', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-29T03:00:00Z') });
    // 250 ms per token: a stall of the loaded test machine between two lines must not refill it (20 ms did, at load 20).
    const limiter = new RateLimiter({ telegram: { perChat: { count: 1, perMs: 250 } } });
    const chat = tg('42');
    expect(await limiter.acquire(chat)).toBe(true);
    expect(limiter.delay(chat)).toBeGreaterThan(0);
    vi.setSystemTime(Date.parse('2026-03-29T02:00:00Z'));
    // Two refill periods of real time later (timers are real here), the chat's token is back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(limiter.delay(chat)).toBe(0);
    expect(await limiter.acquire(chat)).toBe(true);
  });
});
