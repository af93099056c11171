/**
 * The work updates start, run per chat in arrival order and never awaited by telegraf: telegraf
 * holds the next getUpdates (and a webhook POST) until every handler of a batch returns, so one
 * slow reply (a 429 wait, a hung socket, a slow getChatMember) would otherwise hold every chat.
 * What is in flight is tracked, so stopping can let it finish.
 */
import { InFlight } from '../../src/in-flight.js';

interface ChatQueue {
  /** Runs `task` after the tasks queued earlier under the same key; returns at once. */
  run(key: string, task: () => Promise<void>): void;
  /** Resolves once nothing is queued or running (including tasks queued meanwhile). */
  idle(): Promise<void>;
}

/** `onError` (which must not throw) gets whatever a task throws; the key's later tasks run regardless. */
export function createChatQueue(onError: (err: unknown, key: string) => void): ChatQueue {
  const tails = new Map<string, Promise<void>>();
  const inFlight = new InFlight();
  return {
    run(key, task) {
      const done = (tails.get(key) ?? Promise.resolve()).then(task).catch((err: unknown) => onError(err, key));
      tails.set(key, done);
      void inFlight.track(done).then(() => {
        if (tails.get(key) === done) tails.delete(key);
      });
    },
    idle: () => inFlight.drain(),
  };
}
