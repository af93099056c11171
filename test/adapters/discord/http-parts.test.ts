/**
 * The pieces of the HTTP interactions endpoint on their own: the signature check (keys generated
 * here), the seen-set's expiry on an injected clock, the callback relay in front of the network,
 * and the settings that switch the endpoint and the gateway.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CallbackRelay } from '../../../adapters/discord/callback-relay.js';
import { SeenInteractions } from '../../../adapters/discord/seen.js';
import { discordSettings, usesGateway } from '../../../adapters/discord/settings.js';
import { interactionVerifier, publicKeyFromHex } from '../../../adapters/discord/signature.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { ConfigError } from '../../../src/errors.js';
import { applicationKeys } from '../../fakes/discord-interactions.js';

describe('interactionVerifier', () => {
  const keys = applicationKeys();
  const now = 1_800_000_000_000;
  const verify = interactionVerifier(keys.publicKeyHex, { now: () => now });
  const body = Buffer.from('{"type":1}');
  const signed = (timestamp: string, key = keys.privateKey, what = body) => ({
    signature: sign(null, Buffer.concat([Buffer.from(timestamp), what]), key).toString('hex'),
    timestamp,
  });
  const ts = String(now / 1000);

  it('GIVEN Discord-style hex WHEN imported THEN it is the key the pair was made with', () => {
    expect(publicKeyFromHex(keys.publicKeyHex).export({ format: 'jwk' }).x).toBe(Buffer.from(keys.publicKeyHex, 'hex').toString('base64url'));
    expect(() => publicKeyFromHex('abcd')).toThrow();
  });

  it('GIVEN a signature by the key over timestamp + body THEN it passes', () => {
    expect(verify(signed(ts), body)).toBeNull();
  });

  it('GIVEN a signature by the key over timestamp + body, with uppercase hex THEN it passes', () => {
    const s = signed(ts);
    expect(verify({ ...s, signature: s.signature.toUpperCase() }, body)).toBeNull();
  });

  it.each([
    ['missing headers', { signature: undefined, timestamp: undefined }, 'missing'],
    ['a repeated header', { signature: ['a', 'b'], timestamp: '1' }, 'malformed'],
    ['a short signature', { signature: 'ab', timestamp: '1' }, 'malformed'],
    ['a non-numeric timestamp', { signature: 'a'.repeat(128), timestamp: '12:00' }, 'malformed'],
  ])('GIVEN %s THEN it is refused as %s', (_name, headers, reason) => {
    expect(verify(headers, body)).toBe(reason);
  });

  it('GIVEN a timestamp just inside 5 minutes THEN it passes; just outside, either way THEN it is stale', () => {
    expect(verify(signed(String(now / 1000 - 299)), body)).toBeNull();
    expect(verify(signed(String(now / 1000 - 301)), body)).toBe('stale');
    expect(verify(signed(String(now / 1000 + 301)), body)).toBe('stale');
  });

  it('GIVEN another key, another body, or another timestamp than the one signed THEN it is wrong', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verify(signed(ts, other), body)).toBe('wrong');
    expect(verify(signed(ts), Buffer.from('{"type":2}'))).toBe('wrong');
    expect(verify({ ...signed(ts), timestamp: String(now / 1000 - 1) }, body)).toBe('wrong');
  });
});

describe('SeenInteractions', () => {
  it('GIVEN an id WHEN offered again within its life THEN it is a repeat; after its life THEN it is new again', () => {
    let t = 0;
    const seen = new SeenInteractions(() => t, 15 * 60_000);
    expect(seen.firstTime('1')).toBe(true);
    t = 15 * 60_000 - 1;
    expect(seen.firstTime('1')).toBe(false);
    expect(seen.firstTime('2')).toBe(true);
    t = 15 * 60_000 + 1;
    expect(seen.firstTime('1')).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('GIVEN a flood of distinct ids THEN it never holds more than its cap', () => {
    const seen = new SeenInteractions(() => 0, 60_000, 100);
    for (let i = 0; i < 1000; i++) seen.firstTime(String(i));
    expect(seen.size).toBeLessThanOrEqual(100);
    expect(seen.firstTime('999')).toBe(false);
  });
});

describe('CallbackRelay', () => {
  const network = async (url: string) => ({ url }) as never;
  const callback = 'http://x/api/v10/interactions/123/tok/callback?with_response=false';

  it('GIVEN an interaction the endpoint waits on THEN its first callback goes to the endpoint, once, and a second to the network', async () => {
    const relay = new CallbackRelay();
    const got: string[] = [];
    relay.expect('123', async (body) => void got.push(body));
    const make = relay.makeRequest(network);
    const first = await make(callback, { method: 'POST', body: '{"type":4}' });
    expect(first.status).toBe(204);
    expect(got).toEqual(['{"type":4}']);
    expect(await make(callback, { method: 'POST', body: '{"type":4}' })).toEqual({ url: callback });
  });

  it('GIVEN webhook edits, other interactions, or a cancelled wait THEN the network gets them', async () => {
    const relay = new CallbackRelay();
    const got: string[] = [];
    const cancel = relay.expect('123', async (body) => void got.push(body));
    const make = relay.makeRequest(network);
    expect(await make('http://x/api/v10/webhooks/1/tok/messages/@original', { method: 'PATCH', body: '{}' })).toEqual({ url: 'http://x/api/v10/webhooks/1/tok/messages/@original' });
    expect(await make('http://x/api/v10/interactions/999/tok/callback', { method: 'POST', body: '{}' })).toEqual({ url: 'http://x/api/v10/interactions/999/tok/callback' });
    cancel();
    expect(await make(callback, { method: 'POST', body: '{}' })).toEqual({ url: callback });
    expect(got).toEqual([]);
  });
});

describe('Discord HTTP settings', () => {
  const key = 'ab'.repeat(32);
  const base = { DISCORD_TOKEN: 't', DISCORD_APP_ID: '123456789012345678' };

  it('GIVEN a public key THEN the gateway is off unless DISCORD_GATEWAY=on; without one THEN on', () => {
    expect(usesGateway(discordSettings(loadPlatformConfig({ ...base })))).toBe(true);
    expect(usesGateway(discordSettings(loadPlatformConfig({ ...base, DISCORD_PUBLIC_KEY: key })))).toBe(false);
    expect(usesGateway(discordSettings(loadPlatformConfig({ ...base, DISCORD_PUBLIC_KEY: key, DISCORD_GATEWAY: 'on' })))).toBe(true);
    expect(discordSettings(loadPlatformConfig({ ...base, DISCORD_PUBLIC_KEY: key })).DISCORD_INTERACTIONS_PATH).toBe('/discord/interactions');
  });

  it.each([
    [{ DISCORD_PUBLIC_KEY: 'ab'.repeat(31) }, 'DISCORD_PUBLIC_KEY'],
    [{ DISCORD_PUBLIC_KEY: 'zz'.repeat(32) }, 'DISCORD_PUBLIC_KEY'],
    [{ DISCORD_GATEWAY: 'off' }, 'DISCORD_PUBLIC_KEY'],
    [{ DISCORD_GATEWAY: 'maybe' }, 'DISCORD_GATEWAY'],
    [{ DISCORD_INTERACTIONS_PATH: 'discord' }, 'DISCORD_INTERACTIONS_PATH'],
  ])('GIVEN %o THEN loading fails naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadPlatformConfig({ ...base, ...env });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
  });
});
