/**
 * Discord's HTTP interactions endpoint (the developer portal's "Interactions Endpoint URL"), a route
 * of the shared HTTP server. Each request is checked before anything is parsed: POST, signature
 * headers well-formed, body within `maxBytes`, Ed25519 signature right and timestamp fresh; anything
 * else is 401 (Discord probes the endpoint with bad signatures and expects exactly that).
 *
 * PING is answered PONG here. Every other interaction goes to the adapter's one interaction handler,
 * the one the gateway feeds, and its first callback (a reply, a deferral, an update, autocomplete
 * choices) becomes this request's response (see callback-relay.ts); edits and follow-ups then go
 * through Discord's webhook routes as on the gateway path. Each interaction id is taken once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/log.js';
import type { HttpHandler } from '../../src/ops/http.js';
import type { CallbackRelay } from './callback-relay.js';
import type { SeenInteractions } from './seen.js';
import { headerRefusal, type SignatureRefusal, type SignedHeaders } from './signature.js';

/** Interaction payloads are a few KB; a button's carries its whole message (10 embeds ≈ 30 KB). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Discord drops an interaction not answered within 3 s; past this the request gives up. */
export const DEFAULT_ANSWER_WITHIN_MS = 2_900;

const PING = 1;
const JSON_TYPE = 'application/json';

export interface InteractionEndpointDeps {
  verify(headers: SignedHeaders, body: Buffer): SignatureRefusal | null;
  relay: CallbackRelay;
  seen: SeenInteractions;
  /**
   * Hands a verified interaction to the adapter's handler: its handling (resolves once handled), or
   * why it was not taken (the adapter is stopping, or discord.js does not know the interaction's type).
   */
  dispatch(interaction: Record<string, unknown>): Promise<void> | 'stopping' | 'unsupported';
  logger: Logger;
  maxBodyBytes?: number;
  answerWithinMs?: number;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): Promise<void> {
  return new Promise((resolve) => {
    if (res.headersSent) return resolve();
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body, () => resolve());
  });
}

/** The body, or null when it is over `max` bytes (then the rest is not read). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parse(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const v = value as Record<string, unknown>;
    return typeof v.id === 'string' && typeof v.token === 'string' && typeof v.type === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** The route's handler. */
export function interactionsEndpoint(deps: InteractionEndpointDeps): HttpHandler {
  const { logger } = deps;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const answerWithinMs = deps.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS;
  const refuse = (res: ServerResponse, reason: SignatureRefusal) => {
    // Only the reason: headers and body are the caller's and may be anything. A stale timestamp on a
    // signed request means our clock is off (the operator's to fix); the rest is scanners and Discord's own probes.
    const level = reason === 'stale' ? 'warn' : 'debug';
    logger[level]({ platform: 'discord', method: 'interactions', reason }, 'discord: interaction request refused (signature)');
    return send(res, 401, 'invalid request signature\n');
  };

  return async (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, 405, 'method not allowed\n');
    }
    const headers: SignedHeaders = { signature: req.headers['x-signature-ed25519'], timestamp: req.headers['x-signature-timestamp'] };
    const early = headerRefusal(headers);
    if (early) return refuse(res, early);
    const body = await readBody(req, maxBodyBytes);
    if (!body) return send(res, 413, 'request body too large\n');
    const refused = deps.verify(headers, body);
    if (refused) return refuse(res, refused);
    const interaction = parse(body);
    if (!interaction) return send(res, 400, 'expected an interaction object\n');
    if (interaction.type === PING) return send(res, 200, JSON.stringify({ type: PING }), JSON_TYPE);

    const id = interaction.id as string;
    if (!deps.seen.firstTime(id)) {
      logger.debug({ platform: 'discord', method: 'interactions', interaction: id }, 'discord: interaction delivered again; the first delivery answers it');
      return send(res, 409, JSON.stringify({ message: 'interaction already received' }), JSON_TYPE);
    }
    let answered!: () => void;
    const answer = new Promise<'answered'>((resolve) => (answered = () => resolve('answered')));
    const cancel = deps.relay.expect(id, async (callback) => {
      await send(res, 200, callback, JSON_TYPE);
      answered();
    });
    let handled: ReturnType<InteractionEndpointDeps['dispatch']>;
    try {
      handled = deps.dispatch(interaction);
    } catch (err) {
      // discord.js could not build it (a payload Discord signed but we cannot read): the server logs it, 500.
      cancel();
      throw err;
    }
    if (typeof handled === 'string') {
      cancel();
      return handled === 'stopping' ? send(res, 503, 'stopping\n') : send(res, 400, 'unsupported interaction type\n');
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), answerWithinMs)));
    const done = handled.then(() => 'done' as const, () => 'done' as const);
    const first = await Promise.race([answer, done, late]);
    clearTimeout(timer);
    if (first === 'answered') return;
    cancel();
    // The handler ended (or Discord's 3 s passed) without a first answer: Discord shows "interaction failed".
    logger.warn({ platform: 'discord', method: 'interactions', interaction: id, type: interaction.type, why: first }, 'discord: interaction not answered over HTTP');
    return send(res, first === 'late' ? 503 : 400, 'interaction not answered\n');
  };
}
