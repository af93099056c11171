/**
 * Discord's side of the HTTP interactions endpoint, for tests: an application key pair (generated
 * per test, never a real one), and a sender that signs an interaction as Discord does (Ed25519 over
 * `X-Signature-Timestamp + body`), POSTs it to the bot and hands the bot's response to the fake
 * Discord as the interaction's callback, so edits and follow-ups land on a known interaction.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { FakeDiscord, Json } from './discord-api.js';

export interface ApplicationKeys {
  /** The 64 hex characters the developer portal shows (DISCORD_PUBLIC_KEY). */
  publicKeyHex: string;
  privateKey: KeyObject;
  /** The private key's own bytes as base64url (the JWK `d`), to check it never leaks. */
  privateKeyText: string;
}

export function applicationKeys(): ApplicationKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' });
  const priv = privateKey.export({ format: 'jwk' });
  return { publicKeyHex: Buffer.from(String(pub.x), 'base64url').toString('hex'), privateKey, privateKeyText: String(priv.d) };
}

export interface PostOptions {
  /** Sign with this key instead (a wrong key); `null`: no signature headers at all. */
  key?: KeyObject | null;
  /** Unix seconds (default now). */
  timestamp?: number;
  /** The body sent, when it should differ from the one signed (tampering). */
  sentBody?: string;
}

export interface EndpointAnswer {
  status: number;
  /** The JSON body, or the text when it is not JSON. */
  body: unknown;
}

/** Signs and posts interactions to `url` as Discord would. */
export function interactionSender(fake: FakeDiscord, url: string, keys: ApplicationKeys) {
  return async function post(payload: Json, options: PostOptions = {}): Promise<EndpointAnswer> {
    const body = JSON.stringify(payload);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const key = options.key === undefined ? keys.privateKey : options.key;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) {
      headers['x-signature-ed25519'] = sign(null, Buffer.from(timestamp + body, 'utf8'), key).toString('hex');
      headers['x-signature-timestamp'] = timestamp;
    }
    if (payload.type !== 1 && !fake.interactionState(String(payload.id))) fake.expectHttpInteraction(payload);
    const res = await fetch(url, { method: 'POST', headers, body: options.sentBody ?? body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    if (payload.type !== 1) fake.httpAnswered(payload, res.status, parsed);
    return { status: res.status, body: parsed };
  };
}
