/**
 * The outbox worker. Each chat's parts go strictly in order, one at a time; different chats go in
 * parallel up to `concurrency`. Every outcome is committed before that chat's next send: outcomes of
 * many chats share one transaction (group commit), and a chat waits for the commit that holds its
 * outcome, reading its next part in that same transaction.
 *
 * Crash window: nothing is written before a send; the part stays 'pending' until its outcome is
 * committed ('sent' together with its message id, one statement). If the process dies after the
 * platform accepted a message but before that commit, the row is still 'pending' and the part is sent
 * again at restart. A chat has at most one part in flight and no part is sent before the previous
 * one's outcome is committed, so a crash repeats at most one part per chat, however many outcomes the
 * lost batch held.
 *
 * Deadline: the worker owns the one deadline of a send (SEND_TIMEOUT). It passes the port an
 * AbortSignal that fires then and counts the send as transient at once; the port aborts its HTTP
 * request on it, so the send cannot still succeed after the part was retried. What remains is the
 * same window as a crash: a request the platform already processed before the abort (its answer
 * lost or late) is delivered, and the retry repeats that one part, at most once per deadline.
 *
 * Store faults: every write on the send path (outcomes, the start-up recovery, fixing a chat's hold)
 * goes through `HoldingCommit`. A write the store cannot take (locked by another process, disk full)
 * holds the chat, sending nothing, until it commits; no other chat starts meanwhile. A worker stopped
 * while a chat is held gives up its write: the crash window again, one part per chat.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import { reportError, type Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { ChatRef, DeliveryPort, PlatformName } from '../platform.js';
import type { Store } from '../store/index.js';
import { Deadlines } from './deadlines.js';
import { sendPart } from './send.js';
import { GroupCommit } from './group-commit.js';
import { recordOutcome } from './outcomes.js';
import type { RateLimiter } from './rate-limiter.js';
import { HoldingCommit } from './holding-commit.js';
import type { RetryPolicy } from './retry.js';

export interface WorkerDeps {
  store: Store;
  ports: ReadonlyMap<PlatformName, DeliveryPort>;
  limiter: RateLimiter;
  retry: RetryPolicy;
  clock: Clock;
  logger: Logger;
  /** Chats sending at once (default 32). */
  concurrency?: number;
  /** Most outcomes in one commit (default 256). */
  maxCommitBatch?: number;
  /**
   * How long a commit stays open for more outcomes (default 2 ms; 0: until the end of the event-loop
   * turn). Each chat waits this long at most before its next send; batches grow with it.
   */
  commitDelayMs?: number;
  /** A send with no answer after this long is aborted and counts as transient (SEND_TIMEOUT; default 30 s). */
  sendTimeoutMs?: number;
  /** Longest idle wait between looks at the outbox (default 60 s; enqueue wakes it sooner). */
  idlePollMs?: number;
  /** Backoff of a held chat's failed commit, jittered with `retry.random` (default 20 ms doubling to 5 s). */
  commitBackoff?: { baseMs: number; maxMs: number };
  /** Called after a subscription was paused or moved (the scheduler re-syncs its tasks). */
  onSubscriptionsChanged?: () => void;
  /**
   * Send only this chat's parts, and leave other chats' rows (even 'sending' ones) alone: for
   * `newsbot deliver`, a one-off process beside the bot's database.
   */
  only?: { platform: PlatformName; chatId: string };
  /** Told every recorded outcome (metrics, owner alerts). */
  observer?: OpsObserver;
  /** This instance's name on the chat leases it takes (see `Parts.claimChats`). */
  owner: string;
  /** How long a chat's lease lasts from its last renewal (default 60 s). */
  leaseMs?: number;
}

/** An abort reason; passing one spares building a DOMException per send. */
const SETTLED = 'settled';

const chatKey = (platform: string, chatId: string) => `${platform}\u0000${chatId}`;

