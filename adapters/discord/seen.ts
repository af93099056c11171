/**
 * Interaction ids this instance has taken, for as long as their token lives (15 minutes), so a
 * second delivery of the same interaction is not answered again.
 *
 * In memory on purpose: Discord POSTs each interaction once, to one URL, and the load balancer
 * hands that request to one instance; a duplicate comes from something retrying that request
 * (a proxy, a client) and reaches the same instance well within the token's life. After the
 * 15 minutes no answer is possible any more, so nothing needs to outlive them, nor a restart.
 */
export const INTERACTION_TOKEN_LIFE_MS = 15 * 60_000;

export class SeenInteractions {
  /** id → when it may be forgotten (monotonic ms); insertion order is expiry order. */
  readonly #expires = new Map<string, number>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly lifeMs = INTERACTION_TOKEN_LIFE_MS,
    /** A flood of distinct ids cannot grow it past this; the oldest are forgotten first. */
    private readonly maxEntries = 100_000,
  ) {}

  /** True the first time `id` is offered within its life; false for a repeat. */
  firstTime(id: string): boolean {
    const t = this.now();
    for (const [old, expires] of this.#expires) {
      if (expires > t && this.#expires.size < this.maxEntries) break;
      this.#expires.delete(old);
    }
    if (this.#expires.has(id)) return false;
    this.#expires.set(id, t + this.lifeMs);
    return true;
  }

  get size(): number {
    return this.#expires.size;
  }
}
