import { Writable } from 'node:stream';
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramDeliveryPort, createTelegramSender, type TelegramSenderOptions } from '../../../adapters/telegram/delivery.js';
import type { FailedDelivery } from '../../../adapters/telegram/errors.js';
import type { Digest } from '../../../src/digest/digest.js';
import type { PlatformError } from '../../../src/errors.js';
import { createLogger, reportError } from '../../../src/log.js';
import type { ChatRef } from '../../../src/platform.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { checkSendMessage } from '../../validators/telegram-html.js';

const MESSAGE = { text: '<b>Issue 42</b> is out', parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
const chat = (chatId: string, threadId: string | null = null): ChatRef => ({ platform: 'telegram', chatId, threadId });

let fake: FakeTelegramApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: TelegramSenderOptions = {}) {
  fake = await startFakeTelegramApi();
  const errors: Array<{ error: PlatformError; outcome: FailedDelivery }> = [];
  const telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot });
  const sender = createTelegramSender(telegram, { ...options, onError: (error, outcome) => errors.push({ error, outcome }) });
  return { fake, sender, errors, secret: fake.token.split(':')[1] as string };
}

describe('createTelegramSender against the fake Bot API', () => {
  it('GIVEN a chat and a forum topic THEN it sends there and returns Telegram\'s message id', async () => {
    const { fake, sender } = await setup();
    const outcome = await sender.send(chat('-1001500', '77'), MESSAGE);
    const [stored] = fake.sent(-1001500);
    expect(outcome).toEqual({ kind: 'sent', messageId: String(stored?.messageId) });
    expect(stored).toMatchObject({ threadId: 77, text: MESSAGE.text, parseMode: 'HTML' });
    const request = await fake.waitFor('sendMessage');
    expect(request.params).toMatchObject({ chat_id: -1001500, message_thread_id: 77, link_preview_options: { is_disabled: true } });
  });

  it('GIVEN a 429 with retry_after THEN rate_limited with the wait in milliseconds', async () => {
    const { fake, sender } = await setup();
    fake.fault({ kind: 'rate_limited', retryAfter: 4 });
    expect(await sender.send(chat('5'), MESSAGE)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 4000 });
  });

  it.each([
    ['blocked', 'Forbidden: bot was blocked by the user'],
    ['kicked', 'Forbidden: bot was kicked from the supergroup chat'],
    ['not_member', 'Forbidden: bot is not a member of the channel chat'],
    ['deactivated', 'Forbidden: user is deactivated'],
    ['chat_not_found', 'Bad Request: chat not found'],
  ] as const)('GIVEN the chat answers %s THEN gone, with Telegram\'s reason', async (kind, description) => {
    const { fake, sender, errors } = await setup();
    fake.fault({ kind }, { chatId: '-1001234567890' });
    const outcome = await sender.send(chat('-1001234567890'), MESSAGE);
    expect(outcome.kind).toBe('gone');
    expect(outcome).toHaveProperty('reason', expect.stringContaining(description));
    expect(errors[0]?.error.context).toMatchObject({ platform: 'telegram', method: 'sendMessage', chatId: '-1001234567890', description });
  });

  it('GIVEN a group upgraded to a supergroup THEN migrated to the new id', async () => {
    const { fake, sender } = await setup();
    fake.fault({ kind: 'migrated', toChatId: -1002222 }, { chatId: '-300' });
    expect(await sender.send(chat('-300'), MESSAGE)).toMatchObject({ kind: 'migrated', toChatId: '-1002222' });
  });

  it('GIVEN a payload Telegram rejects THEN failed (retrying would not help)', async () => {
    const { sender } = await setup();
    const outcome = await sender.send(chat('5'), { ...MESSAGE, text: '<b>unclosed' });
    expect(outcome.kind).toBe('failed');
    expect(outcome).toHaveProperty('reason', expect.stringMatching(/^400 Bad Request: can't parse entities/));
  });

  it.each([
    ['a 503', { kind: 'server_error', status: 503 }],
    ['a dropped connection', { kind: 'drop' }],
    ['a non-JSON answer', { kind: 'invalid_json' }],
  ] as const)('GIVEN %s THEN transient', async (_name, fault) => {
    const { fake, sender } = await setup();
    fake.fault(fault);
    expect((await sender.send(chat('5'), MESSAGE)).kind).toBe('transient');
  });

  it('GIVEN a request that never gets an answer THEN the per-send timeout makes it transient', async () => {
    const { fake, sender, errors } = await setup({ timeoutMs: 300 });
    fake.fault({ kind: 'hang' });
    expect(await sender.send(chat('5'), MESSAGE)).toEqual({ kind: 'transient', reason: 'sendMessage timed out after 300 ms' });
    expect(errors[0]?.error.message).toMatch(/timed out/);
  });

  it('GIVEN the caller\'s signal (the outbox deadline) fires while the request hangs THEN it is aborted then and transient, whatever the sender\'s own deadline', async () => {
    const { fake, sender, errors } = await setup({ timeoutMs: 60_000 });
    fake.fault({ kind: 'hang' });
    const caller = new AbortController();
    const sending = sender.send(chat('5'), MESSAGE, { signal: caller.signal });
    await fake.waitFor('sendMessage');
    caller.abort(new Error('no answer within 250 ms'));
    expect(await sending).toEqual({ kind: 'transient', reason: 'sendMessage aborted by the caller: no answer within 250 ms' });
    expect(errors[0]?.outcome.kind).toBe('transient');
    // The next send goes through: nothing of the aborted one is left in the way.
    expect((await sender.send(chat('5'), MESSAGE, { signal: new AbortController().signal })).kind).toBe('sent');
  });

  it('GIVEN nothing listening at the API root THEN transient', async () => {
    const sender = createTelegramSender(new Telegram('1:closed-port-token', { apiRoot: 'http://127.0.0.1:1' }));
    expect(await sender.send(chat('5'), MESSAGE)).toMatchObject({ kind: 'transient', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('GIVEN every kind of failure THEN no outcome, PlatformError or log line contains the token', async () => {
    const { fake, sender, errors, secret } = await setup({ timeoutMs: 300 });
    const faults = [{ kind: 'invalid_json' }, { kind: 'drop' }, { kind: 'hang' }, { kind: 'server_error' }, { kind: 'blocked' }] as const;
    const outcomes = [];
    for (const f of faults) {
      fake.fault(f);
      outcomes.push(await sender.send(chat('5'), MESSAGE));
    }
    expect(errors).toHaveLength(faults.length);
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
    // No secrets handed to the logger: the errors themselves must already be clean.
    const logger = createLogger({ level: 'info', secrets: [], destination });
    for (const { error } of errors) reportError(logger, error);
    const everything = JSON.stringify({ outcomes, errors: errors.map(({ error }) => ({ m: error.message, s: error.stack, c: error.context })), lines });
    expect(lines).toHaveLength(faults.length);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(fake.token);
  });
});

describe('createTelegramDeliveryPort', () => {
  const digest: Digest = {
    mode: 'full',
    issueId: '20210814',
    date: '2021-08-14',
    title: 'AI 简报 <2021-08-14> & more',
    intro: 'Fast NeRF, "quoted" & <escaped> text',
    itemCount: 2,
    webUrl: 'https://example.com/issues/20210814?a=1&b=2',
    sections: [
      {
        title: '论文 & Papers',
        items: [
          { number: 1, title: 'NeRF <in> a second', url: 'https://example.com/nerf?x=1&y="2"', source: 'arXiv', tags: ['3d', 'c++'], summary: 'Speeds up NeRF 1000× using <b>caching</b> & tricks 😀.', links: [{ label: 'GitHub', url: 'https://github.example.com/x/y' }], image: null },
          { number: 2, title: 'No link item', url: null, source: null, tags: [], summary: '', links: [], image: null },
        ],
      },
    ],
  };

  it('GIVEN a digest with characters that need escaping THEN every rendered message passes the independent validator and is sent', async () => {
    fake = await startFakeTelegramApi();
    const port = createTelegramDeliveryPort(new Telegram(fake.token, { apiRoot: fake.apiRoot }));
    expect(port.platform).toBe('telegram');
    for (const language of ['zh', 'en'] as const) {
      const messages = port.renderDigest(digest, language);
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        expect(checkSendMessage({ ...message, chat_id: 1 })).toEqual([]);
        expect((await port.send(chat('1'), message)).kind).toBe('sent');
      }
    }
    expect(fake.sent(1).map((m) => m.plainText).join('\n')).toContain('NeRF <in> a second');
  });
});
