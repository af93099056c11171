import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  SlashCommandBuilder,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DISCORD, startFakeDiscord, type FakeDiscord } from './discord-api.js';

function newClient(fake: FakeDiscord): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: fake.apiBase, offset: 0 },
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } as never,
  });
}

async function loginAndWait(client: Client, token: string): Promise<void> {
  const ready = new Promise<void>((res) => client.once(Events.ClientReady, () => res()));
  await client.login(token);
  await ready;
}

describe('fake Discord driven by the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  const seen: Interaction[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
    client = newClient(fake);
    client.on(Events.InteractionCreate, async (interaction) => {
      seen.push(interaction);
      if (interaction.isChatInputCommand() && interaction.commandName === 'latest') {
        await interaction.reply({ content: `pong ${interaction.options.getString('id') ?? ''}`, flags: MessageFlags.Ephemeral });
      } else if (interaction.isChatInputCommand() && interaction.commandName === 'search') {
        await interaction.deferReply();
        await interaction.editReply({ content: 'results' });
        await interaction.followUp({ content: 'more' });
      } else if (interaction.isAutocomplete()) {
        await interaction.respond([{ name: `Issue ${interaction.options.getFocused()}`, value: '12' }]);
      } else if (interaction.isButton()) {
        await interaction.update({ content: `page ${interaction.customId}`, components: [] });
      }
    });
    await loginAndWait(client, fake.token);
  });

  afterAll(async () => {
    await client.destroy();
    await fake.close();
  });

  it('GIVEN a login THEN ClientReady fires with the bot user, the application and the guild channels', async () => {
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(FAKE_DISCORD.guildId);
    expect(guild?.channels.cache.get(FAKE_DISCORD.channelId)?.name).toBe('news');
    const identify = await fake.gateway.waitFor(2);
    expect(JSON.stringify(identify.d)).not.toContain(fake.token);
    expect(fake.requests('GET /gateway/bot')[0]?.headers.authorization).toBe('[redacted]');
  });

  it('GIVEN the client beats THEN the fake acknowledges and the client stays on one session', async () => {
    await fake.gateway.waitFor(1);
    expect(fake.gateway.received.filter((r) => r.op === 2)).toHaveLength(1);
  });

  it('GIVEN global and guild command registration THEN they are echoed back with ids', async () => {
    const command = new SlashCommandBuilder().setName('latest').setDescription('The latest issue').setNameLocalizations({ 'zh-CN': '最新' });
    const global = await client.application!.commands.set([command.toJSON()]);
    expect([...global.values()].map((c) => c.name)).toEqual(['latest']);
    expect(fake.commands()[0]?.id).toBe([...global.keys()][0]);
    await client.application!.commands.set([command.toJSON()], FAKE_DISCORD.guildId);
    expect(fake.commands(FAKE_DISCORD.guildId)).toHaveLength(1);
    expect(fake.requests('PUT /applications/:app/guilds/:guild/commands')).toHaveLength(1);
  });

  it('GIVEN an invalid command name THEN registration fails with Invalid Form Body', async () => {
    await expect(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({ code: 50035, status: 400 });
  });

  it('GIVEN a channel send THEN it returns the message the fake stored', async () => {
    const channel = (await client.channels.fetch(FAKE_DISCORD.channelId)) as TextChannel;
    const sent = await channel.send({ content: 'hello', embeds: [{ title: 'Issue 12', description: 'news' }] });
    const stored = fake.channelMessages().at(-1);
    expect(sent.id).toBe(stored?.id);
    expect(sent.embeds[0]?.title).toBe('Issue 12');
  });

  it('GIVEN an over-long message THEN discord.js throws DiscordAPIError 50035 naming the field', async () => {
    const channel = (await client.channels.fetch(FAKE_DISCORD.channelId)) as TextChannel;
    const error = await channel.send({ content: 'x'.repeat(2001) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).message).toContain('content[BASE_TYPE_MAX_LENGTH]');
  });

  it('GIVEN a 403 fault on the channel THEN the send fails with Missing Access once, then works', async () => {
    fake.fault({ kind: 'missing_access', channelId: FAKE_DISCORD.channelId });
    const channel = (await client.channels.fetch(FAKE_DISCORD.channelId)) as TextChannel;
    await expect(channel.send('a')).rejects.toMatchObject({ code: 50001, status: 403 });
    await expect(channel.send('b')).resolves.toBeDefined();
  });

  it('GIVEN a slash command in zh-CN THEN interaction.reply posts an ephemeral type 4 callback', async () => {
    const payload = fake.dispatchInteraction(fake.chatInput('latest', { id: '12' }, { locale: 'zh-CN' }));
    const callback = await fake.waitFor((r) => r.route === 'POST /interactions/:interaction/:token/callback' && r.params.interaction === payload.id);
    expect(callback.status).toBe(204);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'pong 12', flags: MessageFlags.Ephemeral } });
    const interaction = seen.find((i) => i.id === payload.id);
    expect(interaction?.locale).toBe('zh-CN');
    expect(interaction?.memberPermissions?.has('ManageGuild')).toBe(false);
  });

  it('GIVEN a deferred command THEN editReply patches @original and followUp posts to the webhook', async () => {
    const payload = fake.dispatchInteraction(fake.chatInput('search', { query: 'nerf', page: 2 }));
    await fake.waitFor((r) => r.route === 'POST /webhooks/:app/:token' && r.params.token === payload.token);
    const routes = fake.responsesTo(payload).map((r) => `${r.route} ${r.status}`);
    expect(routes).toEqual([
      'POST /interactions/:interaction/:token/callback 204',
      'PATCH /webhooks/:app/:token/messages/@original 200',
      'POST /webhooks/:app/:token 200',
    ]);
    expect(fake.interactionState(String(payload.id))?.original).toMatchObject({ content: 'results', flags: 0 });
  });

  it('GIVEN an autocomplete and a button THEN they get type 8 and type 7 callbacks', async () => {
    const auto = fake.dispatchInteraction(fake.autocomplete('issue', { id: '1' }, 'id'));
    const button = fake.dispatchInteraction(fake.button('search:nerf:3'));
    const [a, b] = await Promise.all([
      fake.waitFor((r) => r.params.interaction === auto.id),
      fake.waitFor((r) => r.params.interaction === button.id),
    ]);
    expect(a.body).toEqual({ type: 8, data: { choices: [{ name: 'Issue 1', value: '12' }] } });
    expect(b.body).toMatchObject({ type: 7, data: { content: 'page search:nerf:3', components: [] } });
  });

  it('GIVEN a dropped gateway connection THEN the client resumes and still answers', async () => {
    const resumed = new Promise<void>((res) => client.once(Events.ShardResume, () => res()));
    fake.gateway.drop(4000);
    await fake.gateway.waitFor(6);
    await resumed;
    const payload = fake.dispatchInteraction(fake.chatInput('latest'));
    await fake.waitFor((r) => r.params.interaction === payload.id);
    expect(fake.gateway.received.filter((r) => r.op === 2)).toHaveLength(1);
  });
});

