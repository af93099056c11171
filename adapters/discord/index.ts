/**
 * The Discord platform module: its settings (settings.ts), the chat adapter (a discord.js client,
 * chat.ts) and the delivery port (delivery.ts). discord.js is loaded only when a factory runs.
 */
import { ConfigError } from '../../src/errors.js';
import type { PlatformModule } from '../../src/platform.js';
import type { DiscordAdapterOptions } from './chat.js';
import { check, discordSettings, NAME, rates, schema, SECRETS, type DiscordSettings } from './settings.js';

export type { DiscordAdapter, DiscordAdapterOptions } from './chat.js';

/** Discord: on when DISCORD_TOKEN is set (DISCORD_APP_ID must come with it). */
export const discord = {
  name: NAME,
  schema,
  secrets: SECRETS,
  enabled: (settings) => Boolean(settings.DISCORD_TOKEN),
  rates,
  check,
  title: 'Discord',
  switchedOnBy: { variable: 'DISCORD_TOKEN', set: 'DISCORD_TOKEN and DISCORD_APP_ID' },
  target: { chat: 'discord:<channel id>', thread: 'thread' },
  /** A fatal gateway close stops the app; tests may pass Client options and timings. */
  chatAdapter: (options: DiscordAdapterOptions = {}) => async (core, app) =>
    (await import('./chat.js')).createDiscordAdapter(core, { onFatal: (reason) => app.requestStop(reason), ...options }),
  async deliveryPort(config, transport) {
    const { createDiscordDeliveryPort, createDiscordRest, recordingTransport } = await import('./delivery.js');
    if (transport.kind === 'record') return createDiscordDeliveryPort(recordingTransport(transport.requests));
    const settings = discordSettings(config);
    const token = settings.DISCORD_TOKEN;
    if (!token) throw new ConfigError('sending to Discord needs DISCORD_TOKEN (set it in the environment or in .env)', { variable: 'DISCORD_TOKEN' });
    const rest = createDiscordRest({ token, ...(settings.DISCORD_API_BASE ? { apiBase: settings.DISCORD_API_BASE } : {}) });
    return createDiscordDeliveryPort(rest, { timeoutMs: config.SEND_TIMEOUT, ...(transport.onError ? { onError: transport.onError } : {}) });
  },
} satisfies PlatformModule<DiscordSettings>;
