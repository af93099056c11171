import { describe, expect, it } from 'vitest';
import { RateLimiter, sendsInFlightFor } from '../../src/delivery/rate-limiter.js';
import type { ChatRef } from '../../src/platform.js';
import { steppingClock, tg } from '../support/stepping-clock.js';


describe('rate limiter', () => {
  it('GIVEN a global 30/1s bucket THEN 30 sends go at once and the 31st waits about 1/30 s', () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ telegram: { global: { count: 30, perMs: 1000 } } }, clock);
    for (let i = 0; i < 30; i++) {
      expect(limiter.delay(tg(String(i)))).toBe(0);
      limiter.take(tg(String(i)));
    }
    expect(limiter.delay(tg('x'))).toBe(34);
  });

  it('GIVEN a 429 THEN penalize drops the global burst so the next send waits a refill', () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ discord: { global: { count: 50, perMs: 1000 } } }, clock);
    const ch: ChatRef = { platform: 'discord', chatId: '1', threadId: null };
    expect(limiter.delay(ch)).toBe(0);
    limiter.penalize('discord');
    expect(limiter.delay(ch)).toBe(20);
  });

  it('GIVEN an aborted signal THEN acquire gives up without taking a token', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ telegram: { perChat: { count: 1, perMs: 1000 } } }, clock);
    const controller = new AbortController();
    controller.abort();
    expect(await limiter.acquire(tg('1'), controller.signal)).toBe(false);
    expect(limiter.delay(tg('1'))).toBe(0);
  });

  it('GIVEN senders queued on the global bucket and a coarse timer THEN they go first come, first served, and each wake grants every token accrued, so the rate holds', async () => {
    // A timer that never fires sooner than 4 ms, like setTimeout on a busy machine; time moves when it fires.
    const clock = steppingClock();
    let wakes = 0;
    clock.sleep = (ms: number) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          wakes++;
          clock.t += Math.max(ms, 4);
          resolve();
        }),
      );
    const limiter = new RateLimiter({ telegram: { global: { count: 10, perMs: 10 } } }, clock);
    const order: string[] = [];
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        limiter.acquire(tg(String(i))).then(() => {
          order.push(String(i));
          at.push(clock.t);
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    // 10 from the burst at once, then 1 per ms: the 50th goes at 40 ms (plus at most one late wake).
    expect(at.slice(0, 10).every((t) => t === 0)).toBe(true);
    expect(at[49]).toBeGreaterThanOrEqual(40);
    expect(at[49]).toBeLessThanOrEqual(44);
    expect(wakes).toBeLessThanOrEqual(11);
  });

  it('GIVEN a queued sender whose signal aborts THEN it gets false without taking a token, and the next in line goes', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ telegram: { global: { count: 1, perMs: 100 } } }, clock);
    expect(await limiter.acquire(tg('1'))).toBe(true);
    const controller = new AbortController();
    const second = limiter.acquire(tg('2'), controller.signal);
    const third = limiter.acquire(tg('3')).then((ok) => ({ ok, t: clock.t }));
    controller.abort();
    expect(await second).toBe(false);
    expect(await third).toEqual({ ok: true, t: 100 });
    // One token was spent since, not two.
    expect(limiter.delay(tg('4'))).toBe(100);
  });

  it('GIVEN no platform limits THEN the floor of 32 chats at once applies', () => {
    expect(sendsInFlightFor({})).toBe(32);
  });

  it('GIVEN a platform without limits THEN sends never wait', () => {
    const limiter = new RateLimiter({}, steppingClock());
    for (let i = 0; i < 100; i++) limiter.take({ platform: 'shell', chatId: 'me', threadId: null });
    expect(limiter.delay({ platform: 'shell', chatId: 'me', threadId: null })).toBe(0);
  });
});
