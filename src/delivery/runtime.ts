/**
 * Delivery as part of the running app. The admin commands and chat hooks exist from the start (so
 * the shell chat can answer /subscribe); `open` builds the DeliveryService over the issue library and
 * DATABASE_PATH; as an `AppService` it starts after the chat adapters, with the delivery ports they
 * offer, and stops before them.
 *
 * Order in `npm start`: createCore(commands, chats) → open(library) → adapters start → start(adapters)
 * (worker, cron tasks, catch-up). Shutdown: stop() (cron off, in-flight sends finish and record) →
 * adapters stop → core closes (in-flight commands done) → close() (the store).
 */
import type { AppService } from '../app.js';
import { monotonicClock, type Clock } from '../clock.js';
import { adminChatInfo, adminCommands, type DeliveryAccess } from '../commands/delivery/index.js';
import type { ChatInfoPort, CommandModule } from '../commands/module.js';
import type { Caller } from '../commands/types.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { ChatAdapter, DeliveryPort, PlatformName } from '../platform.js';
import type { IssueFeed } from '../schedule/scheduler.js';
import { Store } from '../store/index.js';
import { RateLimiter, rateLimitsFromConfig } from './rate-limiter.js';
import { DeliveryService } from './service.js';
import { deliverySettingsFromConfig } from './settings.js';

export class DeliveryRuntime implements AppService, DeliveryAccess {
  /** /subscribe, /unsubscribe, /schedule, /status, /broadcast. */
  readonly commands: readonly CommandModule[];
  /** The chat's subscription for /start and /help, its mode for /latest. */
  readonly chats: ChatInfoPort;
  readonly defaultTimeZone: string;
  /** The per-platform rate limiter the outbox uses; pass it to the chat adapters (Core.limiter) so replies share it. */
  readonly limiter: RateLimiter;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #clock: Clock | undefined;
  readonly #observer: OpsObserver | undefined;
  /** Filled by start(); the service reads it lazily, so it can be built before the adapters exist. */
  readonly #ports = new Map<PlatformName, DeliveryPort>();
  #expected = new Set<PlatformName>();
  #service: DeliveryService | null = null;
  #started = false;

  /** `observer`: told outcomes, 429 waits and scheduled runs (metrics, owner alerts). */
  constructor(config: Config, logger: Logger, options: { clock?: Clock; limiter?: RateLimiter; observer?: OpsObserver } = {}) {
    this.#config = config;
    this.#observer = options.observer;
    this.limiter = options.limiter ?? new RateLimiter(rateLimitsFromConfig(config), options.clock ?? monotonicClock, options.observer);
    this.#logger = logger;
    this.#clock = options.clock;
    this.defaultTimeZone = config.DEFAULT_TIMEZONE;
    this.commands = adminCommands(this);
    this.chats = adminChatInfo(this);
  }

  /**
   * Opens the store (creating DATABASE_PATH) and builds the service. `platforms`: those expected to
   * deliver once started (default: those whose token is set), so commands arriving while the
   * adapters start are not told that their chat cannot receive posts.
   */
  open(issues: IssueFeed, platforms: readonly PlatformName[] = tokenPlatforms(this.#config)): DeliveryService {
    if (this.#service) return this.#service;
    this.#expected = new Set(platforms);
    this.#service = new DeliveryService({
      ...deliverySettingsFromConfig(this.#config),
      store: Store.open(this.#config.DATABASE_PATH),
      ports: this.#ports,
      issues,
      logger: this.#logger,
      limiter: this.limiter,
      ...(this.#clock ? { clock: this.#clock } : {}),
      ...(this.#observer ? { observer: this.#observer } : {}),
    });
    return this.#service;
  }

  service(): DeliveryService | null {
    return this.#service;
  }

  canDeliver(platform: PlatformName): boolean {
    if (!this.#service) return false;
    return this.#started ? this.#ports.has(platform) : this.#expected.has(platform);
  }

  isOwner(caller: Caller): boolean {
    return this.#config.OWNER_IDS.some((o) => o.platform === caller.platform && o.userId === caller.userId);
  }

  /** Takes each adapter's delivery port, then starts the worker, the cron tasks and catch-up. */
  start(adapters: readonly ChatAdapter[]): void {
    const service = this.#service;
    if (!service || this.#started) return;
    for (const adapter of adapters) {
      const port = adapter.delivery;
      if (!port) continue;
      if (this.#ports.has(port.platform)) {
        this.#logger.warn({ platform: port.platform }, 'delivery: a second adapter offers the same platform; the first one delivers');
        continue;
      }
      this.#ports.set(port.platform, port);
    }
    this.#started = true;
    service.start();
    this.#logger.info({ platforms: [...this.#ports.keys()], subscriptions: service.store.subscriptions.active().length }, 'delivery started');
  }

  /** Stops the cron tasks and lets in-flight sends finish and record; the store stays open for late commands. */
  async stop(): Promise<void> {
    await this.#service?.stop();
  }

  /** Closes the store. */
  close(): void {
    this.#service?.store.close();
  }
}

/** The platforms whose token is set. */
function tokenPlatforms(config: Config): PlatformName[] {
  const out: PlatformName[] = [];
  if (config.TELEGRAM_BOT_TOKEN) out.push('telegram');
  if (config.DISCORD_TOKEN) out.push('discord');
  return out;
}
