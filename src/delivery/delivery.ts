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
import { openStore, storeLocationOf, type OpsView, type Readers, type Subscription } from '../store/index.js';
import type { Cluster } from '../store/port.js';
import { SCHEDULER_ROLE, type RoleHandle, type RoleHolder, type Roles } from '../cluster/roles.js';
import type { Clock } from '../clock.js';
import type { OutboxTarget } from './outbox.js';
import { targetOf, wireDelivery, type DeliveryDeps, type DeliveryParts } from './parts.js';
import type { RateLimiter } from './rate-limiter.js';
import { withoutPayload, type BroadcastResult, type ChatStatus, type PartView, type ReadAs, type SubscribeOptions, type SubscribeResult } from './results.js';
import { checkSchedule, checkTimeZone, deliverySettingsFromConfig } from './settings.js';

/** A chat by platform and id (its thread does not matter to a query). */
type ChatKey = Pick<ChatRef, 'platform' | 'chatId'>;

/** A chat's own choices the readers' commands read and set: its section filter and saved searches. */
export type ReaderChoices = Pick<Readers, 'sectionFilter' | 'setSectionFilter' | 'follows' | 'addFollow' | 'removeFollow'>;

export class Delivery {
  readonly #p: DeliveryParts;
  readonly #d: DeliveryDeps;
  readonly #expected: ReadonlySet<PlatformName>;
  #started = false;
  #timedRole: RoleHandle | null = null;
  /** What holding the scheduler role runs. */
  readonly #timed: RoleHolder = { onLead: () => this.#startTimed(), onLose: () => this.#stopTimed() };

