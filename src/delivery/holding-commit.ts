/**
 * "Hold the chat until its write commits." A send's outcome that cannot be recorded (the database
 * locked by another process, the disk full) must not lead to the part being sent again: the chat
 * waits, sending nothing, while its write is tried again with backoff, and goes on once it commits.
 * While any chat is held so, the worker starts no other chat (each would add a message the store
 * cannot record). The group commit never waits on another connection's lock (SQLite's busy wait
 * would block the event loop), so a locked database fails an attempt at once and the chat sleeps on
 * the injected clock between attempts. Failures are logged here, with the chat, issue and part.
 */
import type { Clock } from '../clock.js';
import { DeliveryError, type ErrorContext } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import { isStoreUnavailable, StoreError, type StoreTx } from '../store/index.js';
import type { GroupCommit } from './group-commit.js';
import { backoffMs } from './retry.js';

/** Collects a write's effects that are not writes (log lines, penalties), run once it has committed. */
export type Later = (effect: () => void) => void;

export interface HoldingCommitDeps {
  commits: GroupCommit;
  /** Only its sleep: waits are durations on timers (monotonic), never read off the wall clock. */
  clock: Pick<Clock, 'sleep'>;
  logger: Logger;
  /** Jitter of the backoff: uniform in [0, 1). */
  random: () => number;
  /** First and longest wait between attempts (full jitter, never under `baseMs`). */
  backoff: { baseMs: number; maxMs: number };
  /** Aborted when the worker stops: a held write gets one last try, then is given up. */
  stop: AbortSignal;
  /** The last held chat was released: due chats may start again. */
  onReleased: () => void;
}

export class HoldingCommit {
  readonly #held = new Set<string>();

  constructor(private readonly d: HoldingCommitDeps) {}

  /** True while some chat waits for the store (the worker then starts no new chat). */
  get holding(): boolean {
    return this.#held.size > 0;
  }

  /**
   * Runs `write` in the group commit (on its transaction handle `tx`), then its `later` effects. Until it commits, `key` (a chat) is
   * held and each failure is tried again after a backoff, logged at attempts 1, 2, 4, 8… Resolves
   * null when the worker stopped before the write committed.
   */
  async commit<T>(key: string, what: string, where: ErrorContext, write: (tx: StoreTx, later: Later) => Promise<T>): Promise<{ value: T } | null> {
    const { commits, clock, logger, stop } = this.d;
    for (let attempt = 1; ; attempt++) {
      const effects: Array<() => void> = [];
      try {
        const value = await commits.run((tx) => write(tx, (effect) => effects.push(effect)));
        if (attempt > 1) logger.info({ ...where, attempts: attempt }, `outbox: ${what} committed after ${attempt} attempts; the chat goes on`);
        this.#release(key);
        for (const effect of effects) effect();
        return { value };
      } catch (err) {
        // A write that is wrong (a bug) holds only its own chat; an unavailable store holds them all.
        if (isStoreUnavailable(err)) this.#held.add(key);
        const stopping = stop.aborted;
        const waitMs = this.#backoff(attempt);
        if (stopping || (attempt & (attempt - 1)) === 0) {
          const then = stopping
            ? 'stopping without it: the next start does it again (a part sent at most once more per chat)'
            : `nothing more is sent to this chat until it commits; next try in ${waitMs} ms`;
          const reason = err instanceof Error ? err.message : String(err);
          const code = storeCode(err);
          reportError(logger, new DeliveryError(`outbox: recording ${what} failed (${reason}); ${then}`, { ...where, attempt, ...code }, { cause: err }));
        }
        if (stopping) {
          this.#release(key);
          return null;
        }
        await clock.sleep(waitMs, stop);
      }
    }
  }

  #backoff(attempt: number): number {
    const { backoff, random } = this.d;
    return Math.max(backoff.baseMs, backoffMs(attempt, { ...backoff, random }));
  }

  #release(key: string): void {
    if (this.#held.delete(key) && this.#held.size === 0) this.d.onReleased();
  }
}

/** The store's own error code (SQLITE_FULL, a PostgreSQL SQLSTATE) of `err` or what caused it. */
function storeCode(err: unknown): { code?: unknown } {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof StoreError && e.context.code !== undefined) return { code: e.context.code };
  }
  return {};
}
