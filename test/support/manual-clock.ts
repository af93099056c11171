/** A clock that moves only when the test says so, for polling loops (the role keeper). */
import type { Clock } from '../../src/clock.js';

interface Sleeper {
  wakeAt: number;
  wake: () => void;
}

/** Time stands still until `advance(ms)`, which wakes every sleep due by then. */
export class ManualClock implements Clock {
  #t = 0;
  readonly #sleepers = new Set<Sleeper>();

  now = (): number => this.#t;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        wakeAt: this.#t + ms,
        wake: () => {
          this.#sleepers.delete(sleeper);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /** Sleeps waiting now. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** Moves time forward and wakes the sleeps due. */
  advance(ms: number): void {
    this.#t += ms;
    for (const s of [...this.#sleepers]) if (s.wakeAt <= this.#t) s.wake();
  }
}
