/**
 * The parts behind the delivery facade, wired together once: the store, the ports by platform, the
 * outbox, the worker and the scheduler. Only `Delivery` (and tests that look inside it) use this.
 */
import { monotonicClock, systemClock, type Clock } from '../clock.js';
import type { DigestBuilder } from '../digest/builder.js';
import type { Issue } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { DeliveryPort, PlatformName } from '../platform.js';
import { Scheduler, type IssueFeed } from '../schedule/scheduler.js';
import type { Store, StoreTx, Subscription } from '../store/index.js';
import { Alerts, type AlertFeed } from './alerts.js';
import { PROCESS_OWNER } from './leases.js';
import { Outbox, type EnqueueResult, type OutboxTarget } from './outbox.js';
import { sendsInFlightFor, type RateLimiter } from './rate-limiter.js';
import { rateLimiterFor } from './shared-rate.js';
import { DEFAULT_RETRY } from './retry.js';
import type { DeliverySettings } from './settings.js';
import { Worker } from './worker.js';

export interface DeliveryDeps extends DeliverySettings {
  store: Store;
  issues: IssueFeed;
  /** The core's digest builder. */
  digests: DigestBuilder;
  logger: Logger;
  /** Ports known up front (`newsbot deliver`, tests); the app attaches its adapters' ports at start. */
  ports?: readonly DeliveryPort[];
  /**
   * The platforms expected to deliver once started, so commands arriving while the adapters start
   * are not told that their chat cannot receive posts.
   */
  platforms?: readonly PlatformName[];
  clock?: Clock;
  /** Jitter source for retries (default Math.random). */
  random?: () => number;
  /** Chats sending at once (default: enough for the fastest global rate, at least 32; `sendsInFlightFor`). */
  concurrency?: number;
  /** Backoff shape for transient failures (default 2 s doubling, at most 10 min). */
  backoff?: { baseMs: number; maxMs: number };
  /** The platform rate limiter shared with the chat adapters' replies (default: its own, from `rates`). */
  limiter?: RateLimiter;
  /** Close the store on close() (true when the facade opened it). */
  ownsStore?: boolean;
  /** Told outcomes, 429 waits and scheduled runs (metrics, owner alerts). */
  observer?: OpsObserver;
  /** This instance's name on the chat leases it holds (default: the cluster's, else host:pid:random). */
  owner?: string;
}

export interface DeliveryParts {
  readonly store: Store;
  /** The ports by platform: filled from `deps.ports`, then by `Delivery.start`. */
  readonly ports: Map<PlatformName, DeliveryPort>;
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  readonly worker: Worker;
  /** Saved-search alerts on new and edited issue files (alerts.ts). */
  readonly alerts: Alerts;
  readonly clock: Clock;
  /** A worker of its own for one chat's parts (`Delivery.sendNow`); other chats' rows are left alone. */
  workerFor(chat: { platform: PlatformName; chatId: string }): Worker;
  /** Queues `issue` for the targets and wakes the worker. */
  queue(issue: Issue, targets: readonly OutboxTarget[], reopen: boolean): Promise<EnqueueResult>;
}


/** Builds the parts; nothing starts until `worker.start()` and `scheduler.start()`. */
export function wireDelivery(deps: DeliveryDeps): DeliveryParts {
  const { store, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const ports = new Map<PlatformName, DeliveryPort>();
  for (const port of deps.ports ?? []) ports.set(port.platform, port);
  // An injected clock (tests) drives the buckets too; otherwise they run on the monotonic clock.
  const limiter = deps.limiter ?? rateLimiterFor(deps.rates, deps.clock ?? monotonicClock, deps.observer, store.cluster, logger);
  const outbox = new Outbox({ store, ports, digests: deps.digests, clock, logger });
  const owner = deps.owner ?? store.cluster?.instance ?? PROCESS_OWNER;
  let scheduler: Scheduler | null = null;
  const makeWorker = (only?: { platform: PlatformName; chatId: string }) =>
    new Worker({
      store,
      ports,
      clock,
      logger,
      limiter,
      retry: { ...DEFAULT_RETRY, ...deps.backoff, maxAttempts: deps.maxAttempts, random: deps.random ?? Math.random },
      sendTimeoutMs: deps.sendTimeoutMs,
      concurrency: deps.concurrency ?? sendsInFlightFor(deps.rates),
      // `newsbot deliver` in the bot's own process (tests) must not share the bot's leases.
      owner: only ? `${owner}/deliver` : owner,
      ...(deps.leaseMs !== undefined ? { leaseMs: deps.leaseMs } : {}),
      // On a shared store another instance queues work too (its /broadcast, its scheduler's run) and
      // never wakes this one: look as often as for lapsed leases, not once a minute (issue 14 e2e).
      ...(store.cluster ? { idlePollMs: Math.max(1_000, Math.round((deps.leaseMs ?? 60_000) / 10)) } : {}),
      ...(only ? { only } : {}),
      onSubscriptionsChanged: () => void scheduler?.sync().catch((err: unknown) => reportError(logger, err, { op: 'scheduler sync' })),
      ...(deps.observer ? { observer: deps.observer } : {}),
    });
  const worker = makeWorker();
  const queue = async (issue: Issue, targets: readonly OutboxTarget[], reopen: boolean): Promise<EnqueueResult> => {
    const result = await outbox.enqueue(issue, targets, { reopen });
    if (result.parts > 0) worker.wake();
    return result;
  };
  /** The scheduler's runs queue inside its own transaction; the worker wakes once it committed. */
  const queueIn = async (tx: StoreTx, issue: Issue, subs: readonly Subscription[]): Promise<number> =>
    (await outbox.enqueueIn(tx, issue, subs.map(targetOf), { reopen: false })).chats;
  scheduler = new Scheduler({
    store,
    issues: deps.issues,
    clock,
    logger,
    catchUpMaxAgeMs: deps.catchUpMaxAgeMs,
    publishOnArrival: deps.publishOnArrival,
    ...(deps.observer ? { observer: deps.observer } : {}),
    queue: queueIn,
    queued: () => worker.wake(),
  });
  const alerts = new Alerts({
    store,
    ports,
    digests: deps.digests,
    issues: deps.issues as AlertFeed,
    clock,
    logger,
    queued: () => worker.wake(),
  });
  return { store, ports, outbox, scheduler, worker, alerts, clock, workerFor: makeWorker, queue };
}

/** Where and how a subscription reads. */
export function targetOf(sub: Subscription): OutboxTarget {
  return { chat: { platform: sub.platform, chatId: sub.chatId, threadId: sub.threadId }, mode: sub.mode, language: sub.language };
}
