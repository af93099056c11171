/**
 * Wiring: the core (issue library, search index, command router) built from a `Config`, and the
 * run loop that starts chat adapters and stops everything in order. Adapters arrive as factories
 * (values), so this file never names a platform.
 */
import { deliveryChatInfo, deliveryCommands, type DeliveryAccess } from './commands/delivery/index.js';
import type { ChatInfoPort, CommandModule } from './commands/module.js';
import { createPageCodec, type PageCodec } from './commands/pager.js';
import { BUILTIN_COMMANDS, createCommandRouter, type CommandRouter } from './commands/router.js';
import { issueCachePath, parseSettings, type Config } from './config.js';
import type { Roles } from './cluster/roles.js';
import { Delivery } from './delivery/delivery.js';
import { rateLimitsFromConfig, type RateLimiter } from './delivery/rate-limiter.js';
import { rateLimiterFor } from './delivery/shared-rate.js';
import { monotonicClock } from './clock.js';
import { digestBuilder, type DigestBuilder } from './digest/builder.js';
import { IssueLibrary } from './library/library.js';
import { reportError, type Logger } from './log.js';
import type { HttpRoutes } from './ops/http.js';
import type { OpsObserver } from './ops/observer.js';
import { observedRouter } from './ops/observed-router.js';
import type { ChatAdapter, DeliveryPort, PlatformName } from './platform.js';
import { SearchIndex } from './search/index.js';
import { everyUpdateFirst, type UpdateLedger } from './update-ledger.js';

/** Everything adapters need from the core. */
export interface Core {
  readonly config: Config;
  readonly logger: Logger;
  readonly library: IssueLibrary;
  readonly search: SearchIndex;
  /** Shared by every adapter so page buttons made by one process decode in it. */
  readonly pages: PageCodec;
  readonly router: CommandRouter;
  /** The one digest builder (ISSUE_WEB_URL), shared by the commands and the outbox. */
  readonly digests: DigestBuilder;
  /** Delivery, when opened (`CoreOptions.delivery`); run it with `deliveryService`. */
  readonly delivery: Delivery | null;
  /** One rate limiter per platform, shared by the adapters' replies and the outbox (see delivery/rate-limiter.ts). */
  readonly limiter: RateLimiter;
  /** The shared HTTP server's routes (a webhook mounts its path there); absent when no server runs. */
  readonly http?: HttpRoutes;
  /** Updates already handled (the store's when delivery is open): a re-delivered update is answered once. */
  readonly updates: UpdateLedger;
  /** Waits for in-flight commands, then releases the library watcher and the index. Idempotent. */
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Watch ISSUES_DIR for new and edited issues (default true). */
  watch?: boolean;
  /** Extra commands appended to the readers' (and delivery's) commands. */
  commands?: readonly CommandModule[];
  /** Per-chat settings for /help and the digest mode (default: delivery's, when it is on). */
  chats?: ChatInfoPort;
  /**
   * Delivery's commands (/subscribe, /schedule, /status, /broadcast). `open: true` also opens its
   * store (DATABASE_PATH), expecting `platforms` to deliver once started; without it (the shell
   * chat) the commands answer that timed posts need a platform.
   */
  delivery?: { open: false } | { open: true; platforms: readonly PlatformName[] };
  /** Injected clock for the page codec's TTL. */
  now?: () => number;
  /**
   * Return once the newest issue is served and load the rest of the archive in the background
   * (npm start). Default false: the archive is fully loaded first.
   */
  progressive?: boolean;
  /** The shared HTTP server's routes (npm start with a platform token). */
  http?: HttpRoutes;
  /** Told every command answered (metrics). */
  observer?: OpsObserver;
}

