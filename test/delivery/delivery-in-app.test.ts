import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPlatformConfig } from '../../adapters/platforms.js';
import { telegram } from '../../adapters/telegram/index.js';
import { createCore, deliveryService, runApp, type AdapterFactory, type AppService, type RunningApp } from '../../src/app.js';
import { itemsOf } from '../../src/issue/model.js';
import { createLogger } from '../../src/log.js';
import { handled } from '../adapters/telegram/bot-support.js';
import { FIXTURE_ISSUES } from '../commands/support.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.js';
import { RecordingPort } from '../fakes/recording-port.js';

const logger = createLogger({ level: 'silent', secrets: [] });
let dir: string;
let fake: FakeTelegramApi | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop('test over');
  await fake?.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
  app = undefined;
  fake = undefined;
});

describe('delivery in the app', () => {
  it('GIVEN the app with delivery THEN it starts after the adapters with their ports, stops before them, and the store closes after the core', async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsbot-runtime-'));
    const config = loadPlatformConfig({ ISSUES_DIR: FIXTURE_ISSUES, DATABASE_PATH: join(dir, 'newsbot.db'), LOG_LEVEL: 'silent' });
    const events: string[] = [];
    const core = await createCore(config, logger, { watch: false, delivery: { open: true, platforms: ['telegram'] } });
    const service = core.delivery;
    if (!service) throw new Error('delivery was asked for');
    const delivery = deliveryService(service);
    const port = new RecordingPort('telegram');
    const adapter: AdapterFactory = () => ({
      platform: 'telegram',
      delivery: port,
      start: async () => void events.push(`adapter start (can deliver: ${service.canDeliver('telegram')})`),
      stop: async () => void events.push('adapter stop'),
    });
    const watched: AppService = {
      start: async (adapters) => {
        await delivery.start(adapters);
        events.push(`delivery start (can deliver: telegram ${service.canDeliver('telegram')}, discord ${service.canDeliver('discord')})`);
      },
      stop: async () => {
        events.push('delivery stop');
        await delivery.stop();
      },
      close: async () => {
        events.push('delivery close');
        await delivery.close?.();
      },
    };
    const closeCore = core.close;
    const running = await runApp({ ...core, close: async () => { events.push('core close'); await closeCore(); } }, [adapter], [watched]);
    await service.subscribe({ platform: 'telegram', chatId: '1', threadId: null }, { by: 'telegram:1' });
    await service.broadcast('20260818', { by: 'test' });
    await service.idle();
    expect(port.delivered('1')).toEqual(['20260818#0', '20260818#1', '20260818#2']);
    await running.stop('test');
    expect(events).toEqual([
      'adapter start (can deliver: true)',
      'delivery start (can deliver: telegram true, discord false)',
      'delivery stop',
      'adapter stop',
      'core close',
      'delivery close',
    ]);
    await expect(service.subscriptions()).rejects.toThrow();
  });

  it('GIVEN a Telegram chat that sends /subscribe daily 08:00 to the bot WHEN 08:00 comes THEN the chat receives the latest issue, each part once', async () => {
    // Fake time: Date and timers, so node-cron, the outbox and the bot's timers all run on it.
    // After the newest fixture issue (2026-08-18): a run never sends an issue dated after its day.
    vi.useFakeTimers({ now: Date.parse('2026-09-07T07:55:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    dir = mkdtempSync(join(tmpdir(), 'newsbot-runtime-'));
    fake = await startFakeTelegramApi();
    const config = loadPlatformConfig({
      ISSUES_DIR: FIXTURE_ISSUES,
      DATABASE_PATH: join(dir, 'newsbot.db'),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DEFAULT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'silent',
    });
    const core = await createCore(config, logger, { watch: false, delivery: { open: true, platforms: ['telegram'] } });
    const service = core.delivery;
    if (!service) throw new Error('delivery was asked for');
    app = await runApp(core, [telegram.chatAdapter()], [deliveryService(service)]);
    const latest = core.library.latest();
    if (!latest) throw new Error('the fixtures hold issues');

    await handled(fake, fake.pushMessage({ chatId: 5005, text: '/subscribe daily 08:00', languageCode: 'en' }));
    const [answer, ...early] = fake.sent(5005);
    expect(answer?.plainText).toContain('Subscribed: this chat will get the latest issue on its schedule.');
    expect(answer?.plainText).toContain('2026-09-07 Mon 08:00 GMT');
    expect(early).toEqual([]);

    await vi.advanceTimersByTimeAsync(4 * 60_000); // 07:59
    expect(fake.sent(5005)).toHaveLength(1);
    // Exactly to 08:00: the cron task fires. Fake time then only moves with vi.waitFor's checks, so the
    // real HTTP sends are not overtaken by SEND_TIMEOUT (a timed-out send is retried and may repeat).
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(async () => {
      const parts = await service.parts({ platform: 'telegram', chatId: '5005' }, latest.id);
      expect(parts.length).toBeGreaterThan(0);
      expect(parts.every((p) => p.status === 'sent')).toBe(true);
    }, { timeout: 20_000, interval: 50 });

    const posts = fake.sent(5005).slice(1);
    const parts = await service.parts({ platform: 'telegram', chatId: '5005' }, latest.id);
    expect(posts.map((m) => String(m.messageId))).toEqual(parts.map((p) => p.messageId));
    expect(new Set(posts.map((m) => m.text)).size).toBe(posts.length);
    const shown = posts.map((m) => m.plainText).join('\n');
    expect(shown).toContain(latest.date);
    for (const { item } of itemsOf(latest)) expect(shown).toContain(item.title.slice(0, 12));
  });
});
