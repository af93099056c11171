/**
 * Work started and not yet settled, so stopping can wait for it: the router's commands, a chat
 * queue's tasks, an adapter's interactions. One tracker, used wherever a stop drains.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles (either way) and returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const done = () => void this.#pending.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves once nothing is in flight, including work tracked while it waits. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
