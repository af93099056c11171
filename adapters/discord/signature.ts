/**
 * Discord's request signature for the HTTP interactions endpoint: Ed25519 over
 * `X-Signature-Timestamp + raw body`, checked against the application's public key with Node's
 * own crypto (no library: a key import and one `verify` call). A request whose timestamp is more
 * than `maxSkewMs` from our wall clock is refused too, so a captured request cannot be replayed later.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Ed25519 signatures are 64 bytes: 128 hex characters. */
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;
/** Unix seconds, as Discord sends them. */
const TIMESTAMP = /^\d{1,12}$/;
/** Discord's clock and ours may differ a little; older requests are replays or stuck in a queue. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/** Why a request was refused; never holds key material. */
export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'wrong';

/** The public key as a KeyObject, from the 64 hex characters the developer portal shows. */
export function publicKeyFromHex(hex: string): KeyObject {
  const x = Buffer.from(hex, 'hex');
  if (x.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (64 hex characters)');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' });
}

export interface SignedHeaders {
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
}

/** Checks the headers alone (before any body is read): null when they are well-formed. */
export function headerRefusal(headers: SignedHeaders): SignatureRefusal | null {
  const { signature, timestamp } = headers;
  if (signature === undefined || timestamp === undefined) return 'missing';
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'malformed';
  if (!SIGNATURE_HEX.test(signature) || !TIMESTAMP.test(timestamp)) return 'malformed';
  return null;
}

/**
 * A verifier for one application's key. `now` is wall time in ms (the timestamp is wall time);
 * returns null when the request is Discord's, else why not.
 */
export function interactionVerifier(publicKeyHex: string, options: { now?: () => number; maxSkewMs?: number } = {}) {
  const key = publicKeyFromHex(publicKeyHex);
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  return (headers: SignedHeaders, body: Buffer): SignatureRefusal | null => {
    const refused = headerRefusal(headers);
    if (refused) return refused;
    const timestamp = headers.timestamp as string;
    if (Math.abs(now() - Number(timestamp) * 1000) > maxSkewMs) return 'stale';
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
    return verify(null, signed, key, Buffer.from(headers.signature as string, 'hex')) ? null : 'wrong';
  };
}
