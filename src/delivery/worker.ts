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
 * Leases (leases.ts): a chat is sent only under its lease, taken when the worker picks it
 * (`claimChats`), renewed by every committed outcome in the same transaction, given back when its
 * runner ends. Several instances (or the bot and `newsbot deliver`) thus never send one chat at once,
 * and a dead instance's chats go to another once its leases lapse. A renewal that finds the lease
 * lost (this instance stalled past it) stops that chat at once; a delivered part is still recorded
 * (any other outcome is dropped: the chat's new sender owns its parts now).
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
import { isStoreUnavailable, type ChatId, type Store } from '../store/index.js';
import { chatKey, runChat, type Claimed, type RunnerContext } from './chat-runner.js';
import { Deadlines } from './deadlines.js';
import { GroupCommit } from './group-commit.js';
import { ChatLeases, DEFAULT_LEASE_MS } from './leases.js';
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
   * Send only this chat's parts, and leave other chats' rows alone: for `newsbot deliver`, a one-off
   * process beside the bot's database. It takes the chat's lease too, so it never sends a chat the bot is sending.
   */
  only?: ChatId;
  /** Told every recorded outcome (metrics, owner alerts). */
  observer?: OpsObserver;
  /** This instance's name on the chat leases it takes (see `Parts.claimChats`). */
  owner: string;
  /** How long a chat's lease lasts from its last renewal (default 60 s). */
  leaseMs?: number;
}

type Settings = Required<Omit<WorkerDeps, 'onSubscriptionsChanged' | 'only' | 'maxCommitBatch' | 'commitDelayMs' | 'observer' | 'leaseMs'>> &
  Pick<WorkerDeps, 'onSubscriptionsChanged' | 'only' | 'observer'>;

/** An abort reason; passing one spares building a DOMException per send. */
const SETTLED = 'settled';

export class Worker {
  readonly #d: Settings;
  readonly #commits: GroupCommit;
  readonly #holding: HoldingCommit;
  readonly #deadlines: Deadlines;
  readonly #leases: ChatLeases;
  /** What each chat's run uses (chat-runner.ts). */
  readonly #runner: RunnerContext;
  readonly #active = new Set<string>();
  readonly #runners = new Set<Promise<void>>();
  #queue: Claimed[] = [];
  #wake = new AbortController();
  readonly #stop = new AbortController();
  #loop: Promise<void> | null = null;
  #idleWaiters: Array<() => void> = [];
  /** Claims that failed in a row (the store unavailable): logged at 1, 2, 4, 8… */
  #claimFailures = 0;

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
    this.#leases = new ChatLeases({ store: deps.store, clock, logger, owner: deps.owner, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS });
    this.#runner = { ...this.#d, holding: this.#holding, leases: this.#leases, deadlines: this.#deadlines, stop: this.#stop.signal };
    // Every waiting runner listens on the stop signal; that is by design, not a leak.
    setMaxListeners(0, this.#stop.signal);
  }

