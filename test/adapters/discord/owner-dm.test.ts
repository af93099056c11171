import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordDeliveryPort, createDiscordRest } from '../../../adapters/discord/delivery.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

describe('owner alerts on Discord (DeliveryPort.notifyUser)', () => {
  it('GIVEN an owner user id THEN the port opens the DM channel and posts the plain text there with mentions off; a second notice reuses the channel', async () => {
    const port = createDiscordDeliveryPort(createDiscordRest({ token: fake.token, apiBase: fake.apiBase, offsetMs: 0 }));
    const first = await port.notifyUser?.('424242424242424242', 'newsbot alerts (1) @everyone');
    const second = await port.notifyUser?.('424242424242424242', 'again');
    const opened = fake.requests('POST /users/@me/channels');
    expect(opened.map((r) => r.body)).toEqual([{ recipient_id: '424242424242424242' }, { recipient_id: '424242424242424242' }]);
    const dm = fake.requests('POST /channels/:channel/messages').filter((r) => r.params.channel !== undefined).at(-1)?.params.channel ?? '';
    const posted = fake.channelMessages(dm);
    expect(posted.map((m) => m.content)).toEqual(['newsbot alerts (1) @everyone', 'again']);
    expect(fake.requests('POST /channels/:channel/messages').at(-1)?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(first).toEqual({ kind: 'sent', messageId: posted[0]?.id });
    expect(second).toEqual({ kind: 'sent', messageId: posted[1]?.id });
  });

  it('GIVEN a bad user id THEN an outcome comes back, never a throw', async () => {
    const port = createDiscordDeliveryPort(createDiscordRest({ token: fake.token, apiBase: fake.apiBase, offsetMs: 0 }));
    const outcome = await port.notifyUser?.('not-a-user', 'x');
    expect(outcome?.kind).not.toBe('sent');
  });
});
