/**
 * A Telegram update is answered once: across a re-delivery to the same bot (a poller that died
 * before confirming its batch), and across instances sharing one store (a webhook update posted to
 * each). Real telegraf against the fake Bot API, the real SQLite file and a real PostgreSQL server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Update } from 'telegraf/types';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/app.js';
import type { Logger } from '../../../src/log.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { telegram, type TelegramChatAdapter } from '../../../adapters/telegram/index.js';
import { FIXTURE_ISSUES, recordingLogger } from '../../commands/support.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { describePostgres } from '../../support/postgres-suite.js';
import { handled, startBot, type BotHarness } from './bot-support.js';

const DELIVERY = { delivery: { open: true as const, platforms: ['telegram' as const] } };
const HOOK_URL = 'https://bot.example.org/telegram/hook';
const SECRET = 'webhook-secret_0123456789';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-once-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A polling bot with delivery's store open (SQLite at `path`), closed after the test. */
async function pollingBot(path: string | null): Promise<BotHarness> {
  const h = await startBot({ env: path ? { DATABASE_PATH: path } : {}, coreOptions: path ? DELIVERY : {} });
  cleanups.push(async () => {
    await h.stop();
    await h.core.delivery?.close();
  });
  return h;
}

/** Serves `update` again and resolves once the bot took it and finished what it started. */
async function redelivered(h: BotHarness, update: Update): Promise<void> {
  const after = h.fake.requests.at(-1)?.seq ?? 0;
  h.fake.redeliver(update);
  // telegraf handles a batch before its next getUpdates.
  await h.fake.waitFor('getUpdates', (r) => r.seq > after);
  await h.adapter.idle();
}

const count = (fake: FakeTelegramApi, method: string) => fake.requests.filter((r) => r.method === method).length;

describe('Telegram: an update delivered again', () => {
  it('GIVEN a command answered WHEN Telegram delivers the same update again THEN it is not answered again, and a debug line says why', async () => {
    const h = await pollingBot(join(tempDir(), 'bot.db'));
    const update = h.fake.pushMessage({ chatId: 501, text: '/help', languageCode: 'en' });
    await handled(h, update);
    expect(h.fake.sent(501)).toHaveLength(1);

    await redelivered(h, update);
    expect(h.fake.sent(501)).toHaveLength(1);
    expect(h.logs.some((l) => l.updateId === update.update_id && /handled already/.test(String(l.msg)))).toBe(true);
    // A new command from the same chat is still answered.
    await handled(h, h.fake.pushMessage({ chatId: 501, text: '/help', languageCode: 'en' }));
    expect(h.fake.sent(501)).toHaveLength(2);
  });

  it('GIVEN an inline query and a button press answered WHEN each is delivered again THEN each is answered once', async () => {
    const h = await pollingBot(join(tempDir(), 'bot.db'));
    const inline = h.fake.pushInlineQuery({ query: 'nerf' });
    await h.fake.waitFor('answerInlineQuery');
    await h.adapter.idle();
    await redelivered(h, inline);
    expect(count(h.fake, 'answerInlineQuery')).toBe(1);

    const press = h.fake.pushCallbackQuery({ data: 'not-a-page', messageId: 1, chatId: 502, languageCode: 'en' });
    await h.fake.waitFor('answerCallbackQuery');
    await h.adapter.idle();
    await redelivered(h, press);
    expect(count(h.fake, 'answerCallbackQuery')).toBe(1);
  });

  it('GIVEN no store (delivery off) WHEN the same update comes again THEN every update counts as new and is answered', async () => {
    const h = await pollingBot(null);
    const update = h.fake.pushMessage({ chatId: 503, text: '/help', languageCode: 'en' });
    await handled(h, update);
    await redelivered(h, update);
    expect(h.fake.sent(503)).toHaveLength(2);
  });

  it('GIVEN a store that fails to record updates THEN the update is still answered and the failure is logged', async () => {
    const path = join(tempDir(), 'bot.db');
    const h = await pollingBot(path);
    const raw = new Database(path);
    raw.exec('DROP TABLE handled_updates');
    raw.close();
    const update = h.fake.pushMessage({ chatId: 504, text: '/help', languageCode: 'en' });
    await handled(h, update);
    expect(h.fake.sent(504)).toHaveLength(1);
    expect(h.logs.some((l) => l.check === 'firstHandling' && l.updateId === update.update_id && l.family === 'store')).toBe(true);
  });
});

