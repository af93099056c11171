/**
 * DISCORD_GATEWAY=on with DISCORD_PUBLIC_KEY (e.g. while moving a bot to the HTTP endpoint): the
 * gateway session and the endpoint run side by side and feed the one interaction handler, so the
 * same command gets the same answer whichever way it arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../../adapters/http/server.js';
import { createLogger } from '../../../src/log.js';
import type { Json } from '../../fakes/discord-api.js';
import { applicationKeys, interactionSender } from '../../fakes/discord-interactions.js';
import { answerTo, startHarness, visibleText, type Harness } from './bot-support.js';

let h: Harness;
let http: HttpServer;
let post: ReturnType<typeof interactionSender>;

beforeAll(async () => {
  const keys = applicationKeys();
  http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent', secrets: [] }) });
  await http.listen();
  h = await startHarness({ env: { DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_GATEWAY: 'on' }, http });
  post = interactionSender(h.fake, `http://127.0.0.1:${http.port}/discord/interactions`, keys);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await http?.close();
});

const shown = (payload: Json) => answerTo(h.fake, payload).messages.map(visibleText).join('\n');

describe('GIVEN DISCORD_GATEWAY=on and a public key', () => {
  it('WHEN the key is not the application\'s (the fake shows another) THEN start-up warns that Discord\'s requests will be refused', () => {
    const warned = h.logs.filter((l) => String(l.msg).includes('DISCORD_PUBLIC_KEY is not the public key'));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.level).toBe(40);
  });

  it('WHEN /help arrives over the gateway and over HTTP THEN both get the same answer, one by REST callback, one in the HTTP response', async () => {
    expect(h.fake.requests('GET /gateway/bot').length).toBeGreaterThan(0);
    const viaGateway = h.fake.chatInput('help');
    await h.interact(viaGateway);
    const viaHttp = h.fake.chatInput('help');
    const response = await post(viaHttp);
    await h.adapter.idle();
    expect((response.body as Json).type).toBe(4);
    const callbacks = h.fake.requests('POST /interactions/:interaction/:token/callback');
    expect(callbacks.filter((r) => r.params.interaction === viaGateway.id).map((r) => r.headers.via)).toEqual([undefined]);
    expect(callbacks.filter((r) => r.params.interaction === viaHttp.id).map((r) => r.headers.via)).toEqual(['http-response']);
    expect(shown(viaHttp)).toBe(shown(viaGateway));
    expect(shown(viaHttp)).toContain('/latest');
  });
});
