import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { Deadlines } from '../../src/delivery/deadlines.js';

describe('send deadlines', () => {
  afterEach(() => vi.useRealTimers());

  it('GIVEN sends started at different times THEN each one not settled expires timeoutMs after its start, in order, and a settled one never does', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const deadlines = new Deadlines(systemClock, 1_000);
    const expired: Array<[string, number]> = [];
    const start = (name: string) => deadlines.start(() => expired.push([name, Date.now()]));
    start('a');
    await vi.advanceTimersByTimeAsync(10);
    const settleB = start('b');
    await vi.advanceTimersByTimeAsync(10);
    start('c');
    settleB();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(expired).toEqual([
      ['a', 1_000],
      ['c', 1_020],
    ]);
    // Nothing in flight: no timer is left behind.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('GIVEN every send answered in time THEN nothing expires and the one timer is dropped once none is in flight', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const deadlines = new Deadlines(systemClock, 1_000);
    const expired: string[] = [];
    const settles = ['a', 'b', 'c'].map((name) => deadlines.start(() => expired.push(name)));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    for (const settle of settles) settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    // A send started after the queue emptied gets a deadline of its own.
    deadlines.start(() => expired.push('d'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(expired).toEqual(['d']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
