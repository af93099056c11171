/**
 * The bot as `npm start` wires it with a Telegram token (adapters/main.ts): the ops HTTP server on
 * 127.0.0.1 (an ephemeral port), delivery and the core observed by metrics and owner alerts, and the
 * real telegraf adapter against the fake Bot API. Steps are separate so tests can look between them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { telegram } from '../../../adapters/telegram/index.js';
import { createOps, type Ops } from '../../../adapters/http/ops.js';
import { createCore, deliveryService, runApp, type Core, type RunningApp } from '../../../src/app.js';
import type { Clock } from '../../../src/clock.js';
import type { Config } from '../../../src/config.js';
import type { Delivery } from '../../../src/delivery/delivery.js';
import { SqliteStore } from '../../../src/store/index.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { recordingLogger } from '../../fakes/delivery-harness.js';
import { sampleIssuesDir } from '../../support/corpus.js';

/** A wall clock that moves only when told; sleepers wake when it passes their time. */
export class ManualClock implements Clock {
  t: number;
  #sleepers: Array<{ until: number; wake: () => void }> = [];

  constructor(start: number) {
    this.t = start;
  }

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = { until: this.t + ms, wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });

  /** Moves time forward and wakes every sleeper it passed, then lets them run. */
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.t);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.t);
    for (const s of due) s.wake();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

export interface OpsBot {
  fake: FakeTelegramApi;
  config: Config;
  ops: Ops;
  core: Core;
  delivery: Delivery;
  /** The test's own connection to the bot's SQLite file, for assertions and set-up. */
  store: SqliteStore;
  clock: ManualClock;
  issuesDir: string;
  /** http://127.0.0.1:<port> once listening. */
  base(): string;
  service(): Delivery;
  /** Starts the adapter and the services (runApp). */
  run(): Promise<RunningApp>;
  /** Stops the app (if running), closes the server and the fake, removes the temp folder. */
  close(): Promise<void>;
  logLines: () => Array<Record<string, unknown>>;
  /** The temp folder the test owns (screenshots go here). */
  dir: string;
}

/** Builds everything and listens; the adapter is not started yet (run()). */
export async function startOpsBot(env: Record<string, string> = {}, clockStart = Date.now()): Promise<OpsBot> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-ops-'));
  const issuesDir = join(dir, 'issues');
  mkdirSync(issuesDir);
  copyFileSync(join(sampleIssuesDir, 'AI简报20261120.md'), join(issuesDir, 'AI简报20261120.md'));
  const fake = await startFakeTelegramApi();
  const config = loadPlatformConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ISSUES_DIR: issuesDir,
    DATABASE_PATH: join(dir, 'data', 'newsbot.db'),
    ISSUE_CACHE_PATH: 'off',
    PORT: '0',
    HTTP_HOST: '127.0.0.1',
    DEFAULT_LANGUAGE: 'en',
    DEFAULT_TIMEZONE: 'UTC',
    PARSE_WORKERS: '1',
    ...env,
  });
  const { logger, lines } = recordingLogger();
  const clock = new ManualClock(clockStart);
  const ops = createOps(config, logger, ['telegram'], { clock, checkEveryMs: 1_000 });
  const core = await createCore(config, logger, {
    delivery: { open: true, platforms: ['telegram'] },
    progressive: true,
    observer: ops.observer,
    http: ops.http,
  });
  const delivery = core.delivery;
  if (!delivery) throw new Error('delivery was asked for');
  ops.attach({ library: core.library, store: () => (delivery.opsView.isOpen ? delivery.opsView : null) });
  const store = SqliteStore.open(config.DATABASE_PATH);
  await ops.listen();
  let app: RunningApp | null = null;
  return {
    fake,
    config,
    ops,
    core,
    delivery,
    store,
    clock,
    issuesDir,
    dir,
    logLines: lines,
    base: () => `http://127.0.0.1:${ops.http.port}`,
    service: () => delivery,
    async run() {
      app = await runApp(core, [telegram.chatAdapter()], [deliveryService(delivery), ops.service]);
      return app;
    },
    async close() {
      if (app) await app.stop();
      else {
        await core.close();
        await delivery.close();
      }
      await store.close();
      await ops.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it is true (every 20 ms, at most `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
