/**
 * The delivery service: what the admin commands, the CLI and the app call. It owns the scheduler
 * (timed runs, catch-up, publish on arrival) and the outbox worker (ordered, rate-limited sends).
 */
import { monotonicClock, systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { DigestMode } from '../digest/digest.js';
import { UsageError } from '../errors.js';
import type { Language } from '../i18n/language.js';
import type { Issue } from '../issue/model.js';
import type { Logger } from '../log.js';
import type { ChatRef, DeliveryPort, OutboundMessage, PlatformName } from '../platform.js';
import { nextRuns } from '../schedule/expression.js';
import { Scheduler, type IssueFeed } from '../schedule/scheduler.js';
import { Store, type DeliveryRecord, type Subscription } from '../store/index.js';
import type { OpsObserver } from '../ops/observer.js';
import { Outbox, type EnqueueResult, type OutboxTarget } from './outbox.js';
import { RateLimiter, sendsInFlightFor } from './rate-limiter.js';
import { DEFAULT_RETRY } from './retry.js';
import { checkSchedule, checkTimeZone, deliverySettingsFromConfig, type DeliverySettings } from './settings.js';
import { Worker } from './worker.js';

export interface DeliveryServiceDeps extends DeliverySettings {
  store: Store;
  ports: ReadonlyMap<PlatformName, DeliveryPort>;
  issues: IssueFeed;
  logger: Logger;
  clock?: Clock;
  /** Jitter source for retries (default Math.random). */
  random?: () => number;
  /** Chats sending at once (default: enough for the fastest global rate, at least 32; `sendsInFlightFor`). */
  concurrency?: number;
  /** Backoff shape for transient failures (default 2 s doubling, at most 10 min). */
  backoff?: { baseMs: number; maxMs: number };
  /** The platform rate limiter shared with the chat adapters' replies (default: its own, from `rates`). */
  limiter?: RateLimiter;
  /** Close the store on stop (true when the service opened it). */
  ownsStore?: boolean;
  /** The worker sends only this chat's parts (`newsbot deliver`; see WorkerDeps.only). */
  only?: { platform: PlatformName; chatId: string };
  /** Told outcomes and scheduled runs (metrics, owner alerts). */
  observer?: OpsObserver;
}

export interface SubscribeOptions {
  /** Any accepted form (cron, daily HH:MM, weekly <day> HH:MM, off); default: keep, or DEFAULT_SCHEDULE. */
  schedule?: string;
  timezone?: string;
  mode?: DigestMode;
  language?: Language;
  /** Who did it: "telegram:12345". */
  by: string;
}

export interface SubscribeResult {
  subscription: Subscription;
  created: boolean;
  /** It was paused (the chat had blocked or removed the bot) and is active again. */
  resumed: boolean;
  /** The next three run times (epoch ms); empty when the schedule is off. */
  nextRuns: number[];
}

/** One part as /status shows it (the payload left out). */
export type PartStatus = Omit<DeliveryRecord, 'payload'>;

export interface ChatStatus {
  subscription: Subscription | null;
  /** Epoch ms, or null (no subscription, paused, or schedule off). */
  nextRun: number | null;
  /** The newest issue queued for this chat, with every part's state. */
  lastDelivery: { issueId: string; parts: PartStatus[] } | null;
  /** The most recent failed parts, newest first (at most 5). */
  failures: PartStatus[];
  /** Parts still waiting to go. */
  unsent: number;
}

export interface BroadcastResult extends EnqueueResult {
  issueId: string;
}

const withoutPayload = ({ payload: _payload, ...rest }: DeliveryRecord): PartStatus => rest;

export class DeliveryService {
  readonly store: Store;
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  readonly worker: Worker;
  readonly #d: DeliveryServiceDeps;
  readonly #clock: Clock;

  constructor(deps: DeliveryServiceDeps) {
    this.#d = deps;
    this.store = deps.store;
    const clock = (this.#clock = deps.clock ?? systemClock);
    const { store, ports, logger } = deps;
    this.outbox = new Outbox({ store, ports, buildDigest: deps.buildDigest, clock, logger });
    this.worker = new Worker({
      store,
      ports,
      clock,
      logger,
      // An injected clock (tests) drives the buckets too; otherwise they run on the monotonic clock.
      limiter: deps.limiter ?? new RateLimiter(deps.rates, deps.clock ?? monotonicClock),
      retry: { ...DEFAULT_RETRY, ...deps.backoff, maxAttempts: deps.maxAttempts, random: deps.random ?? Math.random },
      sendTimeoutMs: deps.sendTimeoutMs,
      concurrency: deps.concurrency ?? sendsInFlightFor(deps.rates),
      ...(deps.only ? { only: deps.only } : {}),
      onSubscriptionsChanged: () => this.scheduler.sync(),
      ...(deps.observer ? { observer: deps.observer } : {}),
    });
    this.scheduler = new Scheduler({
      store,
      issues: deps.issues,
      clock,
      logger,
      catchUpMaxAgeMs: deps.catchUpMaxAgeMs,
      publishOnArrival: deps.publishOnArrival,
      ...(deps.observer ? { observer: deps.observer } : {}),
      queue: (issue, subs) => this.#queue(issue, subs.map(targetOf), false).chats,
    });
  }

  /** Opens DATABASE_PATH and builds the service from configuration; `stop()` closes the store. */
  static open(
    config: Config,
    deps: { ports: ReadonlyMap<PlatformName, DeliveryPort>; issues: IssueFeed; logger: Logger; clock?: Clock },
  ): DeliveryService {
    return new DeliveryService({ ...deliverySettingsFromConfig(config), ...deps, store: Store.open(config.DATABASE_PATH), ownsStore: true });
  }

  /** Resends parts a crash interrupted, starts the worker, the cron tasks and catch-up. */
  start(): void {
    this.worker.start();
    this.scheduler.start();
  }

  /** Stops the cron tasks, lets in-flight sends finish and record, closes the store if it owns it. */
  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.worker.stop();
    if (this.#d.ownsStore) this.store.close();
  }

  /** Resolves when nothing is left to send (tests, `newsbot deliver`). */
  idle(): Promise<void> {
    return this.worker.idle();
  }

  /**
   * Subscribes a chat, or changes its settings; a paused subscription is resumed. Throws
   * `UsageError` (listing the accepted forms) for a bad schedule or time zone.
   */
  subscribe(chat: ChatRef, options: SubscribeOptions): SubscribeResult {
    const { defaults } = this.#d;
    const schedule = options.schedule !== undefined ? checkSchedule(options.schedule) : undefined;
    const timezone = options.timezone !== undefined ? checkTimeZone(options.timezone) : undefined;
    const now = this.#clock.now();
    const result = this.store.transaction(() => {
      const existing = this.store.subscriptions.get(chat.platform, chat.chatId);
      const settings = {
        threadId: chat.threadId,
        schedule: schedule !== undefined ? schedule : existing ? existing.schedule : checkSchedule(defaults.schedule),
        timezone: timezone ?? existing?.timezone ?? checkTimeZone(defaults.timezone),
        mode: options.mode ?? existing?.mode ?? defaults.mode,
        language: options.language ?? existing?.language ?? defaults.language,
      };
      if (!existing) {
        const subscription = this.store.subscriptions.insert(chat.platform, chat.chatId, settings, options.by, now);
        return { subscription, created: true, resumed: false };
      }
      // A new schedule owes nothing for runs before now.
      const moved = settings.schedule !== existing.schedule || settings.timezone !== existing.timezone;
      const lastSlotAt = moved ? Math.max(now, existing.lastSlotAt) : existing.lastSlotAt;
      const subscription = this.store.subscriptions.update(chat.platform, chat.chatId, settings, lastSlotAt, options.by, now);
      return { subscription, created: false, resumed: existing.paused };
    });
    this.scheduler.sync();
    return { ...result, nextRuns: this.#nextRuns(result.subscription, 3) };
  }

  /** Sets a chat's schedule (and time zone), subscribing it if needed; answers the next three runs. */
  setSchedule(chat: ChatRef, expression: string, options: { timezone?: string; by: string }): SubscribeResult {
    return this.subscribe(chat, { schedule: expression, ...(options.timezone !== undefined ? { timezone: options.timezone } : {}), by: options.by });
  }

  /** Removes a chat's subscription; its unsent parts are skipped. False when it had none. */
  unsubscribe(chat: ChatRef): boolean {
    const now = this.#clock.now();
    const removed = this.store.transaction(() => {
      this.store.deliveries.skipChat(chat.platform, chat.chatId, 'unsubscribed', now);
      return this.store.subscriptions.delete(chat.platform, chat.chatId);
    });
    this.scheduler.sync();
    return removed;
  }

  /** What /status shows for a chat. */
  status(chat: ChatRef): ChatStatus {
    const { deliveries, subscriptions } = this.store;
    const subscription = subscriptions.get(chat.platform, chat.chatId);
    const latest = deliveries.latestIssue(chat.platform, chat.chatId);
    return {
      subscription,
      nextRun: subscription && !subscription.paused ? (this.#nextRuns(subscription, 1)[0] ?? null) : null,
      lastDelivery: latest ? { issueId: latest, parts: deliveries.forChatIssue(chat.platform, chat.chatId, latest).map(withoutPayload) } : null,
      failures: deliveries.failures(chat.platform, chat.chatId, 5).map(withoutPayload),
      unsent: deliveries.unsentCount(chat.platform, chat.chatId),
    };
  }

  /** Every subscription, for `newsbot subscriptions`. */
  subscriptions(): Subscription[] {
    return this.store.subscriptions.list();
  }

  /**
   * Owners' /broadcast: queues an issue now for every active subscription. Chats that already have
   * it are left alone; its failed or skipped parts are tried again. Throws `UsageError` for an unknown issue.
   */
  broadcast(issueId: string, options: { by: string }): BroadcastResult {
    const issue = this.#issue(issueId);
    const result = this.#queue(issue, this.store.subscriptions.active().map(targetOf), true);
    this.#d.logger.info({ issueId: issue.id, by: options.by, ...result }, 'broadcast queued');
    return { issueId: issue.id, ...result };
  }

  /** Queues an issue for one chat now (its subscription's mode and language, else the defaults). */
  deliverNow(issueId: string, chat: ChatRef, options: { mode?: DigestMode; language?: Language } = {}): BroadcastResult {
    const issue = this.#issue(issueId);
    return { issueId: issue.id, ...this.#queue(issue, [this.#targetFor(chat, options)], true) };
  }

  /** The messages `deliverNow` would send, without queueing anything (`--dry-run`). */
  preview(issueId: string, chat: ChatRef, options: { mode?: DigestMode; language?: Language } = {}): OutboundMessage[] {
    const target = this.#targetFor(chat, options);
    return this.outbox.render(this.#issue(issueId), chat.platform, target.mode, target.language);
  }

  #queue(issue: Issue, targets: OutboxTarget[], reopen: boolean): EnqueueResult {
    const result = this.outbox.enqueue(issue, targets, { reopen });
    if (result.parts > 0) this.worker.wake();
    return result;
  }

  #issue(issueId: string): Issue {
    const issue = this.#d.issues.get(issueId);
    if (!issue) throw new UsageError(`no issue "${issueId}"`, { issueId });
    return issue;
  }

  #targetFor(chat: ChatRef, options: { mode?: DigestMode; language?: Language }): OutboxTarget {
    const sub = this.store.subscriptions.get(chat.platform, chat.chatId);
    const { defaults } = this.#d;
    return { chat, mode: options.mode ?? sub?.mode ?? defaults.mode, language: options.language ?? sub?.language ?? defaults.language };
  }

  #nextRuns(sub: Subscription, count: number): number[] {
    return sub.schedule ? nextRuns(sub.schedule, sub.timezone, count) : [];
  }
}

function targetOf(sub: Subscription): OutboxTarget {
  return { chat: { platform: sub.platform, chatId: sub.chatId, threadId: sub.threadId }, mode: sub.mode, language: sub.language };
}
