/**
 * The readers' features end to end: the real app (core watching a temp issues folder, the delivery facade
 * on a real SQLite file, the real Telegram adapter over telegraf) against the fake Bot API. `restart`
 * stops the app and starts a new one on the same folder and database.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../adapters/platforms.js';
import { telegram } from '../../adapters/telegram/index.js';
import { createCore, deliveryService, runApp, type Core, type RunningApp } from '../../src/app.js';
import type { Delivery } from '../../src/delivery/delivery.js';
import { createLogger } from '../../src/log.js';
import { SqliteStore } from '../../src/store/index.js';
import { handled } from '../adapters/telegram/bot-support.js';
import { startFakeTelegramApi, type FakeTelegramApi, type PushMessageOptions, type SentMessage } from '../fakes/telegram-api.js';
import { sampleIssuesDir } from './corpus.js';
import { until } from './watched-folder.js';

export const OWNER = 7;

export interface ReadersBed {
  fake: FakeTelegramApi;
  core: Core;
  delivery: Delivery;
  /** The bed's own connection to the bot's SQLite file, for assertions. */
  store: SqliteStore;
  issuesDir: string;
  /** Sends a message and waits for the bot's answer; returns what the chat received meanwhile. */
  say(options: PushMessageOptions): Promise<SentMessage[]>;
  /** Writes an issue file and waits until the library serves it with `items` items. */
  write(name: string, text: string, id: string, items: number): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the bed over copies of the seed issue (20210814) and the invented 20201009. */
export async function openReadersBed(): Promise<ReadersBed> {
  const root = mkdtempSync(join(tmpdir(), 'newsbot-readers-'));
  const issuesDir = join(root, 'issues');
  const dbPath = join(root, 'data', 'newsbot.db');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(issuesDir, { recursive: true });
  for (const f of ['AI简报20210814.md', 'AI 简报20201009.md']) copyFileSync(join(sampleIssuesDir, f), join(issuesDir, f));
  const fake = await startFakeTelegramApi();
  const logger = createLogger({ level: 'silent', secrets: [] });
  const config = loadPlatformConfig({
    ISSUES_DIR: issuesDir,
    ISSUE_CACHE_PATH: 'off',
    DATABASE_PATH: dbPath,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DEFAULT_TIMEZONE: 'UTC',
    DEFAULT_SCHEDULE: 'off',
    OWNER_IDS: `telegram:${OWNER}`,
    LOG_LEVEL: 'silent',
  });
  let app: RunningApp;
  let core: Core;
  let delivery: Delivery;
  const start = async () => {
    core = await createCore(config, logger, { watch: true, delivery: { open: true, platforms: ['telegram'] } });
    if (!core.delivery) throw new Error('delivery was asked for');
    delivery = core.delivery;
    app = await runApp(core, [telegram.chatAdapter()], [deliveryService(delivery)]);
  };
  await start();
  const store = SqliteStore.open(dbPath);
  const bed: ReadersBed = {
    fake,
    get core() {
      return core;
    },
    get delivery() {
      return delivery;
    },
    store,
    issuesDir,
    async say(options) {
      const chatId = options.chatId ?? options.from?.id ?? 1001;
      const before = fake.sent(chatId).length;
      await handled(fake, fake.pushMessage(options));
      return fake.sent(chatId).slice(before);
    },
    async write(name, text, id, items) {
      writeFileSync(join(issuesDir, name), text);
      await until(() => core.library.get(id)?.sections.reduce((n, s) => n + s.items.length, 0) === items, `issue ${id} with ${items} items`);
      await bed.delivery.idle();
    },
    async restart() {
      await app.stop('restart');
      await start();
    },
    async close() {
      await app.stop('test over');
      await store.close();
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return bed;
}

/** An issue file invented for tests: one section "AI" of the given items, links on example domains. */
export function inventedIssue(id: string, items: ReadonlyArray<{ title: string; summary: string; slug: string }>): string {
  const lines = [`> 导读： 本期为 AI 简报 ${id} 期。测试样例（invented for tests）：内容为编造，链接都在保留的示例域名上。`, '', '# AI', ''];
  items.forEach((item, i) => lines.push(`## ${i + 1}. [${item.title}](https://news.example.org/${item.slug})`, '', item.summary, ''));
  return `${lines.join('\n')}\n`;
}
