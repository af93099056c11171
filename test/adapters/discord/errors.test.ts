import { createServer } from 'node:net';
import { DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { discordErrorOutcome, DiscordDeadlineError, safeRoute, toPlatformError } from '../../../adapters/discord/errors.js';
import { PlatformError } from '../../../src/errors.js';

const URL_ = 'https://discord.com/api/v10/channels/1200000000000000200/messages';
const body = { body: { content: 'x' }, files: undefined };
const apiError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  new DiscordAPIError({ code, message, ...extra }, code, status, 'POST', URL_, body);
const rateLimit = (retryAfter: number, timeToReset = 0, global = false) =>
  new RateLimitError({
    timeToReset, limit: 5, method: 'POST', hash: 'h', url: URL_, route: '/channels/:id/messages', majorParameter: '1200000000000000200',
    global, retryAfter, sublimitTimeout: 0, scope: 'user',
  });
const call = { method: 'POST', route: '/channels/1200000000000000200/messages', channelId: '1200000000000000200' };

describe('discordErrorOutcome', () => {
  it.each([
    [403, 50001, 'Missing Access'],
    [403, 50013, 'Missing Permissions'],
    [404, 10003, 'Unknown Channel'],
  ])('GIVEN DiscordAPIError %i %i THEN the chat is gone', (status, code, message) => {
    const outcome = discordErrorOutcome(apiError(status, code, message), call);
    expect(outcome.kind).toBe('gone');
    expect(outcome).toMatchObject({ reason: expect.stringContaining(message) });
  });

  it('GIVEN a RateLimitError THEN rate_limited carries its retryAfter in ms, rounded up', () => {
    expect(discordErrorOutcome(rateLimit(2500.2), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2501 });
  });

  it('GIVEN a pre-emptive RateLimitError without retryAfter THEN timeToReset is used, else 1 s', () => {
    expect(discordErrorOutcome(rateLimit(0, 740), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 740 });
    expect(discordErrorOutcome(rateLimit(0, 0), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
  });

  it('GIVEN a global rate limit (a RateLimitError or a 429 body saying global) THEN rate_limited says global, so every instance waits; a route limit does not', () => {
    expect(discordErrorOutcome(rateLimit(2000, 0, true), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000, global: true });
    expect(discordErrorOutcome(apiError(429, 0, 'You are being rate limited.', { retry_after: 1.5, global: true }), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1500, global: true });
    expect(discordErrorOutcome(rateLimit(2000), call)).not.toHaveProperty('global');
    expect(discordErrorOutcome(apiError(429, 0, 'You are being rate limited.', { retry_after: 1.5, global: false }), call)).not.toHaveProperty('global');
  });

  it('GIVEN a DiscordAPIError 429 (no rejectOnRateLimit path) THEN its body retry_after is used', () => {
    expect(discordErrorOutcome(apiError(429, 0, 'You are being rate limited.', { retry_after: 1.25 }), call)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1250 });
  });

  it('GIVEN an HTTPError 502 THEN it is transient; a 400 Invalid Form Body is failed; a 401 says to check the token', () => {
    expect(discordErrorOutcome(new HTTPError(502, 'Bad Gateway', 'POST', URL_, body), call).kind).toBe('transient');
    const invalid = new DiscordAPIError({ code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } }, 50035, 400, 'POST', URL_, body);
    expect(discordErrorOutcome(invalid, call)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('content[BASE_TYPE_MAX_LENGTH]') });
    expect(discordErrorOutcome(apiError(401, 0, '401: Unauthorized'), call)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('DISCORD_TOKEN') });
  });

  it('GIVEN an abort, our deadline or a refused connection THEN it is transient', async () => {
    expect(discordErrorOutcome(new DOMException('This operation was aborted', 'AbortError'), call).kind).toBe('transient');
    expect(discordErrorOutcome(new DiscordDeadlineError('no answer within 500 ms'), call)).toMatchObject({ kind: 'transient', reason: expect.stringContaining('500 ms') });
    // A real refused connection through the real REST client.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const rest = new REST({ api: `http://127.0.0.1:${port}/api`, retries: 0 }).setToken('unused-token-value');
    const err = await rest.get('/users/@me').catch((e: unknown) => e);
    expect(discordErrorOutcome(err, call)).toMatchObject({ kind: 'transient', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('GIVEN an unknown error THEN it is failed, not thrown', () => {
    expect(discordErrorOutcome(new TypeError('boom'), call)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('TypeError: boom') });
  });
});

describe('toPlatformError and safeRoute', () => {
  it('GIVEN a 403 THEN the PlatformError names platform, method, masked route, channel, status and code', () => {
    const error = toPlatformError(apiError(403, 50001, 'Missing Access'), call);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.status).toBe(403);
    expect(error.context).toEqual({ platform: 'discord', method: 'POST', route: '/channels/:id/messages', chatId: '1200000000000000200', discordCode: 50001 });
    expect(error.message).toContain('Missing Access');
    expect(error.cause).toBeUndefined();
  });

  it('GIVEN webhook and interaction URLs THEN their tokens are masked', () => {
    expect(safeRoute('http://127.0.0.1:1/api/v10/webhooks/1200000000000000001/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original?wait=true')).toBe('/webhooks/:id/:token/messages/@original');
    expect(safeRoute('/interactions/1200000000000000555/secret-token/callback')).toBe('/interactions/:id/:token/callback');
  });

  it('GIVEN no call description THEN method and route come from the library error', () => {
    const error = toPlatformError(new DiscordAPIError({ code: 10015, message: 'Unknown Webhook' }, 10015, 404, 'PATCH', 'https://discord.com/api/v10/webhooks/1200000000000000001/tok-en/messages/@original', body));
    expect(error.context).toMatchObject({ method: 'PATCH', route: '/webhooks/:id/:token/messages/@original' });
    expect(error.message).not.toContain('tok-en');
  });
});
