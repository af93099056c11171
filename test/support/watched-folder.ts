/**
 * Helpers for tests of a watched issues folder: a clock that holds the settle waits until the test
 * releases them, and polling (never fixed sleeps) for what the watcher does.
 */
import type { Clock } from '../../src/clock.js';
import type { IssueLibrary } from '../../src/library/library.js';

/** A clock whose sleeps end only when the test releases them (or their signal aborts). */
export class HeldClock implements Clock {
  private readonly sleepers = new Set<() => void>();
  /** Sleeps asked for so far. */
  asked = 0;
  now = (): number => Date.now();
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    this.asked++;
    return new Promise((resolve) => {
      const done = (): void => {
        this.sleepers.delete(done);
        resolve();
      };
      if (signal?.aborted) return resolve();
      this.sleepers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
  /** Sleeps waiting now. */
  get pending(): number {
    return this.sleepers.size;
  }
  release(): void {
    for (const done of [...this.sleepers]) done();
  }
}

/** Polls `condition` until it holds; fails after 15 s so a missed event cannot hang the suite. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the library has applied every change seen so far, releasing settle waits as they come. */
export async function drain(library: IssueLibrary, clock: HeldClock): Promise<void> {
  let done = false;
  void library.settled().then(() => (done = true));
  await until(() => {
    clock.release();
    return done;
  }, 'the library to settle');
}

