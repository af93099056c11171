/**
 * Several instances on one bot token: two real telegraf adapters (each with its own core and role
 * keeper) against the one fake Bot API, sharing roles through an in-memory cluster. Only the holder
 * of `telegram:polling` runs getUpdates; the other stands by and takes over.
 */
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { telegram, type TelegramChatAdapter } from '../../../adapters/telegram/index.js';
import type { Core } from '../../../src/app.js';
import { RoleKeeper } from '../../../src/cluster/roles.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { FIXTURE_ISSUES, recordingLogger } from '../../commands/support.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { LockTable, TestCluster } from '../../fakes/test-cluster.js';
import { sharedArchive } from '../../support/shared-archive.js';
import { until } from '../../support/watched-folder.js';

/** Short, so takeovers happen quickly; no test asserts on how long they took. */
const POLL_MS = 50;

interface Instance {
  name: string;
  core: Core;
  keeper: RoleKeeper;
  /** null: no cluster (a single instance on SQLite). */
  cluster: TestCluster | null;
  adapter: TelegramChatAdapter;
  logs: Array<Record<string, unknown>>;
  stopRequests: string[];
  stop(): Promise<void>;
}

const archive = sharedArchive();

let fake: FakeTelegramApi | undefined;
const instances: Instance[] = [];
afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.stop()));
  await fake?.close();
  fake = undefined;
});

async function startInstance(api: FakeTelegramApi, name: string, locks: LockTable | null, env: Record<string, string> = {}): Promise<Instance> {
  const { logger, lines } = recordingLogger();
  const config = loadPlatformConfig({ ISSUES_DIR: FIXTURE_ISSUES, ISSUE_CACHE_PATH: 'off', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ...env });
  const core: Core = { ...archive(), config, logger };
  const cluster = locks ? new TestCluster(name, locks) : null;
  const keeper = new RoleKeeper({ cluster, logger, pollMs: POLL_MS });
  const stopRequests: string[] = [];
  const listen = env.TELEGRAM_WEBHOOK_URL ? { listen: { port: 0, host: '127.0.0.1' } } : {};
  const adapter = (await telegram.chatAdapter({ roles: keeper, ...listen })(core, { requestStop: (r) => stopRequests.push(r) })) as TelegramChatAdapter;
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await adapter.stop();
      await keeper.stop();
    })());
  const instance: Instance = { name, core, keeper, cluster, adapter, logs: lines, stopRequests, stop };
  instances.push(instance);
  await adapter.start();
  return instance;
}

/** Pushes /latest from a new private chat; resolves, once the answering instance is idle, with what the chat got. */
async function askLatest(api: FakeTelegramApi, chatId: number, answering: Instance) {
  api.pushMessage({ chatId, from: { id: chatId }, text: '/latest', languageCode: 'en' });
  await api.waitFor('sendMessage', (r) => r.params.chat_id === chatId);
  await answering.adapter.idle();
  return api.sent(chatId);
}

/** The newest issue's title, which /latest shows. */
const latestTitle = (i: Instance) => i.core.library.latest()?.title ?? 'no issue';

const apologies = (api: FakeTelegramApi) => api.sent().filter((m) => m.plainText.includes(commandMessages.en.apology));

