import { Telegram, TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { scrubTelegramSecrets, telegramErrorToOutcome, telegramPlatformError } from '../../../adapters/telegram/errors.js';
import { PlatformError } from '../../../src/errors.js';

const TOKEN = '987654321:AAE-errors-test-secret_abcdefghijklmn';
const SECRET_HALF = TOKEN.split(':')[1] as string;

/** An error exactly as telegraf builds it from a Bot API answer. */
const apiError = (error_code: number, description: string, parameters?: Record<string, number>) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) }, { method: 'sendMessage', payload: { chat_id: 1 } });

/** The error telegraf really throws when nothing listens at the API root. */
async function connectionRefused(): Promise<unknown> {
  const telegram = new Telegram(TOKEN, { apiRoot: 'http://127.0.0.1:1' });
  return telegram.sendMessage(1, 'x').then(() => null, (e: unknown) => e);
}

describe('telegramErrorToOutcome', () => {
  it.each([
    ['429 with retry_after', apiError(429, 'Too Many Requests: retry after 12', { retry_after: 12 }), { kind: 'rate_limited', retryAfterMs: 12_000 }],
    ['429 with only the text', apiError(429, 'Too Many Requests: retry after 3'), { kind: 'rate_limited', retryAfterMs: 3_000 }],
    ['403 blocked', apiError(403, 'Forbidden: bot was blocked by the user'), { kind: 'gone' }],
    ['403 kicked', apiError(403, 'Forbidden: bot was kicked from the supergroup chat'), { kind: 'gone' }],
    ['403 not a member', apiError(403, 'Forbidden: bot is not a member of the channel chat'), { kind: 'gone' }],
    ['403 deactivated', apiError(403, 'Forbidden: user is deactivated'), { kind: 'gone' }],
    ['400 chat not found', apiError(400, 'Bad Request: chat not found'), { kind: 'gone' }],
    ['400 no rights', apiError(400, 'Bad Request: have no rights to send a message'), { kind: 'gone' }],
    ['400 migrated', apiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }), { kind: 'migrated', toChatId: '-1001234' }],
    ['400 bad HTML', apiError(400, "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0"), { kind: 'failed' }],
    ['400 too long', apiError(400, 'Bad Request: message is too long'), { kind: 'failed' }],
    ['500', apiError(500, 'Internal Server Error'), { kind: 'transient' }],
    ['502', apiError(502, 'Bad Gateway'), { kind: 'transient' }],
    ['401 revoked token', apiError(401, 'Unauthorized'), { kind: 'transient' }],
  ])('GIVEN %s THEN %o', (_name, err, expected) => {
    expect(telegramErrorToOutcome(err, TOKEN)).toMatchObject(expected);
  });

  it('GIVEN an outcome THEN its reason carries the code and Telegram\'s description', () => {
    expect(telegramErrorToOutcome(apiError(403, 'Forbidden: bot was blocked by the user'))).toEqual({
      kind: 'gone',
      reason: '403 Forbidden: bot was blocked by the user',
    });
  });

  it('GIVEN the real ECONNREFUSED from telegraf THEN transient, and the reason holds no part of the token', async () => {
    const err = await connectionRefused();
    const outcome = telegramErrorToOutcome(err, TOKEN);
    expect(outcome.kind).toBe('transient');
    expect(outcome.reason).toMatch(/ECONNREFUSED/);
    expect(outcome.reason).not.toContain(SECRET_HALF);
    expect(outcome.reason).not.toContain(TOKEN.split(':')[0]);
  });

  it.each([
    ['an ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    ['a node-fetch timeout', Object.assign(new Error(`network timeout at: http://h/bot${TOKEN}/sendMessage`), { name: 'FetchError', type: 'request-timeout' }), 'transient'],
    ['an abort', Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' }), 'transient'],
    ['a programming error', new TypeError('payload.map is not a function'), 'failed'],
  ])('GIVEN %s THEN %s', (_name, err, kind) => {
    const outcome = telegramErrorToOutcome(err, TOKEN);
    expect(outcome.kind).toBe(kind);
    expect(outcome.reason).not.toContain(SECRET_HALF);
  });
});

describe('scrubTelegramSecrets', () => {
  it('GIVEN the token plain, URL-encoded, half-redacted by telegraf or in any /bot…/ path THEN none of it survives', () => {
    const text = [
      `invalid json response body at http://127.0.0.1:9/bot${TOKEN}/sendMessage`,
      `token=${encodeURIComponent(TOKEN)}`,
      'request to http://h/bot987654321:[REDACTED]/getMe failed',
      'request to http://h/bot111:other-token/getMe failed',
      `secret ${SECRET_HALF}`,
    ].join('\n');
    const scrubbed = scrubTelegramSecrets(text, TOKEN);
    expect(scrubbed).not.toContain(SECRET_HALF);
    expect(scrubbed).not.toContain('987654321');
    expect(scrubbed).not.toContain('other-token');
    expect(scrubbed).toContain('/bot[redacted]/sendMessage');
  });
});

describe('telegramPlatformError', () => {
  it('GIVEN a 403 THEN a PlatformError names platform, method, chat, status and description', () => {
    const error = telegramPlatformError(apiError(403, 'Forbidden: bot was blocked by the user'), { method: 'sendMessage', chatId: '42', token: TOKEN });
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.status).toBe(403);
    expect(error.context).toMatchObject({ platform: 'telegram', method: 'sendMessage', chatId: '42', description: 'Forbidden: bot was blocked by the user' });
    expect(error.message).toBe('Telegram sendMessage for chat 42 failed: Forbidden: bot was blocked by the user');
  });

  it('GIVEN a network error whose message holds the token THEN the PlatformError has no trace of it, not even in cause or stack', () => {
    const raw = Object.assign(new Error(`invalid json response body at http://h/bot${TOKEN}/sendMessage reason: Unexpected token <`), { name: 'FetchError', type: 'invalid-json' });
    const error = telegramPlatformError(raw, { method: 'sendMessage', chatId: '-100', token: TOKEN });
    expect(error.status).toBeNull();
    expect(error.cause).toBeUndefined();
    const everything = JSON.stringify({ message: error.message, stack: error.stack, context: error.context });
    expect(everything).not.toContain(SECRET_HALF);
    expect(error.context.network).toBe('FetchError (invalid-json)');
  });
});
