/**
 * The delivery facade: what the delivery commands, the CLI and the app call. Behind it (private):
 * the store, the outbox, the worker (ordered, rate-limited sends) and the scheduler (timed runs,
 * catch-up, publish on arrival).
 *
 * Order in `npm start`: createCore opens it (`fromConfig`) → adapters start → start(their ports)
 * (worker, cron tasks, catch-up). Shutdown: stop() (cron off, in-flight sends finish and record) →
 * adapters stop → core closes (in-flight commands done) → close() (the store).
 */
import type { Config } from '../config.js';
import type { DigestBuilder } from '../digest/builder.js';
import { UsageError } from '../errors.js';
import type { Issue } from '../issue/model.js';
import type { Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { ChatRef, DeliveryPort, OutboundMessage, PlatformName } from '../platform.js';
import { nextRuns } from '../schedule/expression.js';
import type { IssueFeed } from '../schedule/scheduler.js';
import { Store, type OpsView, type ReaderRepo, type Subscription } from '../store/index.js';
import type { Cluster } from '../store/port.js';
import type { Clock } from '../clock.js';
import type { OutboxTarget } from './outbox.js';
import { targetOf, wireDelivery, type DeliveryDeps, type DeliveryParts } from './parts.js';
import type { RateLimiter } from './rate-limiter.js';
import { withoutPayload, type BroadcastResult, type ChatStatus, type PartView, type ReadAs, type SubscribeOptions, type SubscribeResult } from './results.js';
import { checkSchedule, checkTimeZone, deliverySettingsFromConfig } from './settings.js';

/** A chat by platform and id (its thread does not matter to a query). */
type ChatKey = Pick<ChatRef, 'platform' | 'chatId'>;

/** A chat's own choices the readers' commands read and set: its section filter and saved searches. */
export type ReaderChoices = Pick<ReaderRepo, 'sectionFilter' | 'setSectionFilter' | 'follows' | 'addFollow' | 'removeFollow'>;

export class Delivery {
  readonly #p: DeliveryParts;
  readonly #d: DeliveryDeps;
  readonly #expected: ReadonlySet<PlatformName>;
  #started = false;

  /** `parts` defaults to `wireDelivery(deps)`; a test passes its own to look inside. */
  constructor(deps: DeliveryDeps, parts: DeliveryParts = wireDelivery(deps)) {
    this.#d = deps;
    this.#p = parts;
    this.#expected = new Set(deps.platforms ?? []);
  }

  /** Opens DATABASE_PATH (creating it) and builds delivery from configuration; `close()` closes the store. */
  static fromConfig(
    config: Config,
    deps: {
      issues: IssueFeed;
      digests: DigestBuilder;
      logger: Logger;
      ports?: readonly DeliveryPort[];
      platforms?: readonly PlatformName[];
      limiter?: RateLimiter;
      clock?: Clock;
      observer?: OpsObserver;
    },
  ): Delivery {
    return new Delivery({ ...deliverySettingsFromConfig(config), ...deps, store: Store.open(config.DATABASE_PATH), ownsStore: true });
  }

  /** Whether chats of this platform can receive timed posts here (a port, or one expected at start). */
  canDeliver(platform: PlatformName): boolean {
    return this.#p.ports.has(platform) || (!this.#started && this.#expected.has(platform));
  }

  /**
   * Attaches the adapters' ports (the first one per platform delivers), then resends parts a crash
   * interrupted and starts the worker, the cron tasks and catch-up.
   */
  start(ports: readonly DeliveryPort[] = []): void {
    if (this.#started) return;
    const { logger } = this.#d;
    for (const port of ports) {
      if (this.#p.ports.has(port.platform)) {
        logger.warn({ platform: port.platform }, 'delivery: a second adapter offers the same platform; the first one delivers');
        continue;
      }
      this.#p.ports.set(port.platform, port);
    }
    this.#started = true;
    this.#p.worker.start();
    this.#p.alerts.start();
    this.#p.scheduler.start();
    logger.info({ platforms: [...this.#p.ports.keys()], subscriptions: this.activeCount() }, 'delivery started');
  }

  /** Stops the cron tasks and lets in-flight sends finish and record; the store stays open for late commands. */
  async stop(): Promise<void> {
    this.#p.scheduler.stop();
    this.#p.alerts.stop();
    await this.#p.worker.stop();
  }

  /** Closes the store when this facade opened it. */
  close(): void {
    if (this.#d.ownsStore) this.#p.store.close();
  }

  /** Resolves when nothing is left to send (tests). */
  idle(): Promise<void> {
    return this.#p.worker.idle();
  }

  /** The chat's subscription, or null. */
  subscription(chat: ChatKey): Subscription | null {
    return this.#p.store.subscriptions.get(chat.platform, chat.chatId);
  }

  /** Every subscription, for `newsbot subscriptions`. */
  subscriptions(): Subscription[] {
    return this.#p.store.subscriptions.list();
  }

  /** How many subscriptions are active (not paused). */
  activeCount(): number {
    return this.#p.store.subscriptions.active().length;
  }

  /** Every part of an issue queued for a chat, in order. */
  /** What the operator's side reads: the store's open state and its read-only questions. */
  get opsView(): OpsView {
    return this.#p.store;
  }

  /** The store's cluster when several instances share it (PostgreSQL), else null: what the role keeper asks. */
  get cluster(): Cluster | null {
    return this.#p.store.cluster;
  }

  /** Section filters and saved searches (/sections, /follow, /following, /unfollow). */
  get choices(): ReaderChoices {
    return this.#p.store.readers;
  }

  parts(chat: ChatKey, issueId: string): PartView[] {
    return this.#p.store.parts.forChatIssue(chat.platform, chat.chatId, issueId).map(withoutPayload);
  }

  /**
   * Subscribes a chat, or changes its settings; a paused subscription is resumed. A bad schedule or
   * time zone is answered as a `SettingRefused` value, and nothing changes.
   */
  subscribe(chat: ChatRef, options: SubscribeOptions): SubscribeResult {
    const { store, scheduler, clock } = this.#p;
    const { defaults } = this.#d;
    const schedule = checkSchedule(options.schedule ?? defaults.schedule);
    if (!schedule.ok) return schedule;
    const timezone = checkTimeZone(options.timezone ?? defaults.timezone);
    if (!timezone.ok) return timezone;
    const now = clock.now();
    const result = store.transaction(() => {
      const existing = store.subscriptions.get(chat.platform, chat.chatId);
      const settings = {
        threadId: chat.threadId,
        schedule: options.schedule !== undefined || !existing ? schedule.value : existing.schedule,
        timezone: options.timezone !== undefined || !existing ? timezone.value : existing.timezone,
        mode: options.mode ?? existing?.mode ?? defaults.mode,
        language: options.language ?? existing?.language ?? defaults.language,
      };
      if (!existing) {
        const subscription = store.subscriptions.insert(chat.platform, chat.chatId, settings, options.by, now);
        return { subscription, created: true, resumed: false, pausedReason: null };
      }
      // A new schedule owes nothing for runs before now.
      const moved = settings.schedule !== existing.schedule || settings.timezone !== existing.timezone;
      const lastSlotAt = moved ? Math.max(now, existing.lastSlotAt) : existing.lastSlotAt;
      const subscription = store.subscriptions.update(chat.platform, chat.chatId, settings, lastSlotAt, options.by, now);
      return { subscription, created: false, resumed: existing.paused, pausedReason: existing.paused ? existing.pausedReason : null };
    });
    scheduler.sync();
    return { ok: true, ...result, nextRuns: this.#nextRuns(result.subscription, 3) };
  }

  /** Sets a chat's schedule (and time zone), subscribing it if needed; answers the next three runs. */
  setSchedule(chat: ChatRef, expression: string, options: { timezone?: string; by: string }): SubscribeResult {
    return this.subscribe(chat, { schedule: expression, ...(options.timezone !== undefined ? { timezone: options.timezone } : {}), by: options.by });
  }

  /** Removes a chat's subscription; its unsent parts are skipped. False when it had none. */
  unsubscribe(chat: ChatKey): boolean {
    const { store, scheduler, clock } = this.#p;
    const now = clock.now();
    const removed = store.transaction(() => {
      store.parts.skipChat(chat.platform, chat.chatId, 'unsubscribed', now);
      return store.subscriptions.delete(chat.platform, chat.chatId);
    });
    scheduler.sync();
    return removed;
  }

  /** What /status shows for a chat. */
  status(chat: ChatKey): ChatStatus {
    const { parts, subscriptions } = this.#p.store;
    const subscription = subscriptions.get(chat.platform, chat.chatId);
    const latest = parts.latestIssue(chat.platform, chat.chatId);
    return {
      subscription,
      nextRun: subscription && !subscription.paused ? (this.#nextRuns(subscription, 1)[0] ?? null) : null,
      // Alert parts (negative indexes) go ahead of an issue's digest and are not part of it.
      lastDelivery: latest ? { issueId: latest, parts: this.parts(chat, latest).filter((p) => p.partIndex >= 0) } : null,
      failures: parts.failures(chat.platform, chat.chatId, 5).map(withoutPayload),
      unsent: parts.unsentCount(chat.platform, chat.chatId),
    };
  }

  /**
   * Owners' /broadcast: queues an issue now for every active subscription. Chats that already have
   * it are left alone; its failed or skipped parts are tried again. Throws `UsageError` for an unknown issue.
   */
  broadcast(issueId: string, options: { by: string }): BroadcastResult {
    const issue = this.#issue(issueId);
    const result = this.#p.queue(issue, this.#p.store.subscriptions.active().map(targetOf), true);
    this.#d.logger.info({ issueId: issue.id, by: options.by, ...result }, 'broadcast queued');
    return { issueId: issue.id, ...result };
  }

  /** Queues an issue for one chat now (its subscription's mode and language, else the defaults). */
  deliverNow(issueId: string, chat: ChatRef, options: ReadAs = {}): BroadcastResult {
    const issue = this.#issue(issueId);
    return { issueId: issue.id, ...this.#p.queue(issue, [this.#targetFor(chat, options)], true) };
  }

  /**
   * `newsbot deliver`: queues an issue for one chat and sends that chat's parts from here, with a
   * worker of its own that leaves other chats' rows (even ones a running bot is sending) alone.
   * Answers what was queued and every part's state once nothing is left to send.
   */
  async sendNow(issueId: string, chat: ChatRef, options: ReadAs = {}): Promise<BroadcastResult & { states: PartView[] }> {
    const queued = this.deliverNow(issueId, chat, options);
    if (queued.parts > 0) {
      const worker = this.#p.workerFor(chat);
      worker.start();
      try {
        await worker.idle();
      } finally {
        await worker.stop();
      }
    }
    return { ...queued, states: this.parts(chat, queued.issueId) };
  }

  /** The messages `deliverNow` would send, without queueing anything. */
  preview(issueId: string, chat: ChatRef, options: ReadAs = {}): OutboundMessage[] {
    const target = this.#targetFor(chat, options);
    return this.#p.outbox.render(this.#issue(issueId), chat.platform, target.mode, target.language);
  }

  #issue(issueId: string): Issue {
    const issue = this.#d.issues.get(issueId);
    if (!issue) throw new UsageError(`no issue "${issueId}"`, { issueId });
    return issue;
  }

  #targetFor(chat: ChatRef, options: ReadAs): OutboxTarget {
    const sub = this.subscription(chat);
    const { defaults } = this.#d;
    return { chat, mode: options.mode ?? sub?.mode ?? defaults.mode, language: options.language ?? sub?.language ?? defaults.language };
  }

  #nextRuns(sub: Subscription, count: number): number[] {
    return sub.schedule ? nextRuns(sub.schedule, sub.timezone, count) : [];
  }
}
