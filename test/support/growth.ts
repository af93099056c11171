/**
 * How a function's running time grows with its input, as a ratio of times measured in the same
 * process (never an absolute timing): t(4n) / t(n) is about 4 for linear work and 16 for quadratic.
 */

/** The fastest per-call time of `fn` over `rounds` rounds, each repeating it for at least `minMs`. */
export function fastestPerCall(fn: () => unknown, rounds = 5, minMs = 15): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

/** t(4n) / t(n) for `run(make(n))`, after a warm-up at the small size. */
export function growthRatio<T>(make: (n: number) => T, run: (input: T) => unknown, n: number): number {
  const small = make(n);
  const large = make(4 * n);
  run(small); // warm-up: compile the code paths before timing
  run(large);
  const t1 = fastestPerCall(() => run(small));
  const t4 = fastestPerCall(() => run(large));
  return t4 / t1;
}
