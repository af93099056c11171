/**
 * Send deadlines without a timer per send. Every send gets the same timeout, so deadlines fall due
 * in the order the sends started: one timer waits for the oldest one still pending. (A timer per
 * send cost more than the outbox's own work per message at thousands of sends per second; the worker
 * does hand each send an AbortController's signal, but aborts it only when its deadline expires.)
 * The timer is dropped whenever nothing is in flight, so an idle worker holds no timer.
 */
import type { Clock } from '../clock.js';

/** An abort reason; passing one spares building a DOMException each time the queue empties. */
const IDLE = 'idle';
const NOTHING = (): void => undefined;

interface Entry {
  at: number;
  expire: () => void;
  done: boolean;
}

/** Settles one deadline: call when the send answered, before `expire` could run. */
export type Settle = () => void;

export class Deadlines {
  readonly #queue: Entry[] = [];
  #first = 0;
  #pending = 0;
  #wake: AbortController | null = null;

  constructor(private readonly clock: Clock, readonly timeoutMs: number) {}

  /** Calls `expire` once `timeoutMs` pass unless the returned function is called first. */
  start(expire: () => void): Settle {
    const entry: Entry = { at: this.clock.now() + this.timeoutMs, expire, done: false };
    this.#queue.push(entry);
    this.#pending++;
    if (!this.#wake) void this.#watch();
    return () => this.#settle(entry);
  }

  #settle(entry: Entry): void {
    if (entry.done) return;
    entry.done = true;
    entry.expire = NOTHING; // let go of the send's closure now, not when its deadline would have come
    if (--this.#pending === 0) {
      this.#queue.length = 0;
      this.#first = 0;
      this.#wake?.abort(IDLE);
      return;
    }
    // Sends mostly answer in the order they started: drop settled ones from the front as they go.
    while ((this.#queue[this.#first] as Entry).done) this.#first++;
    if (this.#first >= 1024 && this.#first * 2 >= this.#queue.length) {
      this.#queue.splice(0, this.#first);
      this.#first = 0;
    }
  }

  async #watch(): Promise<void> {
    let wake = (this.#wake = new AbortController());
    while (this.#pending > 0) {
      // The front entry is never a settled one (#settle moves past those), and pending > 0.
      const entry = this.#queue[this.#first];
      if (!entry) break;
      const wait = entry.at - this.clock.now();
      if (wait > 0) {
        // Aborted when the queue emptied; a send started since then needs a fresh one.
        if (wake.signal.aborted) wake = this.#wake = new AbortController();
        await this.clock.sleep(wait, wake.signal);
        continue;
      }
      const expire = entry.expire;
      this.#settle(entry);
      expire();
    }
    this.#wake = null;
  }
}

/**
 * A send's one deadline as a port sees it: the caller's signal (the outbox's, at SEND_TIMEOUT), or,
 * only when the caller gave none (`newsbot deliver --dry-run`, tests), one that aborts with
 * `reason()` after `timeoutMs`. Call `done()` once the send settled.
 */
export function sendDeadline(given: AbortSignal | undefined, timeoutMs: number, reason?: () => unknown): { signal: AbortSignal; own: boolean; done: () => void } {
  if (given) return { signal: given, own: false, done: NOTHING };
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(reason?.()), timeoutMs);
  return { signal: own.signal, own: true, done: () => clearTimeout(timer) };
}
