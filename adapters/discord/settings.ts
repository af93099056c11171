/**
 * Discord's variables (DISCORD_*), which of them are secret, and its rate limits. Loaded with the
 * core's by `loadConfig`; no discord.js here, so validating settings never loads the platform library.
 */
import { z } from 'zod';
import { emptyToUndefined, optionalString, platformSettings, rate, url, type Config } from '../../src/config.js';
import type { PlatformRates } from '../../src/delivery/rate-limiter.js';
import { ConfigError } from '../../src/errors.js';

export const NAME = 'discord';

export const schema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, 'expected the numeric application id').optional()),
  DISCORD_GUILD_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, 'expected a numeric server (guild) id').optional()),
  DISCORD_API_BASE: url('expected an http(s) URL such as http://127.0.0.1:3000/api'),
  DISCORD_RATE_GLOBAL: rate('50/1s'),
  DISCORD_RATE_PER_CHANNEL: rate('5/5s'),
  /** The application's Ed25519 public key (General Information › Public Key): serves the HTTP interactions endpoint. */
  DISCORD_PUBLIC_KEY: z.preprocess(emptyToUndefined, z.string().trim().regex(/^[0-9a-fA-F]{64}$/, 'expected the 64 hex characters of the application\'s public key').optional()),
  /** Where the HTTP server takes Discord's interaction POSTs (with DISCORD_PUBLIC_KEY). */
  DISCORD_INTERACTIONS_PATH: z.preprocess(emptyToUndefined, z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, 'expected a path such as /discord/interactions').default('/discord/interactions')),
  /** on: log in to the gateway; off: no gateway (commands over HTTP only); auto: off exactly when DISCORD_PUBLIC_KEY is set. */
  DISCORD_GATEWAY: z.preprocess(emptyToUndefined, z.enum(['auto', 'on', 'off'], { message: 'expected auto, on or off' }).default('auto')),
});

export type DiscordSettings = z.output<typeof schema>;

export const SECRETS = ['DISCORD_TOKEN'] as const;

/** Discord's custom_id limit (characters; the pager counts UTF-8 bytes, which is never fewer). */
export const CUSTOM_ID_CHARS = 100;

export function rates(settings: DiscordSettings): PlatformRates {
  return { global: settings.DISCORD_RATE_GLOBAL, perChat: settings.DISCORD_RATE_PER_CHANNEL };
}

/** A token is useless without the application it belongs to: say so at start, not at the first command. */
export function check(settings: DiscordSettings): ConfigError | null {
  if (settings.DISCORD_TOKEN && !settings.DISCORD_APP_ID) {
    return new ConfigError('DISCORD_APP_ID is missing: set it to the application id shown in the Discord developer portal', { variable: 'DISCORD_APP_ID' });
  }
  if (settings.DISCORD_GATEWAY === 'off' && !settings.DISCORD_PUBLIC_KEY) {
    return new ConfigError('DISCORD_GATEWAY=off needs DISCORD_PUBLIC_KEY: without the gateway, commands arrive only at the HTTP interactions endpoint', { variable: 'DISCORD_PUBLIC_KEY' });
  }
  return null;
}

/** Whether the adapter logs in to the gateway (see DISCORD_GATEWAY). */
export function usesGateway(settings: DiscordSettings): boolean {
  return settings.DISCORD_GATEWAY === 'on' || (settings.DISCORD_GATEWAY === 'auto' && !settings.DISCORD_PUBLIC_KEY);
}

/** Discord's settings in a loaded configuration. */
export function discordSettings(config: Config): DiscordSettings {
  return platformSettings<DiscordSettings>(config, { name: NAME });
}
