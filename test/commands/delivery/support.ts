/**
 * The admin commands' test bed: a real core over the fixture issues, with the real DeliveryRuntime
 * (real DeliveryService, real SQLite file in a temp folder) and a recording Telegram port standing
 * in for the adapter's delivery.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, vi } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../src/app.js';
import type { Caller, Reply } from '../../../src/commands/types.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { DeliveryRuntime } from '../../../src/delivery/runtime.js';
import type { DeliveryService } from '../../../src/delivery/service.js';
import { createLogger } from '../../../src/log.js';
import type { ChatAdapter, PlatformName } from '../../../src/platform.js';
import { RecordingPort } from '../../fakes/recording-port.js';
import { ask, FIXTURE_ISSUES, textOf } from '../support.js';

export interface AdminBed {
  core: Core;
  runtime: DeliveryRuntime;
  service: DeliveryService;
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
  const runtime = new DeliveryRuntime(config, logger);
  const core = await createCore(config, logger, { watch: false, commands: runtime.commands, chats: runtime.chats });
  const service = runtime.open(core.library, options.platforms ?? ['telegram']);
  const port = new RecordingPort('telegram');
  const adapter: ChatAdapter = { platform: 'telegram', delivery: port, start: async () => {}, stop: async () => {} };
  runtime.start([adapter]);
  const say = (text: string, who: Partial<Caller> = {}) => ask(core, text, who);
  return {
    core,
    runtime,
    service,
    port,
    dbPath,
    say,
    text: async (text, who) => textOf(await say(text, who)),
    async close() {
      await runtime.stop();
      await core.close();
      runtime.close();
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
