import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import type { CliIo } from '../../../adapters/cli/io.js';
import { SqliteStore } from '../../../src/store/index.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { checkDiscordMessage } from '../../validators/discord-payload.js';
import { checkSendMessage } from '../../validators/telegram-html.js';

const ISSUES = resolve(import.meta.dirname, '../../fixtures/issues/sample');

function capture(cwd: string, env: NodeJS.ProcessEnv): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { stdout, stderr, stdin: new PassThrough(), env: { ISSUES_DIR: ISSUES, LOG_LEVEL: 'silent', ...env }, cwd, out: () => out, err: () => err };
}

type TelegramRequest = { method: string; params: Record<string, unknown> };

describe('newsbot deliver', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fake: FakeTelegramApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    tmp?.cleanup();
  });

  it('GIVEN --dry-run to a Telegram topic THEN it prints valid sendMessage requests for that chat and topic, needs no token and writes nothing', async () => {
    tmp = tempDir();
    const io = capture(tmp.dir, {});
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:-1001234/77', '--dry-run'], io)).toBe(0);
    const requests = JSON.parse(io.out()) as TelegramRequest[];
    expect(requests.length).toBeGreaterThan(0);
    for (const { method, params } of requests) {
      expect(method).toBe('sendMessage');
      expect(params).toMatchObject({ chat_id: -1001234, message_thread_id: 77, parse_mode: 'HTML' });
      expect(checkSendMessage(params)).toEqual([]);
    }
    expect(io.err()).toContain('nothing was sent or recorded');
    expect(existsSync(join(tmp.dir, 'data'))).toBe(false);
  });

  it('GIVEN --dry-run to a Discord channel THEN it prints valid message payloads posted to that channel, pings disabled', async () => {
    tmp = tempDir();
    const io = capture(tmp.dir, {});
    expect(await runCli(['deliver', 'latest', '--to', 'discord:555000111222', '--dry-run', '--mode', 'compact', '--lang', 'en'], io)).toBe(0);
    const requests = JSON.parse(io.out()) as Array<{ method: string; route: string; body: Record<string, unknown> }>;
    expect(requests.length).toBeGreaterThan(0);
    for (const { method, route, body } of requests) {
      expect([method, route]).toEqual(['POST', '/channels/555000111222/messages']);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(checkDiscordMessage(body)).toEqual([]);
    }
    expect(existsSync(join(tmp.dir, 'data'))).toBe(false);
  });

  it('GIVEN a token and the fake Bot API THEN it sends every part in order, records them sent with their message ids, and a second run sends nothing again', async () => {
    tmp = tempDir();
    fake = await startFakeTelegramApi();
    const env = { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
    const preview = capture(tmp.dir, {});
    await runCli(['deliver', '20210814', '--to', 'telegram:4242', '--dry-run'], preview);
    const expected = (JSON.parse(preview.out()) as TelegramRequest[]).map((r) => r.params.text);

    const io = capture(tmp.dir, env);
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:4242'], io)).toBe(0);
    const received = fake.sent(4242);
    expect(received.map((m) => m.text)).toEqual(expected);
    expect(io.out()).toContain(`Issue 20210814 → telegram:4242: ${expected.length} of ${expected.length} part(s) sent.`);
    expect(io.out() + io.err()).not.toContain(fake.token.split(':')[1]);

    const store = SqliteStore.open(join(tmp.dir, 'data', 'newsbot.db'));
    const parts = await store.parts.forChatIssue('telegram', '4242', '20210814');
    await store.close();
    expect(parts.map((p) => [p.status, p.messageId])).toEqual(received.map((m) => ['sent', String(m.messageId)]));

    const again = capture(tmp.dir, env);
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:4242'], again)).toBe(0);
    expect(again.out()).toContain('nothing was sent again');
    expect(fake.sent(4242)).toHaveLength(expected.length);
  });

  it("GIVEN other chats' parts in the outbox (one left sending by an older bot) THEN deliver sends only to its chat and leaves theirs as they were", async () => {
    tmp = tempDir();
    fake = await startFakeTelegramApi();
    const store = SqliteStore.open(join(tmp.dir, 'data', 'newsbot.db'));
    const part = (chatId: string, partIndex: number) => ({ platform: 'telegram' as const, chatId, threadId: null, issueId: '20210814', partIndex, partCount: 2, payload: { text: `x${partIndex}` } });
    await store.parts.insertParts([part('777', 0), part('777', 1), part('888', 0), part('888', 1)], 1);
    const sending = (await store.parts.head('telegram', '888'))!.id;
    await store.close();
    const raw = new Database(join(tmp.dir, 'data', 'newsbot.db'));
    raw.prepare("UPDATE deliveries SET status = 'sending' WHERE id = ?").run(sending);
    raw.close();

    const io = capture(tmp.dir, { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:4242'], io)).toBe(0);
    expect(fake.sent().every((m) => m.chatId === '4242')).toBe(true);
    const after = SqliteStore.open(join(tmp.dir, 'data', 'newsbot.db'));
    const states = await Promise.all(['777', '888'].map(async (c) => (await after.parts.forChat('telegram', c)).map((r) => r.status)));
    await after.close();
    expect(states).toEqual([['pending', 'pending'], ['sending', 'pending']]);
  });

  it('GIVEN a chat that blocked the bot THEN the parts are skipped with Telegram\'s reason and it exits 1', async () => {
    tmp = tempDir();
    fake = await startFakeTelegramApi();
    fake.fault({ kind: 'blocked' }, { chatId: '4343' });
    const io = capture(tmp.dir, { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:4343'], io)).toBe(1);
    expect(io.out()).toMatch(/1\/\d\s+skipped\s+1\s+.*bot was blocked by the user/);
    expect(fake.sent(4343)).toEqual([]);
  });

  it('GIVEN no token for the platform, or a malformed --to THEN one line says what is missing, and nothing is created', async () => {
    tmp = tempDir();
    const noToken = capture(tmp.dir, {});
    expect(await runCli(['deliver', '20210814', '--to', 'telegram:4242'], noToken)).toBe(1);
    expect(noToken.err().trim().split('\n')).toEqual(['newsbot deliver: --to telegram:… needs TELEGRAM_BOT_TOKEN (set it in the environment or in .env)']);
    const discord = capture(tmp.dir, {});
    expect(await runCli(['deliver', '20210814', '--to', 'discord:555'], discord)).toBe(1);
    expect(discord.err()).toContain('DISCORD_TOKEN');
    const bad = capture(tmp.dir, {});
    expect(await runCli(['deliver', '20210814', '--to', 'slack:general'], bad)).toBe(1);
    expect(bad.err()).toContain('--to must be telegram:<chat id> or discord:<channel id>');
    expect(existsSync(join(tmp.dir, 'data'))).toBe(false);
  });
});