/** Opens the issue library and builds the search index and the command router. */
export async function createCore(config: Config, logger: Logger, options: CoreOptions = {}): Promise<Core> {
  const library = await IssueLibrary.open(config.ISSUES_DIR, {
    watch: options.watch ?? true,
    logger,
    cache: issueCachePath(config),
    pool: parseSettings(config),
    progressive: options.progressive ?? false,
  });
  const search = SearchIndex.fromLibrary(library);
  const pages = createPageCodec(options.now ? { now: options.now } : {});
  const digests = digestBuilder(config.ISSUE_WEB_URL);
  let delivery: Delivery | null = null;
  // Buckets are made at the first send, after the store opened: shared across instances when it is (PostgreSQL).
  const limiter = rateLimiterFor(rateLimitsFromConfig(config), monotonicClock, options.observer, () => delivery?.cluster, logger);
  if (options.delivery?.open) {
    try {
      delivery = await Delivery.fromConfig(config, { issues: library, digests, logger, limiter, platforms: options.delivery.platforms, ...(options.observer ? { observer: options.observer } : {}) });
    } catch (err) {
      search.dispose();
      await library.close();
      throw err;
    }
  }
  const access: DeliveryAccess = { delivery, owners: config.OWNER_IDS, defaultTimeZone: config.DEFAULT_TIMEZONE };
  const chats = options.chats ?? (options.delivery ? deliveryChatInfo(access) : undefined);
  const routed = createCommandRouter(
    {
      issues: library,
      search,
      pages,
      logger,
      defaults: { language: config.DEFAULT_LANGUAGE, mode: config.DEFAULT_MODE },
      digests,
      ...(chats ? { chats } : {}),
    },
    [...BUILTIN_COMMANDS, ...(options.delivery ? deliveryCommands(access) : []), ...(options.commands ?? [])],
  );
  const router = options.observer ? observedRouter(routed, options.observer) : routed;
  let closing: Promise<void> | null = null;
  const close = async () => {
    await router.drain();
    search.dispose();
    await library.close();
  };
  return {
    config,
    logger,
    library,
    search,
    pages,
    router,
    digests,
    delivery,
    limiter,
    updates: delivery ?? everyUpdateFirst,
    ...(options.http ? { http: options.http } : {}),
    close: () => (closing ??= close()),
  };
}

/** What an adapter may ask of the running app. */
export interface AppControl {
  /** Asks the whole app to shut down (the shell chat at end of input, /quit). */
  requestStop(reason: string): void;
}

/**
 * Work that runs beside the chat adapters (scheduled delivery): started once every adapter has
 * started, stopped before they stop (its in-flight sends use their ports), closed last.
 */
export interface AppService {
  start(adapters: readonly ChatAdapter[]): void | Promise<void>;
  /** Stops its work; the adapters are still up. Safe to call when it never started. */
  stop(): Promise<void>;
  /** Releases what it holds (the store) after the adapters stopped and the core closed. */
  close?(): void | Promise<void>;
}

/** Delivery as work beside the adapters: started with the ports they offer, stopped before them, closed last. */
export function deliveryService(delivery: Delivery, roles?: Roles): AppService {
  return {
    start: (adapters) => delivery.start(adapters.flatMap((a): DeliveryPort[] => (a.delivery ? [a.delivery] : [])), roles),
    stop: () => delivery.stop(),
    close: () => delivery.close(),
  };
}

/** Builds one chat adapter from the core. Passed as a value: main.ts decides which ones run. */
export type AdapterFactory = (core: Core, app: AppControl) => ChatAdapter | Promise<ChatAdapter>;

export interface RunningApp {
  readonly adapters: readonly ChatAdapter[];
  /** Resolves once everything is stopped, whoever asked. */
  readonly stopped: Promise<void>;
  /** Stops services, then adapters (newest first), lets in-flight commands finish, closes the core. Idempotent. */
  stop(reason?: string): Promise<void>;
}

/**
 * Starts the given adapters, then the services; if one fails to start, stops the others, closes the
 * core and rethrows.
 */
export async function runApp(core: Core, factories: readonly AdapterFactory[], services: readonly AppService[] = []): Promise<RunningApp> {
  const { logger } = core;
  const adapters: ChatAdapter[] = [];
  let stopping: Promise<void> | null = null;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const shutdown = async (reason: string) => {
    logger.info({ reason }, 'stopping');
    for (const service of [...services].reverse()) {
      try {
        await service.stop();
      } catch (err) {
        reportError(logger, err, { method: 'stop service' });
      }
    }
    for (const adapter of [...adapters].reverse()) {
      try {
        await adapter.stop();
      } catch (err) {
        reportError(logger, err, { platform: adapter.platform, method: 'stop' });
      }
    }
    try {
      await core.close();
    } catch (err) {
      reportError(logger, err, { method: 'close' });
    }
    for (const service of services) {
      try {
        await service.close?.();
      } catch (err) {
        reportError(logger, err, { method: 'close service' });
      }
    }
    logger.info('stopped');
    markStopped();
  };
  const stop = (reason = 'requested') => (stopping ??= shutdown(reason));
  const control: AppControl = { requestStop: (reason) => void stop(reason) };

  try {
    for (const factory of factories) {
      if (stopping) break; // an adapter already asked to stop (e.g. the shell read an empty input)
      const adapter = await factory(core, control);
      adapters.push(adapter);
      await adapter.start();
      logger.info({ platform: adapter.platform }, 'adapter started');
    }
    for (const service of services) {
      if (stopping) break;
      await service.start(adapters);
    }
  } catch (err) {
    await stop('an adapter failed to start');
    throw err;
  }
  return { adapters, stopped, stop };
}
