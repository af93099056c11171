/**
 * The operator's side of `npm start` with a platform token, built once: the HTTP server on PORT
 * (HTTP_HOST), readiness, the heartbeat, Prometheus metrics, owner alerts and the status page. The
 * composition root builds it first (the core takes its routes and observer), makes it listen once
 * the library and the store are open (a start that fails before binds nothing), runs `service`
 * beside the adapters (/readyz says 503 until they are connected) and closes it last.
 */
import { systemClock, type Clock } from '../../src/clock.js';
import type { Config } from '../../src/config.js';
import { secretsOf } from '../platforms.js';
import type { Logger } from '../../src/log.js';
import { OwnerAlerts } from '../../src/ops/alerts.js';
import { Heartbeat } from '../../src/ops/heartbeat.js';
import { PromMetrics } from '../../src/ops/metrics.js';
import { fanOut, type OpsObserver } from '../../src/ops/observer.js';
import { Readiness } from '../../src/ops/readiness.js';
import { OpsService } from '../../src/ops/service.js';
import { statusView } from '../../src/ops/status.js';
import type { IssueLibrary } from '../../src/library/library.js';
import type { PlatformName } from '../../src/platform.js';
import type { OpsView } from '../../src/store/index.js';
import { mountOpsRoutes } from './ops-routes.js';
import { createHttpServer, type HttpServer } from './server.js';

export interface Ops {
  readonly http: HttpServer;
  readonly readiness: Readiness;
  readonly metrics: PromMetrics;
  readonly alerts: OwnerAlerts;
  /** Metrics and alerts: pass to the core and to delivery. */
  readonly observer: OpsObserver;
  /** Runs beside the adapters (readiness of platforms, alert checks). */
  readonly service: OpsService;
  /** The issue library and the store, once open. */
  attach(parts: { library: IssueLibrary; store: () => OpsView | null }): void;
  /** Binds PORT on HTTP_HOST (rejects with a ConfigError when taken) and starts the heartbeat. */
  listen(): Promise<void>;
  /** Stops the heartbeat and the server. Idempotent. */
  close(): Promise<void>;
}

export interface OpsOverrides {
  /** Wall clock for alerts and ages (default the system clock). */
  clock?: Clock;
  alerts?: { groupMs?: number; minIntervalMs?: number; lateAfterMs?: number };
  checkEveryMs?: number;
  /** How long a built status page is reused (default STATUS_CACHE_MS; 0: never). */
  statusCacheMs?: number;
}

/** The status page reads the whole store (a GROUP BY over the last issues' parts): reuse it briefly. */
export const STATUS_CACHE_MS = 5_000;

/** `build`'s result, reused for `ms` (monotonic time); concurrent callers share one build. */
function cachedFor<T>(ms: number, build: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = performance.now();
    if (last && now - last.at < ms) return last.value;
    const value = build();
    last = { at: now, value };
    value.catch(() => (last = null));
    return value;
  };
}

/** Builds everything; `listen()` binds PORT. */
export function createOps(config: Config, logger: Logger, platforms: readonly PlatformName[], overrides: OpsOverrides = {}): Ops {
  const clock = overrides.clock ?? systemClock;
  let library: IssueLibrary | null = null;
  let store: () => OpsView | null = () => null;
  const openStore = () => {
    const s = store();
    return s?.isOpen ? s : null;
  };
  const readiness = new Readiness(platforms);
  const heartbeat = new Heartbeat();
  const metrics = new PromMetrics({ issues: () => library, store: openStore, now: () => clock.now() });
  const alerts = new OwnerAlerts({
    owners: config.OWNER_IDS.filter((o) => o.platform !== 'shell'),
    enabled: config.ALERTS !== 'off',
    language: config.DEFAULT_LANGUAGE,
    clock,
    logger,
    ...overrides.alerts,
  });
  const observer = fanOut([metrics, alerts], (err) => logger.warn({ err: String(err) }, 'ops observer failed'));
  const sources = { issues: () => library, store: openStore };
  const service = new OpsService({ readiness, alerts, sources, clock, logger, ...(overrides.checkEveryMs !== undefined ? { checkEveryMs: overrides.checkEveryMs } : {}) });
  const http = createHttpServer({ port: config.PORT, host: config.HTTP_HOST, logger });
  mountOpsRoutes(http, {
    health: () => heartbeat.report(),
    readiness: () => readiness.report(),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
    // A page open on several phones, or reloaded in a loop, builds it at most once per STATUS_CACHE_MS.
    status: cachedFor(overrides.statusCacheMs ?? STATUS_CACHE_MS, () => statusView({ ...sources, readiness: () => readiness.report(), metrics: () => metrics.summary(), now: () => clock.now() })),
    statusToken: config.STATUS_TOKEN,
    secrets: secretsOf(config),
  });
  let closing: Promise<void> | null = null;
  return {
    http,
    readiness,
    metrics,
    alerts,
    observer,
    service,
    async listen() {
      await http.listen();
      heartbeat.start();
    },
    attach(parts) {
      library = parts.library;
      store = parts.store;
      readiness.library(parts.library);
      readiness.store(() => openStore() !== null);
    },
    close: () =>
      (closing ??= (async () => {
        heartbeat.stop();
        await http.close();
      })()),
  };
}

