/**
 * The discord.js Client: Guilds intent only (slash commands, buttons and autocomplete arrive as
 * interactions, which need no privileged intent), logged in and ready, with its connection events
 * logged. The `debug` event is never listened to: discord.js writes part of the token into it.
 */
import { Client, Events, type ClientOptions } from 'discord.js';
import { PlatformError } from '../../src/errors.js';
import { reportError, type Logger } from '../../src/log.js';
import { discordClientOptions } from './delivery.js';

/** How long to wait for READY and the servers after logging in. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

export interface DiscordClientSettings {
  /** DISCORD_API_BASE: REST root (the gateway URL then comes from it too). */
  apiBase?: string | undefined;
  /** Merged over `discordClientOptions` (tests pass a no-wait identify throttler). */
  clientOptions?: Partial<ClientOptions>;
}

/** A Client that is not logged in yet. */
export function createDiscordClient(settings: DiscordClientSettings = {}): Client {
  const base = discordClientOptions(settings.apiBase);
  const extra = settings.clientOptions ?? {};
  return new Client({ ...base, ...extra, rest: { ...base.rest, ...extra.rest } });
}

/** Logs the client's errors, warnings and gateway connection changes. */
export function logClientEvents(client: Client, logger: Logger): void {
  const platform = 'discord';
  client.on(Events.Error, (err) => reportError(logger, err, { platform, method: 'gateway' }));
  client.on(Events.Warn, (message) => logger.warn({ platform }, `discord: ${message}`));
  client.on(Events.ShardError, (err, shardId) => reportError(logger, err, { platform, method: 'gateway', shardId }));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ platform, shardId, code: event.code }, 'discord: gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ platform, shardId }, 'discord: gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ platform, shardId, replayed }, 'discord: gateway session resumed'));
  client.on(Events.ShardReady, (shardId) => logger.info({ platform, shardId }, 'discord: gateway ready'));
  client.on(Events.Invalidated, () => logger.error({ platform }, 'discord: session invalidated; the client stopped'));
}

/**
 * Logs in and resolves once the client is ready (READY and every server received); on failure
 * the client is destroyed and a PlatformError without the token is thrown.
 */
export async function loginDiscordClient(client: Client, token: string, readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onReady: (() => void) | undefined;
  const ready = new Promise<'ready'>((resolve) => client.once(Events.ClientReady, (onReady = () => resolve('ready'))));
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs)));
  try {
    await client.login(token);
    if ((await Promise.race([ready, timeout])) === 'timeout') {
      throw new PlatformError(`Discord did not get ready within ${readyTimeoutMs} ms after login`, { platform: 'discord', method: 'login' });
    }
  } catch (err) {
    await client.destroy();
    if (err instanceof PlatformError) throw err;
    // discord.js says "An invalid token was provided." for a 401; its messages never hold the token.
    const reason = err instanceof Error ? err.message : String(err);
    throw new PlatformError(`Discord login failed: ${reason} (check DISCORD_TOKEN, and DISCORD_API_BASE if set)`, { platform: 'discord', method: 'login' });
  } finally {
    clearTimeout(timer);
    if (onReady) client.off(Events.ClientReady, onReady);
  }
}
