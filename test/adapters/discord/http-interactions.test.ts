/**
 * Discord's HTTP interactions endpoint end to end: the real HTTP server on 127.0.0.1 with the
 * Discord adapter in HTTP mode (DISCORD_PUBLIC_KEY set, so no gateway), the real discord.js REST
 * client against the fake Discord, a key pair generated here, and requests signed as Discord signs them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discord, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { createHttpServer, type HttpServer } from '../../../adapters/http/server.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { createCore, runApp, type Core, type RunningApp } from '../../../src/app.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { itemsOf } from '../../../src/issue/model.js';
import { DEFAULT_MEMBER_PERMISSIONS, FAKE_DISCORD, PERMISSIONS, startFakeDiscord, type FakeDiscord, type Json } from '../../fakes/discord-api.js';
import { applicationKeys, interactionSender, type ApplicationKeys } from '../../fakes/discord-interactions.js';
import { recordingLogger } from '../../commands/support.js';
import { answerTo, buttonsOf, issuesFolder, TEST_CLIENT_OPTIONS, visibleText, type Answer } from './bot-support.js';

/** Says which chat it would change, as delivery's admin commands would. */
const whereCommand: CommandModule = {
  info: { name: 'testwhere', description: { zh: '测试：哪个聊天', en: 'Test: which chat' }, options: [], adminOnly: true },
  run: async ({ caller, language }) => ({ kind: 'text', tone: 'info', body: [[{ text: `chat ${caller.chatId}/${caller.threadId ?? '-'}` }]], language }),
};
const ADMIN = { memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild, locale: 'en-US' };
const MEMBER = { memberPermissions: DEFAULT_MEMBER_PERMISSIONS, locale: 'en-US' };

let fake: FakeDiscord;
let keys: ApplicationKeys;
let http: HttpServer;
let core: Core;
let app: RunningApp;
let root: string;
let url: string;
let post: ReturnType<typeof interactionSender>;
let logs: Array<Record<string, unknown>>;
let commandsRun = 0;

const adapter = () => app.adapters[0] as DiscordAdapter;
const shown = (answer: Answer) => answer.messages.map(visibleText).join('\n');
/** Posts a signed interaction and returns the endpoint's answer and, once the adapter is idle, what the reader sees. */
async function interact(payload: Json) {
  const response = await post(payload);
  await adapter().idle();
  return { response, answer: answerTo(fake, payload) };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'newsbot-discord-http-'));
  keys = applicationKeys();
  fake = await startFakeDiscord({ verifyKey: keys.publicKeyHex });
  const recorded = recordingLogger();
  logs = recorded.lines;
  const config = loadPlatformConfig({
    ISSUES_DIR: issuesFolder(),
    ISSUE_CACHE_PATH: 'off',
    DATABASE_PATH: join(root, 'newsbot.db'),
    LOG_LEVEL: 'debug',
    DISCORD_TOKEN: fake.token,
    DISCORD_APP_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
  });
  http = createHttpServer({ port: 0, host: '127.0.0.1', logger: recorded.logger });
  await http.listen();
  // Delivery's commands without its store (the store is being made asynchronous on another branch):
  // /schedule is admin-only either way, and the admin check is what this file is about.
  core = await createCore(config, recorded.logger, { watch: false, http, delivery: { open: false }, commands: [whereCommand] });
  const handle = core.router.handle.bind(core.router);
  core.router.handle = (command, caller) => {
    commandsRun++;
    return handle(command, caller);
  };
  app = await runApp(core, [discord.chatAdapter({ clientOptions: TEST_CLIENT_OPTIONS })]);
  url = `http://127.0.0.1:${http.port}/discord/interactions`;
  post = interactionSender(fake, url, keys);
}, 60_000);