export class Worker {
  readonly #d: Required<Omit<WorkerDeps, 'onSubscriptionsChanged' | 'only' | 'maxCommitBatch' | 'commitDelayMs' | 'observer'>> & Pick<WorkerDeps, 'onSubscriptionsChanged' | 'only' | 'observer'>;
  readonly #commits: GroupCommit;
  readonly #holding: HoldingCommit;
  readonly #deadlines: Deadlines;
  readonly #active = new Set<string>();
  readonly #runners = new Set<Promise<void>>();
  #queue: Array<{ platform: PlatformName; chatId: string }> = [];
  #wake = new AbortController();
  readonly #stop = new AbortController();
  #loop: Promise<void> | null = null;
  #idleWaiters: Array<() => void> = [];

  constructor(deps: WorkerDeps) {
    this.#d = { concurrency: 32, sendTimeoutMs: 30_000, idlePollMs: 60_000, commitBackoff: { baseMs: 20, maxMs: 5_000 }, ...deps };
    this.#commits = new GroupCommit(deps.store, {
      maxBatch: deps.maxCommitBatch ?? 256,
      delayMs: deps.commitDelayMs ?? 2,
      clock: this.#d.clock,
    });
    const { clock, logger, retry, commitBackoff: backoff } = this.#d;
    this.#holding = new HoldingCommit({
      commits: this.#commits,
      clock,
      logger,
      random: retry.random,
      backoff,
      stop: this.#stop.signal,
      onReleased: () => this.wake(),
    });
    this.#deadlines = new Deadlines(this.#d.clock, this.#d.sendTimeoutMs);
    // Every waiting runner listens on the stop signal; that is by design, not a leak.
    setMaxListeners(0, this.#stop.signal);
  }

  /** Puts parts an older newsbot left 'sending' back in line, then starts sending. */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#recover().then(() => this.#run());
  }

  /**
   * Nothing is sent before this write commits. It is tried at once (no wait on another connection's
   * lock); if the store cannot take it, it is held like a chat's write: sending starts late, no crash.
   */
  #recover(): Promise<void> {
    const { store, clock, logger, only } = this.#d;
    if (only) return Promise.resolve();
    const recover = () => store.parts.recoverInterrupted(clock.now());
    const report = (parts: number) => {
      if (parts > 0) logger.warn({ parts }, 'outbox: parts interrupted by a crash of an older newsbot will be sent again (at most one per chat)');
    };
    try {
      report(store.transaction(recover, { wait: false }));
      return Promise.resolve();
    } catch {
      return this.#holding.commit('', 'the parts an older newsbot left sending', { op: 'recover' }, recover).then((done) => {
        if (done) report(done.value);
      });
    }
  }

  /** New work was queued: look now instead of at the next poll. */
  wake(): void {
    this.#wake.abort(SETTLED);
  }

  /** Stops taking new parts, lets in-flight sends finish and record their outcome. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#commits.hurry();
    this.wake();
    await this.#loop;
    await Promise.all([...this.#runners]);
    this.#loop = null;
  }

  /** Resolves once nothing is in flight and no unsent part remains (tests, the CLI). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.wake();
    });
  }

  async #run(): Promise<void> {
    const { store, clock, ports, concurrency, idlePollMs } = this.#d;
    const platforms = [...ports.keys()];
    while (!this.#stop.signal.aborted) {
      const wake = this.#wake.signal;
      // Taken before the fill: a chat due by then is one the fill saw; one whose hold ends after it
      // counts as "next" below, so neither can be missed by the idle check (or wait a whole poll).
      const before = clock.now();
      try {
        this.#fill(platforms);
      } catch (err) {
        reportError(this.#d.logger, err, { op: 'outbox dispatch' });
      }
      let wait = idlePollMs;
      if (this.#active.size < concurrency) {
        const next = safe(() => this.#nextDue(platforms, before), null);
        if (next !== null) wait = Math.min(wait, next - clock.now());
        else if (this.#active.size === 0 && this.#queue.length === 0) this.#notifyIdle();
      }
      if (!wake.aborted) await clock.sleep(Math.max(0, wait), wake);
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
    }
    this.#notifyIdle();
  }

  /** Starts runners for due chats until `concurrency` are busy; refills its list in batches. */
  #fill(platforms: PlatformName[]): void {
    const { concurrency } = this.#d;
    if (this.#holding.holding) return;
    let refilled = false;
    while (this.#active.size < concurrency && !this.#stop.signal.aborted) {
      let next = this.#queue.shift();
      if (!next && !refilled) {
        refilled = true;
        const limit = Math.max(256, concurrency * 8) + this.#active.size;
        this.#queue = this.#dueChats(platforms, limit).filter((c) => !this.#active.has(chatKey(c.platform, c.chatId)));
        next = this.#queue.shift();
      }
      if (!next) return;
      if (this.#active.has(chatKey(next.platform, next.chatId))) continue;
      this.#spawn(next.platform, next.chatId);
    }
  }

  #dueChats(platforms: PlatformName[], limit: number): Array<{ platform: PlatformName; chatId: string }> {
    const { store, clock, only } = this.#d;
    if (!only) return store.parts.dueChats(platforms, clock.now(), limit);
    const head = store.parts.head(only.platform, only.chatId);
    return head && head.nextAttemptAt <= clock.now() ? [only] : [];
  }

  #nextDue(platforms: PlatformName[], after: number): number | null {
    const { store, only } = this.#d;
    if (!only) return store.parts.nextDueAfter(platforms, after);
    const at = store.parts.head(only.platform, only.chatId)?.nextAttemptAt ?? null;
    return at !== null && at > after ? at : null;
  }

  #spawn(platform: PlatformName, chatId: string): void {
    let key = chatKey(platform, chatId);
    this.#active.add(key);
    const runner = this.#runChat(platform, chatId, (to) => {
      const moved = chatKey(platform, to);
      if (this.#active.has(moved)) return false;
      this.#active.add(moved);
      this.#active.delete(key);
      key = moved;
      return true;
    }).finally(() => {
      this.#active.delete(key);
      this.#runners.delete(runner);
      this.wake();
    });
    this.#runners.add(runner);
  }

  /** Sends one chat's due parts in order until none is due, the chat waits, or the worker stops. */
  async #runChat(platform: PlatformName, startChatId: string, claim: (to: string) => boolean): Promise<void> {
    const { store, clock, ports, limiter, logger } = this.#d;
    let chatId = startChatId;
    try {
      let head = store.parts.head(platform, chatId);
      while (!this.#stop.signal.aborted) {
        const port = ports.get(platform);
        if (!head || !port) return;
        const key = chatKey(platform, chatId);
        const where = { platform, chatId, issueId: head.issueId, part: head.partIndex };
        const what = `part ${head.partIndex + 1}/${head.partCount} of issue ${head.issueId}`;
        if (head.nextAttemptAt > clock.now()) {
          // Keep "a chat is due when its head is" true even if rows were edited by hand.
          const early = head;
          await this.#holding.commit(key, `the hold of ${what}`, where, () =>
            store.parts.retryAt(early, early.nextAttemptAt, early.lastError ?? '', false, clock.now()),
          );
          return;
        }
        const chat: ChatRef = { platform, chatId, threadId: head.threadId };
        if (!(await limiter.acquire(chat, this.#stop.signal))) return;
        // From here the send runs to completion and its outcome is recorded, even when stopping.
        const sent = head;
        const outcome = await sendPart(port, chat, sent, this.#deadlines, this.#d.logger);
        // Resolves once committed (the chat held until then); its next part is read in the same transaction.
        const done = await this.#holding.commit(key, `the outcome of ${what}`, where, (later) => {
          const step = recordOutcome(this.#d, { ...sent, attempts: sent.attempts + 1 }, outcome, later);
          const nextChatId = step.next === 'move' ? step.chatId : chatId;
          return { step, next: step.next === 'stop' ? null : store.parts.head(platform, nextChatId) };
        });
        if (!done) return;
        const { step, next } = done.value;
        if (step.next === 'stop') return;
        if (step.next === 'move') {
          if (!claim(step.chatId)) return;
          chatId = step.chatId;
        }
        head = next;
      }
    } catch (err) {
      // A read failed (writes are held in HoldingCommit): nothing was sent since the last commit, so
      // the chat starts over from its committed head on a later pass.
      reportError(logger, err, { platform, chatId });
      await clock.sleep(1_000, this.#stop.signal);
    }
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function safe<T, F>(fn: () => T, fallback: F): T | F {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