describe('Telegram long polling with several instances', () => {
  it('GIVEN two instances on one database THEN only the holder polls, no 409 is provoked, and /latest is answered once, by the holder', async () => {
    fake = await startFakeTelegramApi();
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    expect(a.adapter.polling).toBe(true);
    expect(b.adapter.polling).toBe(false);
    expect(b.logs.some((l) => l.msg === 'telegram bot started' && l.standby === true)).toBe(true);
    // B keeps asking for the role while it stands by, and never polls.
    await until(() => (b.cluster?.callsOf('tryLead').length ?? 0) >= 3, 'b to ask for the role again');
    expect(b.adapter.polling).toBe(false);

    const sent = await askLatest(fake, 5001, a);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.plainText).toContain(latestTitle(a));
    expect(a.adapter.replyStats.sent).toBe(1);
    expect(b.adapter.replyStats.sent).toBe(0);
    expect(fake.stats.conflicts).toBe(0);
  });

  it("GIVEN the holder's database connection dies THEN it stops polling, the other takes over and answers the next /latest, and no 409 reaches a reply", async () => {
    fake = await startFakeTelegramApi();
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    await fake.waitFor('getUpdates', (r) => r.status === null);

    // A's connection is gone: its lock is freed and every query it makes fails.
    locks.kill('a');
    if (a.cluster) a.cluster.failWith = new Error('Connection terminated unexpectedly');
    await until(() => b.adapter.polling && !a.adapter.polling, 'b to poll instead of a');
    expect(locks.holders.get('telegram:polling')).toBe('b');

    const sent = await askLatest(fake, 5002, b);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.plainText).toContain(latestTitle(b));
    expect(b.adapter.replyStats.sent).toBe(1);
    expect(a.adapter.replyStats.sent).toBe(0);
    expect(apologies(fake)).toEqual([]);
    // A reported its database failure once and did not ask the app to stop.
    expect(a.logs.filter((l) => l.family === 'store' && l.role === 'telegram:polling')).toHaveLength(1);
    expect(a.stopRequests).toEqual([]);
  });

  it('GIVEN the holder stops (graceful shutdown) THEN it hands the role over and the other answers the next /latest', async () => {
    fake = await startFakeTelegramApi();
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    await a.stop();
    expect(a.cluster?.callsOf('releaseLead').map((c) => c.role)).toEqual(['telegram:polling']);
    await until(() => b.adapter.polling, 'b to take over polling');
    const sent = await askLatest(fake, 5003, b);
    expect(sent).toHaveLength(1);
    expect(b.adapter.replyStats.sent).toBe(1);
    // Neither telegraf heard a 409.
    expect([...a.logs, ...b.logs].filter((l) => String(l.msg).includes('Conflict'))).toEqual([]);
  });

  it('GIVEN another poller on the same token (409 Conflict) THEN polling stops with one logged conflict, the app keeps running, and it polls again after its rest and answers', async () => {
    fake = await startFakeTelegramApi();
    const a = await startInstance(fake, 'a', null);
    await fake.waitFor('getUpdates', (r) => r.status === null);
    const before = fake.requests.length;
    // Someone else's getUpdates ends ours with 409, as Telegram does.
    await new Telegram(fake.token, { apiRoot: fake.apiRoot }).callApi('getUpdates', { timeout: 0 });
    await until(() => a.logs.some((l) => l.msg === 'role given back: standing by'), 'the adapter to stand by');
    const conflicts = a.logs.filter((l) => l.method === 'getUpdates' && String(l.msg).includes('Conflict'));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ family: 'platform', platform: 'telegram', standby: true });
    expect(a.stopRequests).toEqual([]);
    // After one poll interval it launches again: deleteWebhook, then a long poll.
    await fake.waitFor('getUpdates', (r) => r.seq > before && r.status === null);
    const sent = await askLatest(fake, 5004, a);
    expect(sent).toHaveLength(1);
    expect(apologies(fake)).toEqual([]);
  });

  it('GIVEN webhook mode THEN every instance serves the updates posted to it and none asks for the polling role', async () => {
    fake = await startFakeTelegramApi();
    const locks = new LockTable();
    const secret = 'webhook-secret_0123456789';
    const env = { TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/hook', TELEGRAM_WEBHOOK_SECRET: secret };
    const both = [await startInstance(fake, 'a', locks, env), await startInstance(fake, 'b', locks, env)];
    for (const [n, instance] of both.entries()) {
      const chatId = 5100 + n;
      const update = fake.pushMessage({ chatId, from: { id: chatId }, text: '/latest', languageCode: 'en' });
      const port = instance.adapter.webhookAddress?.port;
      const res = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
      await instance.adapter.idle();
      expect(fake.sent(chatId)).toHaveLength(1);
      expect(instance.adapter.replyStats.sent).toBe(1);
      expect(instance.cluster?.calls).toEqual([]);
    }
    expect(fake.requests.some((r) => r.method === 'getUpdates')).toBe(false);
  });
});
