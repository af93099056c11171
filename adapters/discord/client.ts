/**
 * The discord.js Client: Guilds intent only (slash commands, buttons and autocomplete arrive as
 * interactions, which need no privileged intent), logged in and ready, with its connection events
 * logged. The `debug` event is never listened to: discord.js writes part of the token into it.
 *
 * Fatal gateway closes: after 4004 (authentication failed), 4010-4013 or 4014 (disallowed intents)
 * discord.js 14 emits `shardDisconnect` and never reconnects; the bot would stay up without Discord.
 * `onFatalGateway` reports those (and `invalidated`, which older discord.js emitted instead) so the
 * adapter can stop the app, as the Telegram adapter does when polling stops.
 */
import { Client, Events, GatewayCloseCodes, type ClientOptions } from 'discord.js';
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
}

/** Gateway close codes discord.js does not reconnect after, with what they mean for the operator. */
const FATAL_CLOSE_CODES = new Map<number, string>([
  [GatewayCloseCodes.AuthenticationFailed, 'authentication failed (check DISCORD_TOKEN)'],
  [GatewayCloseCodes.InvalidShard, 'invalid shard'],
  [GatewayCloseCodes.ShardingRequired, 'sharding required (the bot is in too many servers for one connection)'],
  [GatewayCloseCodes.InvalidAPIVersion, 'invalid API version'],
  [GatewayCloseCodes.InvalidIntents, 'invalid intents'],
  [GatewayCloseCodes.DisallowedIntents, 'disallowed intents (the application may not use an intent it asks for)'],
]);

/**
 * Calls `onFatal` (once) when the client has given up on Discord for good: a gateway close it does
 * not reconnect after, or an invalidated session. Returns a function that stops listening.
 */
export function onFatalGateway(client: Client, onFatal: (error: PlatformError) => void): () => void {
  let done = false;
  const fatal = (message: string, closeCode?: number) => {
    if (done) return;
    done = true;
    onFatal(new PlatformError(message, { platform: 'discord', method: 'gateway', ...(closeCode !== undefined ? { closeCode } : {}) }));
  };
  const onDisconnect = (event: { code: number }) => {
    const meaning = FATAL_CLOSE_CODES.get(event.code);
    if (meaning) fatal(`Discord closed the gateway with ${event.code}: ${meaning}; the client will not reconnect`, event.code);
  };
  const onInvalidated = () => fatal('Discord invalidated the session; the client stopped');
  client.on(Events.ShardDisconnect, onDisconnect);
  client.on(Events.Invalidated, onInvalidated);
  return () => {
    client.off(Events.ShardDisconnect, onDisconnect);
    client.off(Events.Invalidated, onInvalidated);
  };
}

/**
 * Logs in and resolves once the client is ready (READY and every server received); on failure
 * (including a fatal gateway close while identifying, e.g. 4014) the client is destroyed and a
 * PlatformError without the token is thrown.
 */
export async function loginDiscordClient(client: Client, token: string, readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onReady: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  const ready = new Promise<'ready'>((resolve) => client.once(Events.ClientReady, (onReady = () => resolve('ready'))));
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs)));
  const fatal = new Promise<PlatformError>((resolve) => (unwatch = onFatalGateway(client, resolve)));
  try {
    const login = client.login(token);
    // A fatal close may come before login() settles (or instead of it): whichever is first.
    const first = await Promise.race([login.then(() => Promise.race([ready, timeout, fatal])), fatal]);
    if (first instanceof PlatformError) throw first;
    if (first === 'timeout') {
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
    unwatch?.();
    if (onReady) client.off(Events.ClientReady, onReady);
  }
}
