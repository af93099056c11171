import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/in-flight.js';

/** A promise the test settles by hand. */
function held<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('GIVEN tracked work WHEN draining THEN it waits for that work and for work tracked meanwhile, and a rejection neither escapes nor blocks', async () => {
    const inFlight = new InFlight();
    const first = held<string>();
    const failing = held<string>();
    const later = held<string>();
    expect(inFlight.track(first.promise)).toBe(first.promise);
    inFlight.track(failing.promise).catch(() => undefined);
    expect(inFlight.size).toBe(2);

    let drained = false;
    const drain = inFlight.drain().then(() => (drained = true));
    first.resolve('a');
    failing.reject(new Error('boom'));
    inFlight.track(later.promise);
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    later.resolve('c');
    await drain;
    expect(drained).toBe(true);
    expect(inFlight.size).toBe(0);
  });
});