  /** Frees a dead local predecessor's leases, puts parts an older newsbot left 'sending' back in line, then starts sending. */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#recover().then(() => this.#run());
  }

  /**
   * Nothing is sent before this write commits. It is tried at once (no wait on another connection's
   * lock); if the store cannot take it, it is held like a chat's write: sending starts late, no crash.
   */
  async #recover(): Promise<void> {
    const { store, clock, logger, only } = this.#d;
    if (only) return;
    await this.#leases.freeDeadLocal();
    const report = (parts: number) => {
      if (parts > 0) logger.warn({ parts }, 'outbox: parts interrupted by a crash of an older newsbot will be sent again (at most one per chat)');
    };
    try {
      report(await store.transaction((tx) => tx.parts.recoverInterrupted(clock.now()), { wait: false }));
    } catch {
      const done = await this.#holding.commit('', 'the parts an older newsbot left sending', { op: 'recover' }, (tx) => tx.parts.recoverInterrupted(clock.now()));
      if (done) report(done.value);
    }
  }

  /** New work was queued: look now instead of at the next poll. */
  wake(): void {
    this.#wake.abort(SETTLED);
  }

  /** Stops taking new parts, lets in-flight sends finish and record their outcome, gives the leases back. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#commits.hurry();
    this.wake();
    await this.#loop;
    await Promise.all([...this.#runners]);
    const waiting = this.#queue;
    this.#queue = [];
    for (const chat of waiting) await this.#leases.release(chat);
    this.#loop = null;
  }

  /** Resolves once nothing is in flight and no unsent part remains that this worker could take (tests, the CLI). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.wake();
    });
  }

  async #run(): Promise<void> {
    const { clock, ports, concurrency, idlePollMs } = this.#d;
    const platforms = [...ports.keys()];
    while (!this.#stop.signal.aborted) {
      const wake = this.#wake.signal;
      // Taken before the fill: a chat due by then is one the fill saw; one whose hold ends after it
      // counts as "next" below, so neither can be missed by the idle check (or wait a whole poll).
      const before = clock.now();
      let elsewhere = false;
      let wait = idlePollMs;
      try {
        elsewhere = await this.#fill(platforms);
        this.#claimFailures = 0;
      } catch (err) {
        this.#claimFailed(err);
        wait = 250;
      }
      if (this.#active.size < concurrency) {
        const next = await safe(() => this.#nextDue(platforms, before), null);
        if (next !== null) wait = Math.min(wait, next - clock.now());
        // Due chats another holds: look again soon, as their holder may be dead and its leases lapse.
        if (elsewhere) wait = Math.min(wait, this.#leases.recheckMs);
        else if (next === null && this.#active.size === 0 && this.#queue.length === 0 && wait === idlePollMs) this.#notifyIdle();
      }
      if (!wake.aborted) await clock.sleep(Math.max(0, wait), wake);
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
    }
    this.#notifyIdle();
  }

  /**
   * Starts runners for due chats until `concurrency` are busy, leasing a batch at a time. Returns
   * true when due chats were left because others hold them.
   */
  async #fill(platforms: PlatformName[]): Promise<boolean> {
    const { concurrency } = this.#d;
    if (this.#holding.holding) return false;
    let claimed = false;
    let elsewhere = false;
    while (this.#active.size < concurrency && !this.#stop.signal.aborted) {
      let next = this.#queue.shift();
      if (!next && !claimed) {
        claimed = true;
        ({ chats: this.#queue, elsewhere } = await this.#claim(platforms));
        next = this.#queue.shift();
      }
      if (!next) return elsewhere;
      if (this.#active.has(chatKey(next.platform, next.chatId))) continue;
      this.#spawn(next);
    }
    return elsewhere;
  }

  /** Leases due chats (ours already running left out); for `only`, its one chat when due. */
  async #claim(platforms: PlatformName[]): Promise<{ chats: Claimed[]; elsewhere: boolean }> {
    const { store, clock, only, concurrency } = this.#d;
    const at = clock.now();
    if (only) {
      const head = await store.parts.head(only.platform, only.chatId);
      if (!head || head.nextAttemptAt > at || this.#active.has(chatKey(only.platform, only.chatId))) return { chats: [], elsewhere: false };
      const mine = await this.#leases.claimOne(only);
      return { chats: mine ? [{ ...only, at }] : [], elsewhere: !mine };
    }
    // Running chats are due too and come back renewed: ask for that many more.
    const leased = await store.transaction(async (tx) => this.#leases.claimIn(tx, platforms, concurrency + this.#active.size), { wait: false });
    const chats = leased.filter((c) => !this.#active.has(chatKey(c.platform, c.chatId))).map((c) => ({ ...c, at }));
    if (chats.length > 0) return { chats, elsewhere: false };
    const due = await store.parts.dueChats(platforms, at, this.#active.size + 1);
    return { chats, elsewhere: due.some((c) => !this.#active.has(chatKey(c.platform, c.chatId))) };
  }

  #claimFailed(err: unknown): void {
    const n = ++this.#claimFailures;
    if ((n & (n - 1)) !== 0) return;
    if (isStoreUnavailable(err)) this.#d.logger.warn({ attempts: n, err: err instanceof Error ? err.message : String(err) }, 'outbox: cannot lease chats now (store unavailable); trying again');
    else reportError(this.#d.logger, err, { op: 'outbox dispatch' });
  }

  #nextDue(platforms: PlatformName[], after: number): Promise<number | null> | number | null {
    const { store, only } = this.#d;
    if (!only) return store.parts.nextDueAfter(platforms, after);
    return store.parts.head(only.platform, only.chatId).then((head) => {
      const at = head?.nextAttemptAt ?? null;
      return at !== null && at > after ? at : null;
    });
  }

  #spawn(chat: Claimed): void {
    const { platform } = chat;
    let key = chatKey(platform, chat.chatId);
    this.#active.add(key);
    const runner = runChat(this.#runner, chat, (to) => {
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

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

async function safe<T, F>(fn: () => Promise<T> | T, fallback: F): Promise<T | F> {
  try {
    return await fn();
  } catch {
    return fallback;
  }
}
