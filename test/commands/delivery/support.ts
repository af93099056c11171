/**
 * The delivery commands' test bed: a real core over the fixture issues, with delivery on (the real
 * facade, real SQLite file in a temp folder) and a recording Telegram port standing in for the
 * adapter's delivery. The test reads and edits the database through a connection of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, vi } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../src/app.js';
import type { Caller, Reply } from '../../../src/commands/types.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import type { Delivery } from '../../../src/delivery/delivery.js';
import { createLogger } from '../../../src/log.js';
import type { PlatformName } from '../../../src/platform.js';
import { SqliteStore } from '../../../src/store/index.js';
import { RecordingPort } from '../../fakes/recording-port.js';
import { ask, FIXTURE_ISSUES, textOf } from '../support.js';

export interface AdminBed {
  core: Core;
  service: Delivery;
  /** The test's own connection to the same database file. */
  store: SqliteStore;
  port: RecordingPort;
  dbPath: string;
  /** Sends a command as a caller (default: Telegram user 42 in its private chat, an admin). */
  say(text: string, who?: Partial<Caller>): Promise<Reply>;
  /** The same, returning the reply's visible text. */
  text(text: string, who?: Partial<Caller>): Promise<string>;
  close(): Promise<void>;
}

/** Opens the bed; `env` overrides configuration (OWNER_IDS, DEFAULT_SCHEDULE…). */
export async function openAdminBed(env: Record<string, string> = {}, options: { platforms?: PlatformName[] } = {}): Promise<AdminBed> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-admin-'));
  const dbPath = join(dir, 'data', 'newsbot.db');
  const config = loadPlatformConfig({ ISSUES_DIR: FIXTURE_ISSUES, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger({ level: 'silent', secrets: [] });
  const core = await createCore(config, logger, { watch: false, delivery: { open: true, platforms: options.platforms ?? ['telegram'] } });
  const service = core.delivery;
  if (!service) throw new Error('delivery was asked for');
  const port = new RecordingPort('telegram');
  await service.start([port]);
  const store = SqliteStore.open(dbPath);
  const say = (text: string, who: Partial<Caller> = {}) => ask(core, text, who);
  return {
    core,
    service,
    store,
    port,
    dbPath,
    say,
    text: async (text, who) => textOf(await say(text, who)),
    async close() {
      await service.stop();
      await core.close();
      await service.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const EN = { language: 'en' } as const;
export const ZH = { language: 'zh' } as const;
/** A group member who is not an admin. */
export const MEMBER = { chatId: '-100777', chatType: 'group', userId: '5', isChatAdmin: async () => false } as const;

/**
 * Fakes only `Date` (timers stay real for the worker and SQLite), starting at Friday 2025-03-28
 * 12:00 UTC and moving on from there; Europe/Berlin springs forward on Sunday the 30th.
 */
export function useFridayNoonClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2025-03-28T12:00:00Z'), toFake: ['Date'], shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