  async #startTimed(): Promise<void> {
    this.#p.alerts.start();
    await this.#p.scheduler.start();
  }

  async #stopTimed(): Promise<void> {
    await this.#p.scheduler.stop();
    this.#p.alerts.stop();
  }

  /** `parts` defaults to `wireDelivery(deps)`; a test passes its own to look inside. */
  constructor(deps: DeliveryDeps, parts: DeliveryParts = wireDelivery(deps)) {
    this.#d = deps;
    this.#p = parts;
    this.#expected = new Set(deps.platforms ?? []);
  }

  /**
   * Opens the store (DATABASE_URL's PostgreSQL, else the SQLite file at DATABASE_PATH, created and
   * migrated) and builds delivery from configuration; `close()` closes the store.
   */
  static async fromConfig(
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
  ): Promise<Delivery> {
    const store = await openStore(storeLocationOf(config));
    return new Delivery({ ...deliverySettingsFromConfig(config), ...deps, store, ownsStore: true });
  }

  /** Whether chats of this platform can receive timed posts here (a port, or one expected at start). */
  canDeliver(platform: PlatformName): boolean {
    return this.#p.ports.has(platform) || (!this.#started && this.#expected.has(platform));
  }

  /**
   * Attaches the adapters' ports (the first one per platform delivers), then resends parts a crash
   * interrupted and starts the worker, the cron tasks and catch-up. Resolves once they are set up
   * (the cron tasks made, catch-up queued; the worker sends on in the background).
   */
  async start(ports: readonly DeliveryPort[] = [], roles?: Roles): Promise<void> {
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
    // Every instance sends; timed runs, publish on arrival and saved-search alerts run on the one
    // holding the scheduler role (the store also counts each run once: markSlot, unique parts).
    if (roles) this.#timedRole = await roles.hold(SCHEDULER_ROLE, this.#timed);
    else await this.#startTimed();
    logger.info({ platforms: [...this.#p.ports.keys()], subscriptions: await this.activeCount() }, 'delivery started');
  }

  /** Stops the cron tasks and lets in-flight sends finish and record; the store stays open for late commands. */
  async stop(): Promise<void> {
    if (this.#timedRole) await this.#timedRole.release();
    else await this.#stopTimed();
    await this.#p.worker.stop();
  }

  /** Closes the store when this facade opened it. */
  async close(): Promise<void> {
    if (this.#d.ownsStore) await this.#p.store.close();
  }

  /** Resolves when nothing is left to send (tests). */
  idle(): Promise<void> {
    return this.#p.worker.idle();
  }

  /** The chat's subscription, or null. */
  subscription(chat: ChatKey): Promise<Subscription | null> {
    return this.#p.store.subscriptions.get(chat.platform, chat.chatId);
  }

  /** Every subscription, for `newsbot subscriptions`. */
  subscriptions(): Promise<Subscription[]> {
    return this.#p.store.subscriptions.list();
  }

  /** How many subscriptions are active (not paused). */
  async activeCount(): Promise<number> {
    return (await this.#p.store.subscriptions.active()).length;
  }

  /** What the operator's side reads: the store's open state, its read-only questions and the cluster. */
  get opsView(): OpsView {
    return this.#p.store;
  }

  /** The store's cluster when several instances share it (PostgreSQL), else null: what the role keeper asks. */
  get cluster(): Cluster | null {
    return this.#p.store.cluster;
  }

  /** Records a chat update as handled: true the first time (see src/update-ledger.ts). */
  firstHandling(platform: PlatformName, key: string): Promise<boolean> {
    return this.#p.store.updates.firstHandling(platform, key, this.#p.clock.now());
  }

  /** Section filters and saved searches (/sections, /follow, /following, /unfollow). */
  get choices(): ReaderChoices {
    return this.#p.store.readers;
  }

  /** Every part of an issue queued for a chat, in order. */
  async parts(chat: ChatKey, issueId: string): Promise<PartView[]> {
    return (await this.#p.store.parts.forChatIssue(chat.platform, chat.chatId, issueId)).map(withoutPayload);
  }

  /**
   * Subscribes a chat, or changes its settings; a paused subscription is resumed. A bad schedule or
   * time zone is answered as a `SettingRefused` value, and nothing changes.
   */
  async subscribe(chat: ChatRef, options: SubscribeOptions): Promise<SubscribeResult> {
    const { store, scheduler, clock } = this.#p;
    const { defaults } = this.#d;
    const schedule = checkSchedule(options.schedule ?? defaults.schedule);
    if (!schedule.ok) return schedule;
    const timezone = checkTimeZone(options.timezone ?? defaults.timezone);
    if (!timezone.ok) return timezone;
    const now = clock.now();
    const result = await store.transaction(async (tx) => {
      const existing = await tx.subscriptions.get(chat.platform, chat.chatId);
      const settings = {
        threadId: chat.threadId,
        schedule: options.schedule !== undefined || !existing ? schedule.value : existing.schedule,
        timezone: options.timezone !== undefined || !existing ? timezone.value : existing.timezone,
        mode: options.mode ?? existing?.mode ?? defaults.mode,
        language: options.language ?? existing?.language ?? defaults.language,
      };
      if (!existing) {
        const subscription = await tx.subscriptions.insert(chat.platform, chat.chatId, settings, options.by, now);
        return { subscription, created: true, resumed: false, pausedReason: null };
      }
      // A new schedule owes nothing for runs before now.
      const moved = settings.schedule !== existing.schedule || settings.timezone !== existing.timezone;
      const lastSlotAt = moved ? Math.max(now, existing.lastSlotAt) : existing.lastSlotAt;
      const subscription = await tx.subscriptions.update(chat.platform, chat.chatId, settings, lastSlotAt, options.by, now);
      return { subscription, created: false, resumed: existing.paused, pausedReason: existing.paused ? existing.pausedReason : null };
    });
    await scheduler.sync();
    return { ok: true, ...result, nextRuns: this.#nextRuns(result.subscription, 3) };
  }

  /** Sets a chat's schedule (and time zone), subscribing it if needed; answers the next three runs. */
  setSchedule(chat: ChatRef, expression: string, options: { timezone?: string; by: string }): Promise<SubscribeResult> {
    return this.subscribe(chat, { schedule: expression, ...(options.timezone !== undefined ? { timezone: options.timezone } : {}), by: options.by });
  }

  /** Removes a chat's subscription; its unsent parts are skipped. False when it had none. */
  async unsubscribe(chat: ChatKey): Promise<boolean> {
    const { store, scheduler, clock } = this.#p;
    const now = clock.now();
    const removed = await store.transaction(async (tx) => {
      await tx.parts.skipChat(chat.platform, chat.chatId, 'unsubscribed', now);
      return tx.subscriptions.delete(chat.platform, chat.chatId);
    });
    await scheduler.sync();
    return removed;
  }

  /** What /status shows for a chat. */
  async status(chat: ChatKey): Promise<ChatStatus> {
    const { parts, subscriptions } = this.#p.store;
    const [subscription, latest, failures, unsent] = await Promise.all([
      subscriptions.get(chat.platform, chat.chatId),
      parts.latestIssue(chat.platform, chat.chatId),
      parts.failures(chat.platform, chat.chatId, 5),
      parts.unsentCount(chat.platform, chat.chatId),
    ]);
    return {
      subscription,
      nextRun: subscription && !subscription.paused ? (this.#nextRuns(subscription, 1)[0] ?? null) : null,
      // Alert parts (negative indexes) go ahead of an issue's digest and are not part of it.
      lastDelivery: latest ? { issueId: latest, parts: (await this.parts(chat, latest)).filter((p) => p.partIndex >= 0) } : null,
      failures: failures.map(withoutPayload),
      unsent,
    };
  }

  /**
   * Owners' /broadcast: queues an issue now for every active subscription. Chats that already have
   * it are left alone; its failed or skipped parts are tried again. Throws `UsageError` for an unknown issue.
   */
  async broadcast(issueId: string, options: { by: string }): Promise<BroadcastResult> {
    const issue = this.#issue(issueId);
    const result = await this.#p.queue(issue, (await this.#p.store.subscriptions.active()).map(targetOf), true);
    this.#d.logger.info({ issueId: issue.id, by: options.by, ...result }, 'broadcast queued');
    return { issueId: issue.id, ...result };
  }

  /** Queues an issue for one chat now (its subscription's mode and language, else the defaults). */
  async deliverNow(issueId: string, chat: ChatRef, options: ReadAs = {}): Promise<BroadcastResult> {
    const issue = this.#issue(issueId);
    return { issueId: issue.id, ...(await this.#p.queue(issue, [await this.#targetFor(chat, options)], true)) };
  }

  /**
   * `newsbot deliver`: queues an issue for one chat and sends that chat's parts from here, with a
   * worker of its own that leaves other chats' rows (even ones a running bot is sending) alone.
   * Answers what was queued and every part's state once nothing is left to send.
   */
  async sendNow(issueId: string, chat: ChatRef, options: ReadAs = {}): Promise<BroadcastResult & { states: PartView[] }> {
    const queued = await this.deliverNow(issueId, chat, options);
    if (queued.parts > 0) {
      const worker = this.#p.workerFor(chat);
      worker.start();
      try {
        await worker.idle();
      } finally {
        await worker.stop();
      }
    }
    return { ...queued, states: await this.parts(chat, queued.issueId) };
  }

  /**
   * The messages `deliverNow` would send, without queueing anything. Reads no store (it stays
   * synchronous): the mode and language are `options`', else the defaults; a caller showing a
   * subscribed chat's view passes that subscription's.
   */
  preview(issueId: string, chat: ChatRef, options: ReadAs = {}): OutboundMessage[] {
    const { defaults } = this.#d;
    return this.#p.outbox.render(this.#issue(issueId), chat.platform, options.mode ?? defaults.mode, options.language ?? defaults.language);
  }

  #issue(issueId: string): Issue {
    const issue = this.#d.issues.get(issueId);
    if (!issue) throw new UsageError(`no issue "${issueId}"`, { issueId });
    return issue;
  }

  async #targetFor(chat: ChatRef, options: ReadAs): Promise<OutboxTarget> {
    const sub = await this.subscription(chat);
    const { defaults } = this.#d;
    return { chat, mode: options.mode ?? sub?.mode ?? defaults.mode, language: options.language ?? sub?.language ?? defaults.language };
  }

  #nextRuns(sub: Subscription, count: number): number[] {
    return sub.schedule ? nextRuns(sub.schedule, sub.timezone, count) : [];
  }
}