afterAll(async () => {
  await app?.stop('test over');
  await http?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('GIVEN DISCORD_PUBLIC_KEY and no DISCORD_GATEWAY', () => {
  it('THEN the adapter never connects to the gateway and registers its commands over REST', () => {
    expect(fake.requests('GET /gateway/bot')).toHaveLength(0);
    expect(fake.commands().map((c) => c.name)).toContain('latest');
    // The key matches the application's (GET /applications/@me): no warning.
    expect(fake.requests('GET /applications/@me')).toHaveLength(1);
    expect(logs.filter((l) => String(l.msg).includes('DISCORD_PUBLIC_KEY is not'))).toHaveLength(0);
  });
});

describe('GIVEN no gateway session', () => {
  it('WHEN the outbox sends through the adapter\'s delivery port THEN it posts over REST as before', async () => {
    const outcome = await adapter().delivery.send({ platform: 'discord', chatId: FAKE_DISCORD.channelId, threadId: null }, { content: 'scheduled post' });
    expect(outcome.kind).toBe('sent');
    expect(fake.channelMessages().map((m) => m.content)).toContain('scheduled post');
  });
});

describe('GIVEN a request Discord did not sign', () => {
  const otherKey = generateKeyPairSync('ed25519').privateKey;
  const cases: Array<[string, () => Parameters<typeof post>[1]]> = [
    ['no signature headers', () => ({ key: null })],
    ['a signature by another key', () => ({ key: otherKey })],
    ['a body changed after signing', () => ({ sentBody: JSON.stringify({ ...fake.chatInput('help'), id: '1' }) })],
    ['a timestamp six minutes old', () => ({ timestamp: Math.floor(Date.now() / 1000) - 360 })],
  ];
  it.each(cases)('WHEN it carries %s THEN it is answered 401 and no command runs', async (_name, options) => {
    const before = commandsRun;
    const payload = fake.chatInput('help', {}, MEMBER);
    const { status } = await post(payload, options());
    await adapter().idle();
    expect(status).toBe(401);
    expect(commandsRun).toBe(before);
    expect(answerTo(fake, payload).requests).toHaveLength(0);
  });

  it('WHEN the signature header is not hex THEN 401', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': '1' }, body: '{"type":1}' });
    expect(res.status).toBe(401);
  });

  it('WHEN a GET arrives THEN 405; WHEN a signed body is over the cap THEN 413', async () => {
    expect((await fetch(url)).status).toBe(405);
    const big = { ...fake.chatInput('help'), padding: 'x'.repeat(300 * 1024) };
    expect((await post(big)).status).toBe(413);
  });
});

describe('GIVEN requests Discord signed', () => {
  it('WHEN it PINGs THEN the answer is PONG', async () => {
    const res = await post({ id: '1000000000000000001', token: 'ping', type: 1, application_id: fake.applicationId, version: 1 });
    expect(res).toEqual({ status: 200, body: { type: 1 } });
  });

  it('WHEN /help is used THEN the HTTP response itself is the reply (type 4)', async () => {
    const { response, answer } = await interact(fake.chatInput('help', {}, MEMBER));
    expect(response.status).toBe(200);
    expect((response.body as Json).type).toBe(4);
    expect(fake.requests('POST /interactions/:interaction/:token/callback').filter((r) => r.headers.via !== 'http-response')).toHaveLength(0);
    expect(shown(answer)).toContain('/latest');
  });

  it('WHEN /latest is used THEN it is deferred (type 5) and the latest issue arrives through the webhook edit and follow-ups', async () => {
    const latest = core.library.latest()!;
    const { response, answer } = await interact(fake.chatInput('latest', {}, MEMBER));
    expect((response.body as Json).type).toBe(5);
    expect(answer.messages[0]?.via).toBe('edit');
    expect(answer.messages.length).toBeGreaterThan(1);
    expect(shown(answer)).toContain(latest.date);
    const embedUrls = answer.messages.flatMap((m) => ((m.body.embeds ?? []) as Json[]).map((e) => e.url));
    expect(embedUrls).toEqual(itemsOf(latest).map(({ item }) => item.url ?? undefined));
  });

  it('WHEN /issue is typed THEN autocomplete choices come back in the HTTP response (type 8)', async () => {
    const { response } = await interact(fake.autocomplete('issue', { date: '2019' }, 'date', MEMBER));
    const body = response.body as { type: number; data: { choices: Array<{ value: string }> } };
    expect(body.type).toBe(8);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.every((c) => c.value.startsWith('2019'))).toBe(true);
  });

  it('WHEN a page button of /search is pressed THEN the message is updated in place (type 7) with the next page', async () => {
    const { answer } = await interact(fake.chatInput('search', { query: 'nerf' }, MEMBER));
    const last = answer.messages.at(-1)!;
    const next = buttonsOf(last).find((b) => b.customId && !b.disabled && b.label.includes('▶'));
    expect(next?.customId).toBeDefined();
    const message = { id: '1300000000000000001', channel_id: '1200000000000000200', content: '', components: last.body.components, author: { id: fake.applicationId, username: 'newsbot', discriminator: '0', avatar: null }, attachments: [], embeds: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0, type: 0 };
    const { response } = await interact(fake.button(next!.customId!, { ...MEMBER, message }));
    expect((response.body as Json).type).toBe(7);
    expect(JSON.stringify(response.body)).toContain('2/');
  });

  it('WHEN a member without Manage Server uses /schedule THEN it is refused; WHEN an admin does THEN it is accepted', async () => {
    const refused = await interact(fake.chatInput('schedule', { schedule: 'daily 08:00', timezone: 'UTC' }, MEMBER));
    expect(shown(refused.answer)).toContain('Only chat admins can use `/schedule`.');
    expect(refused.answer.messages.every((m) => m.ephemeral)).toBe(true);
    const accepted = await interact(fake.chatInput('schedule', { schedule: 'daily 08:00', timezone: 'UTC' }, ADMIN));
    const text = shown(accepted.answer);
    expect(text).not.toContain('Only chat admins');
    // Past the admin check, /schedule itself answers (here: that this core has no delivery store open).
    expect(text).toContain('Timed posts go to Telegram and Discord chats');
  });

  it('WHEN a command comes from a thread THEN, as over the gateway, the chat is the parent channel and the thread is kept', async () => {
    const payload = fake.chatInput('testwhere', {}, { channelId: FAKE_DISCORD.threadId, memberPermissions: PERMISSIONS.Administrator });
    payload.channel = { ...(payload.channel as Json), type: 11, parent_id: FAKE_DISCORD.channelId };
    const { answer } = await interact(payload);
    expect(shown(answer)).toBe(`chat ${FAKE_DISCORD.channelId}/${FAKE_DISCORD.threadId}`);
    const { answer: plain } = await interact(fake.chatInput('testwhere', {}, { memberPermissions: PERMISSIONS.Administrator }));
    expect(shown(plain)).toBe(`chat ${FAKE_DISCORD.channelId}/-`);
  });

  it('WHEN an interaction is of a type discord.js does not know, or one the bot does not answer (a select menu) THEN 400 and nothing is sent', async () => {
    const unknown = { ...fake.chatInput('help', {}, MEMBER), type: 99 };
    expect((await post(unknown)).status).toBe(400);
    const select = { ...fake.button('pick', MEMBER), data: { custom_id: 'pick', component_type: 3, values: ['a'] } };
    const { response, answer } = await interact(select);
    expect(response.status).toBe(400);
    expect(answer.requests).toHaveLength(0);
  });

  it('WHEN the same interaction is delivered twice at once THEN it is answered once', async () => {
    const payload = fake.chatInput('help', {}, MEMBER);
    const before = commandsRun;
    const [a, b] = await Promise.all([post(payload), post(payload)]);
    await adapter().idle();
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(commandsRun - before).toBe(1);
    const answer = answerTo(fake, payload);
    expect(answer.requests.filter((r) => r.route === 'POST /interactions/:interaction/:token/callback')).toHaveLength(1);
    expect(answer.messages).toHaveLength(1);
    // And once more later (within the token's 15 minutes): still not answered again.
    expect((await post(payload)).status).toBe(409);
    expect(commandsRun - before).toBe(1);
  });

  it('THEN no log line holds the private key, a signature, or the bot token', () => {
    const all = JSON.stringify(logs);
    expect(logs.some((l) => String(l.msg).includes('interaction request refused'))).toBe(true);
    expect(all).not.toContain(keys.privateKeyText);
    expect(all).not.toContain(fake.token);
    expect(all).not.toMatch(/[0-9a-f]{128}/i);
  });
});
