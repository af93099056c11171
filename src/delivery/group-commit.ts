/**
 * Group commit: many chats' outcomes recorded in one transaction. A commit costs far more than the
 * few row updates an outcome needs, and at thousands of sends a second one commit per outcome was the
 * outbox's largest cost. Each caller still waits for its own work to be committed: `run` resolves
 * only after the COMMIT that holds it, so a chat that awaits it sends its next part only once its
 * previous outcome is durable.
 *
 * A batch closes `delayMs` after its first call (0: at the end of the current turn of the event loop,
 * so it holds every answer that arrived in the same poll) or when `maxBatch` calls wait, whichever is
 * first. Each call runs in its own savepoint, one after the other (a transaction's queries go one at a
 * time on its connection), so one that throws is rolled back and rejected alone. A batch that closes
 * while the previous one is still committing waits for it (the store runs transactions in turn on
 * SQLite; on PostgreSQL the two run on two connections).
 *
 * A store that cannot take the write (locked by another connection, disk full, I/O error: see
 * `isStoreUnavailable`) fails the whole batch instead: nothing of it is kept, every caller is rejected
 * and may try again. (After such an error SQLite may already have rolled the transaction back, so the
 * calls after it must not run.) The commit never waits for another connection's lock: SQLite's busy
 * wait would block the event loop, so a locked database fails the batch at once (SQLITE_BUSY).
 */
import type { Clock } from '../clock.js';
import { isStoreUnavailable, type Store, type StoreTx } from '../store/index.js';

/** What the group commit needs of the store: a transaction whose handle opens savepoints. */
export type Transactional = Pick<Store, 'transaction'>;

/** One caller's writes: run in its own savepoint of the batch's transaction. */
export type TxWork<T> = (tx: StoreTx) => Promise<T>;

interface Pending {
  fn: TxWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Most calls in one transaction (default 256). */
  maxBatch?: number;
  /** How long a batch stays open after its first call (default 0: until the end of this turn). */
  delayMs?: number;
  /** For `delayMs` (default: setTimeout). */
  clock?: Clock;
}

export class GroupCommit {
  #batch: Pending[] = [];
  #timer = false;
  #immediate = false;
  #hurry = false;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #clock: Clock | undefined;

  constructor(private readonly store: Transactional, options: GroupCommitOptions = {}) {
    this.#maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.#delayMs = Math.max(0, options.delayMs ?? 0);
    this.#clock = options.clock;
  }

  /** From now on a batch closes at the end of the turn, never waiting `delayMs` (the worker is stopping). */
  hurry(): void {
    this.#hurry = true;
    if (this.#batch.length > 0) this.#closeAtEndOfTurn();
  }

  #closeAtEndOfTurn(): void {
    if (this.#immediate) return;
    this.#immediate = true;
    setImmediate(() => {
      this.#immediate = false;
      void this.flush();
    });
  }

  /** Calls waiting for the next commit. */
  get waiting(): number {
    return this.#batch.length;
  }

  /**
   * Runs `fn` inside the next group transaction; resolves with its result once that transaction has
   * committed, rejects if `fn` throws (its own writes rolled back) or the batch fails (all rolled back).
   */
  run<T>(fn: TxWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#batch.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#batch.length >= this.#maxBatch) void this.flush();
      else if (this.#delayMs === 0 || this.#hurry || !this.#clock) this.#closeAtEndOfTurn();
      else if (!this.#timer) {
        this.#timer = true;
        void this.#clock.sleep(this.#delayMs).then(() => {
          this.#timer = false;
          void this.flush();
        });
      }
    });
  }

  /**
   * Commits what is waiting now (also called when a batch is full); resolves once it has been
   * committed or failed, every caller settled. Never rejects.
   */
  async flush(): Promise<void> {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    let settled: Settled[];
    try {
      settled = await this.store.transaction(async (tx) => {
        const out: Settled[] = [];
        for (const p of batch) {
          try {
            out.push({ ok: true, value: await tx.transaction(p.fn) });
          } catch (error) {
            // Unavailable (SQLite may have dropped the transaction): the calls after it would run outside it.
            if (isStoreUnavailable(error)) throw error;
            out.push({ ok: false, error });
          }
        }
        return out;
      }, { wait: false });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const s = settled[i] as Settled;
      if (s.ok) p.resolve(s.value);
      else p.reject(s.error);
    });
  }
}