describe('fake Discord error shapes (plain HTTP)', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(() => fake.close());

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${fake.apiBase}/v10${path}`, { ...init, headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json', ...init.headers } });

  it('GIVEN an unknown route, a wrong token or an unknown channel THEN Discord error bodies come back', async () => {
    expect(await (await call('/nope')).json()).toEqual({ message: '404: Not Found', code: 0 });
    const unauthorized = await call('/users/@me', { headers: { authorization: 'Bot wrong' } });
    expect(unauthorized.status).toBe(401);
    const unknown = await call('/channels/1/messages', { method: 'POST', body: JSON.stringify({ content: 'x', allowed_mentions: { parse: [] } }) });
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Unknown Channel', code: 10003 }]);
  });

  it('GIVEN a 429 fault twice THEN two 429s carry Retry-After and the third request passes', async () => {
    fake.fault({ kind: 'rate_limited', route: 'GET /users/@me', times: 2, retryAfterSeconds: 2.5 });
    const first = await call('/users/@me');
    expect(first.headers.get('retry-after')).toBe('2.5');
    expect(await first.json()).toEqual({ message: 'You are being rate limited.', retry_after: 2.5, global: false });
    expect((await call('/users/@me')).status).toBe(429);
    expect((await call('/users/@me')).status).toBe(200);
    expect(fake.stats().injected429s).toBe(2);
  });

  it('GIVEN an enforced limit of 3 requests/s and a frozen clock THEN a burst of 5 provokes 2 global 429s', async () => {
    let now = 1_000_000;
    const limited = await startFakeDiscord({ requestsPerSecond: 3, clock: () => now });
    try {
      const get = () => fetch(`${limited.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${limited.token}` } });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await get()).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      now += 250;
      const late = await get();
      expect([late.status, late.headers.get('retry-after'), late.headers.get('x-ratelimit-global')]).toEqual([429, '0.75', 'true']);
      now += 750;
      expect((await get()).status).toBe(200);
      expect(limited.stats()).toMatchObject({ enforced429s: 3, injected429s: 0 });
    } finally {
      await limited.close();
    }
  });

  it('GIVEN an empty message and a bad embed THEN 50006 and a nested 50035 come back', async () => {
    const empty = await call(`/channels/${FAKE_DISCORD.channelId}/messages`, { method: 'POST', body: JSON.stringify({ allowed_mentions: { parse: [] } }) });
    expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
    const bad = await call(`/channels/${FAKE_DISCORD.channelId}/messages`, { method: 'POST', body: JSON.stringify({ embeds: [{ title: 't'.repeat(257) }], allowed_mentions: { parse: [] } }) });
    const body = (await bad.json()) as { code: number; errors: { embeds: Record<string, { title: { _errors: Array<{ code: string }> } }> } };
    expect(body.code).toBe(50035);
    expect(body.errors.embeds['0']?.title._errors[0]?.code).toBe('BASE_TYPE_MAX_LENGTH');
  });
});

describe('clean shutdown', () => {
  it('GIVEN login, a send and destroy() then close() THEN a separate process exits on its own', async () => {
    const probe = resolve(import.meta.dirname, 'discord-shutdown.probe.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((res) => {
      // Liveness guard, not a timing assertion: a leaked socket or timer keeps the child forever.
      const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('exit', (c) => {
        clearTimeout(guard);
        res(c);
      });
    });
    expect(out).toContain('probe: closed');
    expect(code, out).toBe(0);
  });
});
