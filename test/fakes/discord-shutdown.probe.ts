/**
 * Run as its own process by discord-api.test.ts: logs in to the fake, sends, shuts down, and must
 * then exit by itself. If something (a socket, a timer) stays alive, the process hangs and the
 * test sees it; the active handles are printed to help find the culprit.
 */
import { Client, Events, GatewayIntentBits, type TextChannel } from 'discord.js';
import { FAKE_DISCORD, startFakeDiscord } from './discord-api.js';

const fake = await startFakeDiscord({ heartbeatIntervalMs: 300 });
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  allowedMentions: { parse: [] },
  rest: { api: fake.apiBase, offset: 0 },
  ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } as never,
});
const ready = new Promise<void>((res) => client.once(Events.ClientReady, () => res()));
await client.login(fake.token);
await ready;
const channel = (await client.channels.fetch(FAKE_DISCORD.channelId)) as TextChannel;
await channel.send('bye');
await fake.gateway.waitFor(1); // at least one heartbeat round trip
await client.destroy();
await fake.close();
console.log('probe: closed');
setTimeout(() => console.error('probe: still alive:', process.getActiveResourcesInfo().join(', ')), 5000).unref();
