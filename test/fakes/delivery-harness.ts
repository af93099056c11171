/** Builds the real delivery facade (real SQLite file in a temp dir, real node-cron) around fakes; the test sees its parts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { Delivery } from '../../src/delivery/delivery.js';
import { wireDelivery, type DeliveryDeps, type DeliveryParts } from '../../src/delivery/parts.js';
import type { Scheduler } from '../../src/schedule/scheduler.js';
import { digestBuilder } from '../../src/digest/builder.js';
import { createLogger, type Logger } from '../../src/log.js';
import { SqliteStore, type Store } from '../../src/store/index.js';
import { FakeIssueFeed } from './issue-feed.js';
import { RecordingPort } from './recording-port.js';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-delivery-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger whose JSON lines are kept for assertions. */
export function recordingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [], destination: { write: (s: string) => void raw.push(s) } });
  return { logger, lines: () => raw.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export interface Harness {
  service: Delivery;
  /** Inside the facade (the test's view; callers of the facade have none). */
  store: Store;
  scheduler: Scheduler;
  port: RecordingPort;
  feed: FakeIssueFeed;
  dbPath: string;
  logLines: () => Array<Record<string, unknown>>;
  /** Builds another service on the same database file (a restart). */
  restart(overrides?: Partial<DeliveryDeps>): Promise<Delivery>;
  close(): Promise<void>;
}

export function makeHarness(overrides: Partial<DeliveryDeps> & { feed?: FakeIssueFeed; port?: RecordingPort } = {}): Harness {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'data', 'newsbot.db');
  const port = overrides.port ?? new RecordingPort('telegram');
  const feed = overrides.feed ?? new FakeIssueFeed(['20250101']);
  const { logger, lines } = recordingLogger();
  let parts!: DeliveryParts;
  const build = (extra: Partial<DeliveryDeps> = {}) => {
    const deps: DeliveryDeps = {
      store: SqliteStore.open(dbPath),
      ownsStore: true,
      ports: [port],
      issues: feed,
      logger,
      defaults: { schedule: '0 8 * * *', timezone: 'UTC', mode: 'full', language: 'zh' },
      catchUpMaxAgeMs: 24 * 3_600_000,
      publishOnArrival: false,
      maxAttempts: 3,
      sendTimeoutMs: 30_000,
      rates: {},
      digests: digestBuilder(),
      random: () => 0.5,
      ...overrides,
      ...extra,
    };
    parts = wireDelivery(deps);
    return new Delivery(deps, parts);
  };
  let service = build();
  const harness: Harness = {
    service,
    get store() {
      return parts.store;
    },
    get scheduler() {
      return parts.scheduler;
    },
    port,
    feed,
    dbPath,
    logLines: lines,
    async restart(extra) {
      await service.stop();
      await service.close();
      service = build(extra);
      harness.service = service;
      return service;
    },
    async close() {
      await service.stop();
      await service.close();
      cleanup();
    },
  };
  return harness;
}

/** Advances fake time in steps until the outbox is idle (or `maxMs` of fake time passed). */
export async function settle(service: Delivery, stepMs = 500, maxMs = 600_000): Promise<void> {
  let idle = false;
  void service.idle().then(() => (idle = true));
  for (let t = 0; t < maxMs && !idle; t += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  if (!idle) throw new Error(`outbox not idle after ${maxMs} ms of fake time`);
}

/** The fake timers every delivery test uses: Date and timers, so node-cron and the clock move together. */
export function useFakeTime(iso: string): void {
  vi.useFakeTimers({ now: Date.parse(iso), toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
}