/** One instance in webhook mode on the shared `fake`, with delivery's store at `env`'s database. */
async function webhookInstance(fake: FakeTelegramApi, env: Record<string, string>): Promise<{ adapter: TelegramChatAdapter; hook: string }> {
  const { logger } = recordingLogger();
  const config = loadPlatformConfig({
    ISSUES_DIR: FIXTURE_ISSUES,
    ISSUE_CACHE_PATH: 'off',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: HOOK_URL,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ...env,
  });
  const core = await createCore(config, logger as Logger, { watch: false, ...DELIVERY });
  const adapter = (await telegram.chatAdapter({ listen: { port: 0, host: '127.0.0.1' } })(core, { requestStop: () => undefined })) as TelegramChatAdapter;
  cleanups.push(async () => {
    await adapter.stop();
    await core.close();
    await core.delivery?.close();
  });
  await adapter.start();
  const port = adapter.webhookAddress?.port;
  return { adapter, hook: `http://127.0.0.1:${port}/telegram/hook` };
}

/** Two instances on one database each get the same update posted once; resolves with the replies sent. */
async function postedToBoth(env: Record<string, string>): Promise<number> {
  const fake = await startFakeTelegramApi();
  cleanups.push(() => fake.close());
  const a = await webhookInstance(fake, env);
  const b = await webhookInstance(fake, env);
  const update = fake.pushMessage({ chatId: 601, text: '/help', languageCode: 'en' });
  const post = (hook: string) =>
    fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(update) });
  const statuses = await Promise.all([post(a.hook), post(b.hook)]).then((rs) => rs.map((r) => r.status));
  expect(statuses).toEqual([200, 200]);
  await Promise.all([a.adapter.idle(), b.adapter.idle()]);
  return fake.sent(601).length;
}

describe('Telegram: two instances on one store', () => {
  it('GIVEN two instances on one SQLite file WHEN each is posted the same webhook update THEN exactly one reply is sent', async () => {
    expect(await postedToBoth({ DATABASE_PATH: join(tempDir(), 'shared.db') })).toBe(1);
  });
});

describePostgres('Telegram: two instances on one PostgreSQL database', (server) => {
  it('GIVEN two instances on one PostgreSQL database WHEN each is posted the same webhook update THEN exactly one reply is sent', async () => {
    expect(await postedToBoth({ DATABASE_URL: await server().createDatabase() })).toBe(1);
  });

  it('GIVEN one getUpdates batch of twelve commands from one chat THEN each is answered once, in the order asked, though each check is its own query', async () => {
    const refs = Array.from({ length: 12 }, (_, i) => `1999010${i % 9}${i}`);
    const url = await server().createDatabase();
    const h = await startBot({
      env: { DATABASE_URL: url },
      coreOptions: DELIVERY,
      beforeStart: (fake) => refs.forEach((ref) => fake.pushMessage({ chatId: 701, text: `/issue ${ref}`, languageCode: 'en' })),
    });
    cleanups.push(async () => {
      await h.stop();
      await h.core.delivery?.close();
    });
    while (h.fake.sent(701).length < refs.length) await h.fake.waitFor('sendMessage');
    await h.adapter.idle();
    const texts = h.fake.sent(701).map((m) => m.plainText);
    expect(texts).toHaveLength(refs.length);
    refs.forEach((ref, i) => expect(texts[i]).toContain(ref));
  });
});
