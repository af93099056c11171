import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/delivery/retry.js';

describe('backoff', () => {
  const policy = (r: number) => ({ baseMs: 1000, maxMs: 30_000, random: () => r });

  it('GIVEN the top of the jitter range THEN the wait doubles per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, policy(0.999999)))).toEqual([999, 1999, 3999, 7999, 15999, 29999, 29999]);
  });

  it('GIVEN full jitter THEN the wait is uniform between 0 and the ceiling', () => {
    expect(backoffMs(3, policy(0))).toBe(0);
    expect(backoffMs(3, policy(0.5))).toBe(2000);
  });
});
