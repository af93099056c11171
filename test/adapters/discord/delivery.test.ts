import { Writable } from 'node:stream';
import { REST } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordDeliveryPort, createDiscordRest, createDiscordSender, discordClientOptions } from '../../../adapters/discord/delivery.js';
import type { Digest } from '../../../src/digest/digest.js';
import type { PlatformError } from '../../../src/errors.js';
import { createLogger, reportError } from '../../../src/log.js';
import type { ChatRef, DeliveryPort } from '../../../src/platform.js';
import { makeHarness } from '../../fakes/delivery-harness.js';
import { FAKE_DISCORD, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';

const channel: ChatRef = { platform: 'discord', chatId: FAKE_DISCORD.channelId, threadId: null };
const SEND = 'POST /channels/:channel/messages';

describe('createDiscordSender against the fake Discord (real @discordjs/rest)', () => {
  let fake: FakeDiscord;
  const errors: PlatformError[] = [];
  const reasons: string[] = [];
  let rest: REST;

  const sender = (options: Parameters<typeof createDiscordSender>[1] = {}, r: REST = rest) =>
    createDiscordSender(r, { onError: (e) => errors.push(e), ...options });
  const send = async (chat: ChatRef = channel, message: Record<string, unknown> = { content: 'Issue 12 is out' }, s = sender()) => {
    const outcome = await s.send(chat, message);
    if (outcome.kind !== 'sent') reasons.push(outcome.reason);
    return outcome;
  };

  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  beforeEach(() => {
    fake.clearFaults();
    // A fresh REST per test: rate limit state (e.g. a global limit) must not leak between tests.
    rest = createDiscordRest({ token: fake.token, apiBase: fake.apiBase, offsetMs: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('GIVEN a channel THEN the message is posted with mentions disabled and its id comes back', async () => {
    const outcome = await send();
    const stored = fake.channelMessages().at(-1);
    expect(outcome).toEqual({ kind: 'sent', messageId: stored?.id });
    expect(fake.requests(SEND).at(-1)?.body).toEqual({ content: 'Issue 12 is out', allowed_mentions: { parse: [] } });
  });

  it('GIVEN a thread THEN the message goes to the thread, not its parent channel', async () => {
    const outcome = await send({ ...channel, threadId: FAKE_DISCORD.threadId });
    expect(outcome).toEqual({ kind: 'sent', messageId: fake.channelMessages(FAKE_DISCORD.threadId).at(-1)?.id });
  });

  it('GIVEN 429s with Retry-After 2.5 s forever THEN it answers rate_limited 2500 ms after one request', async () => {
    fake.fault({ kind: 'rate_limited', channelId: FAKE_DISCORD.channelId, retryAfterSeconds: 2.5, times: Infinity });
    const before = fake.requests(SEND).length;
    expect(await send()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2500 });
    expect(fake.requests(SEND).length - before).toBe(1);
  });

  it('GIVEN a global 429 THEN the next send is refused by the library itself, without a request', async () => {
    fake.fault({ kind: 'rate_limited', retryAfterSeconds: 3, global: true });
    expect(await send()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    const before = fake.requests(SEND).length;
    const second = await send();
    expect(second.kind).toBe('rate_limited');
    expect(second.kind === 'rate_limited' && second.retryAfterMs).toBeGreaterThan(0);
    expect(fake.requests(SEND).length).toBe(before);
  });

  it.each([
    ['missing_access', 'Missing Access'],
    ['missing_permissions', 'Missing Permissions'],
    ['unknown_channel', 'Unknown Channel'],
  ] as const)('GIVEN a %s fault THEN the chat is gone', async (kind, text) => {
    fake.fault({ kind, channelId: FAKE_DISCORD.channelId });
    expect(await send()).toMatchObject({ kind: 'gone', reason: expect.stringContaining(text) });
  });

  it('GIVEN a channel Discord does not know THEN the chat is gone (404 Unknown Channel)', async () => {
    expect(await send({ ...channel, chatId: '1299999999999999999' })).toMatchObject({ kind: 'gone', reason: expect.stringContaining('Unknown Channel') });
  });

  it('GIVEN 503s THEN it is transient after one request: the library does not re-send, the outbox retries with backoff', async () => {
    fake.fault({ kind: 'server_error', status: 503, route: SEND, times: Infinity });
    const before = fake.requests(SEND).length;
    expect(await send()).toMatchObject({ kind: 'transient', reason: expect.stringContaining('503') });
    expect(fake.requests(SEND).length - before).toBe(1);
  });

  it('GIVEN 500s and a REST with the library default of 3 retries THEN 4 requests are made', async () => {
    fake.fault({ kind: 'server_error', route: SEND, times: Infinity });
    const defaultRetries = new REST({ api: fake.apiBase }).setToken(fake.token);
    const before = fake.requests(SEND).length;
    expect((await send(channel, undefined, sender({}, defaultRetries))).kind).toBe('transient');
    expect(fake.requests(SEND).length - before).toBe(4);
  });

  it('GIVEN a server that never answers THEN the per-request timeout makes it transient', async () => {
    fake.fault({ kind: 'hang', route: SEND, times: 2 });
    const quick = createDiscordRest({ token: fake.token, apiBase: fake.apiBase, timeoutMs: 200, retries: 1 });
    expect(await send(channel, undefined, sender({}, quick))).toMatchObject({ kind: 'transient', reason: expect.stringContaining('timed out') });
  });

  it('GIVEN a REST that waits on 429s (client.rest style) THEN the send deadline still answers transient', async () => {
    fake.fault({ kind: 'rate_limited', route: SEND, retryAfterSeconds: 1, times: Infinity });
    const patient = new REST({ api: fake.apiBase, offset: 0, retries: 0 }).setToken(fake.token);
    expect(await send(channel, undefined, sender({ timeoutMs: 300 }, patient))).toMatchObject({ kind: 'transient', reason: expect.stringContaining('no answer within 300 ms') });
  });

  it('GIVEN a caller\'s signal that fires while the server holds the request THEN the request is closed and the send is transient at once, whatever the sender\'s own deadline', async () => {
    fake.fault({ kind: 'hang', route: SEND });
    const before = fake.requests(SEND).length;
    const caller = new AbortController();
    const sending = sender({ timeoutMs: 60_000 }).send(channel, { content: 'held' }, { signal: caller.signal });
    await fake.waitFor((r) => r.route === SEND && fake.requests(SEND).indexOf(r) >= before);
    caller.abort(new Error('no answer within 250 ms'));
    expect(await sending).toMatchObject({ kind: 'transient', reason: expect.stringContaining('aborted by the caller: no answer within 250 ms') });
    const held = await fake.waitFor((r) => r.route === SEND && r.hungUpAt !== null);
    expect(held.status).toBe(0);
    expect(fake.requests(SEND).length - before).toBe(1);
  });

  it('GIVEN the Client options THEN they keep to the Guilds intent, no pings and a bounded rate limit wait', () => {
    const options = discordClientOptions(fake.apiBase);
    expect(options.intents).toEqual([1]);
    expect(options.allowedMentions).toMatchObject({ parse: [] });
    expect(options.rest?.api).toBe(fake.apiBase);
    const reject = options.rest?.rejectOnRateLimit as (d: { retryAfter: number }) => boolean;
    expect([reject({ retryAfter: 500 }), reject({ retryAfter: 60_000 })]).toEqual([false, true]);
  });

  it('GIVEN an oversized payload and a wrong token THEN both are failed', async () => {
    expect(await send(channel, { content: 'x'.repeat(2001) })).toMatchObject({ kind: 'failed', reason: expect.stringContaining('content') });
    const wrong = createDiscordRest({ token: 'wrong-token-123456', apiBase: fake.apiBase });
    expect(await send(channel, undefined, sender({}, wrong))).toMatchObject({ kind: 'failed', reason: expect.stringContaining('401') });
  });

  it('GIVEN a digest THEN the delivery port renders it and every part is accepted by the fake', async () => {
    const item = (n: number) => ({
      number: n, title: `Item ${n}: 新模型发布`, url: `https://example.com/${n}`, source: 'example.com', tags: ['llm'],
      summary: '摘要 '.repeat(60), links: [], image: null,
    });
    const digest: Digest = {
      mode: 'full', issueId: '2025-01-02', date: '2025-01-02', title: 'AI 周报 #12', intro: '本期要点', itemCount: 30,
      sections: [{ title: '模型', items: Array.from({ length: 30 }, (_, i) => item(i + 1)) }], webUrl: 'https://example.com/issues/12',
    };
    const port = createDiscordDeliveryPort(rest);
    const parts = port.renderDigest(digest, 'zh');
    expect(port.platform).toBe('discord');
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) expect(await port.send(channel, part)).toMatchObject({ kind: 'sent' });
  });

  it('GIVEN every failure above THEN no outcome, error or log line contains the token', () => {
    expect(errors.length).toBeGreaterThan(5);
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((logged += chunk.toString()), cb()) });
    // No secrets given to the logger: nothing may rely on its scrubbing.
    const logger = createLogger({ level: 'info', secrets: [], destination: sink });
    for (const error of errors) reportError(logger, error);
    const text = [logged, ...reasons, ...errors.map((e) => `${e.message} ${JSON.stringify(e.context)} ${e.stack ?? ''}`)].join('\n');
    expect(text).toContain('Missing Access');
    expect(text).not.toContain(fake.token);
    expect(text).not.toContain('s3cr3t');
  });
});

describe('the outbox worker with the Discord delivery port (real @discordjs/rest, fake Discord)', () => {
  const BY = `discord:${FAKE_DISCORD.userId}`;
  const ISSUE = '20250101';

  async function outbox(port: DeliveryPort) {
    const h = makeHarness({ ports: [port], sendTimeoutMs: 300, random: () => 0, maxAttempts: 10 });
    await h.service.subscribe(channel, { by: BY });
    await h.service.start();
    await h.service.deliverNow(ISSUE, channel);
    return h;
  }

  it('GIVEN a send Discord never answers THEN the worker aborts it at SEND_TIMEOUT, the fake sees the request closed, and the retry posts every part once', async () => {
    const fake = await startFakeDiscord();
    fake.fault({ kind: 'hang', route: SEND });
    // Neither the REST nor the sender would give up within a minute: only the worker's deadline can.
    const rest = createDiscordRest({ token: fake.token, apiBase: fake.apiBase, timeoutMs: 60_000 });
    const h = await outbox(createDiscordDeliveryPort(rest, { timeoutMs: 60_000 }));
    try {
      const held = await fake.waitFor((r) => r.route === SEND && r.hungUpAt !== null, 10_000);
      await h.service.idle();
      const rows = await h.store.parts.forChatIssue('discord', channel.chatId, ISSUE);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map((_, i) => ['sent', i === 0 ? 2 : 1]));
      // Each part posted once, in order: the held request was never answered, the retry was.
      expect(fake.channelMessages().map((m) => m.id)).toEqual(rows.map((r) => r.messageId));
      const posted = fake.requests(SEND);
      expect(posted[0]).toBe(held);
      expect(posted).toHaveLength(rows.length + 1);
      expect(h.logLines().some((l) => l.reason === 'no answer within 300 ms' && String(l.msg).includes('transient'))).toBe(true);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('GIVEN a REST that sleeps on a 429 longer than SEND_TIMEOUT THEN the aborted send is never posted after the retry (no duplicate)', async () => {
    const fake = await startFakeDiscord();
    fake.fault({ kind: 'rate_limited', route: SEND, retryAfterSeconds: 1 });
    // client.rest style: waits out the 429 itself, then would post the same message again.
    const patient = new REST({ api: fake.apiBase, offset: 0, retries: 0 }).setToken(fake.token);
    const h = await outbox(createDiscordDeliveryPort(patient, { timeoutMs: 60_000 }));
    try {
      await h.service.idle();
      const rows = await h.store.parts.forChatIssue('discord', channel.chatId, ISSUE);
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
      // Retries queued behind the sleeping request time out too, until the wait is over.
      expect(rows[0]?.attempts).toBeGreaterThan(1);
      // Past the Retry-After: the sleeping request woke, saw its signal aborted and sent nothing.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(fake.channelMessages().map((m) => m.id)).toEqual(rows.map((r) => r.messageId));
      expect(fake.requests(SEND).filter((r) => r.status === 200)).toHaveLength(rows.length);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
