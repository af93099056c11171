/**
 * Several instances on one Discord bot: two real discord.js adapters (each with its own core and
 * role keeper) against the one fake Discord, sharing roles through an in-memory cluster. Only the
 * holder of `discord:gateway` opens a gateway session; every instance delivers over REST.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discord, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import type { Core } from '../../../src/app.js';
import { RoleKeeper } from '../../../src/cluster/roles.js';
import { FIXTURE_ISSUES, recordingLogger } from '../../commands/support.js';
import { FAKE_DISCORD, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';
import { LockTable, TestCluster } from '../../fakes/test-cluster.js';
import { sharedArchive } from '../../support/shared-archive.js';
import { until } from '../../support/watched-folder.js';
import { answerTo, TEST_CLIENT_OPTIONS } from './bot-support.js';

const POLL_MS = 50;
const IDENTIFY = 2;

interface Instance {
  core: Core;
  cluster: TestCluster;
  adapter: DiscordAdapter;
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

const archive = sharedArchive();

let fake: FakeDiscord | undefined;
const instances: Instance[] = [];
afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.stop()));
  await fake?.close();
  fake = undefined;
});

async function startInstance(api: FakeDiscord, name: string, locks: LockTable): Promise<Instance> {
  const { logger, lines } = recordingLogger();
  const config = loadPlatformConfig({
    ISSUES_DIR: FIXTURE_ISSUES,
    ISSUE_CACHE_PATH: 'off',
    DISCORD_TOKEN: api.token,
    DISCORD_APP_ID: api.applicationId,
    DISCORD_API_BASE: api.apiBase,
  });
  const core: Core = { ...archive(), config, logger };
  const cluster = new TestCluster(name, locks);
  const keeper = new RoleKeeper({ cluster, logger, pollMs: POLL_MS });
  const adapter = (await discord.chatAdapter({ clientOptions: TEST_CLIENT_OPTIONS, roles: keeper })(core, { requestStop: () => undefined })) as DiscordAdapter;
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await adapter.stop();
      await keeper.stop();
    })());
  const instance: Instance = { core, cluster, adapter, logs: lines, stop };
  instances.push(instance);
  await adapter.start();
  return instance;
}

const identifies = (api: FakeDiscord) => api.gateway.received.filter((r) => r.op === IDENTIFY).length;

/**
 * Dispatches /latest on the gateway (to every open session) and, once `by` has finished it, checks
 * it was acknowledged exactly once and shows messages.
 */
async function expectLatestAnsweredOnce(api: FakeDiscord, by: Instance): Promise<void> {
  const payload = api.dispatchInteraction(api.chatInput('latest'));
  await api.waitFor((r) => r.params.interaction === payload.id);
  await by.adapter.idle();
  const answer = answerTo(api, payload);
  const callbacks = answer.requests.filter((r) => r.route === 'POST /interactions/:interaction/:token/callback');
  expect(callbacks.map((r) => r.status)).toEqual([204]);
  expect(answer.messages.length).toBeGreaterThan(0);
  expect(answer.requests.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
}

describe('Discord gateway with several instances', () => {
  it('GIVEN two instances on one database THEN only the holder opens a gateway session and answers; the other still delivers over REST', async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    expect(a.adapter.client).not.toBeNull();
    expect(b.adapter.client).toBeNull();
    await until(() => b.cluster.callsOf('tryLead').length >= 3, 'b to ask for the role again');
    expect(identifies(fake)).toBe(1);
    expect(fake.gateway.connectedSessions).toBe(1);
    expect(b.logs.some((l) => l.msg === 'discord: another instance holds the gateway; standing by')).toBe(true);

    await expectLatestAnsweredOnce(fake, a);

    const outcome = await b.adapter.delivery.send({ platform: 'discord', chatId: FAKE_DISCORD.channelId, threadId: null }, { content: 'from the standby instance' });
    expect(outcome.kind).toBe('sent');
    expect(fake.channelMessages().map((m) => m.content)).toContain('from the standby instance');
  });

  it("GIVEN the holder's database connection dies THEN its session ends, the other logs in and answers the next /latest", async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    locks.kill('a');
    a.cluster.failWith = new Error('Connection terminated unexpectedly');
    await until(() => a.adapter.client === null && b.adapter.client?.isReady() === true, 'b to hold the gateway instead of a');
    await until(() => fake?.gateway.connectedSessions === 1, 'one gateway session');
    expect(identifies(fake)).toBe(2);
    await expectLatestAnsweredOnce(fake, b);
  });

  it('GIVEN the holder stops (graceful shutdown) THEN the other takes the gateway over', async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    const locks = new LockTable();
    const a = await startInstance(fake, 'a', locks);
    const b = await startInstance(fake, 'b', locks);
    await a.stop();
    expect(a.cluster.callsOf('releaseLead').map((c) => c.role)).toEqual(['discord:gateway']);
    await until(() => b.adapter.client?.isReady() === true, 'b to log in');
    await until(() => fake?.gateway.connectedSessions === 1, 'one gateway session');
    await expectLatestAnsweredOnce(fake, b);
  });
});
