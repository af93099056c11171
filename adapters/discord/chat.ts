/**
 * The Discord chat adapter: logs the bot in, registers the slash commands (in DISCORD_GUILD_ID
 * when set, else globally), answers interactions through the commands core, and offers a
 * DeliveryPort for scheduled posts (its own REST client, which never waits on rate limits). When
 * Discord shuts the bot out for good (a fatal gateway close), it reports that and asks the app to stop.
 *
 * The gateway session (login, slash commands, interactions) runs only on the instance holding the
 * role `discord:gateway`; the others stand by and take over when it dies. Delivery is REST and
 * works on every instance, with no gateway.
 *
 * With DISCORD_PUBLIC_KEY it also serves Discord's HTTP interactions endpoint on the shared HTTP
 * server (http-interactions.ts), feeding the same handler; with DISCORD_GATEWAY off (the default
 * when the key is set) it never connects to the gateway: the client is a REST client only, and
 * every instance answers the requests it receives (no role is needed).
 */
import { DefaultRestOptions, Events, Routes, type Client, type ClientOptions, type Interaction } from 'discord.js';
import type { Core } from '../../src/app.js';
import { RoleKeeper, type RoleHandle, type Roles } from '../../src/cluster/roles.js';
import { ConfigError, PlatformError } from '../../src/errors.js';
import { InFlight } from '../../src/in-flight.js';
import { reportError } from '../../src/log.js';
import type { ChatAdapter, DeliveryPort } from '../../src/platform.js';
import { isIssueOption } from './autocomplete.js';
import { isSectionsOption } from './section-choices.js';
import { createDiscordClient, DEFAULT_READY_TIMEOUT_MS, logClientEvents, loginDiscordClient, onFatalGateway } from './client.js';
import { createDiscordDeliveryPort, createDiscordRest } from './delivery.js';
import { discordErrorOutcome } from './errors.js';
import { createInteractionHandler } from './interactions.js';
import { CallbackRelay } from './callback-relay.js';
import type { ChannelHint } from './caller.js';
import { interactionsEndpoint } from './http-interactions.js';
import { SeenInteractions } from './seen.js';
import { discordSettings, usesGateway } from './settings.js';
import { interactionVerifier } from './signature.js';
import { registerSlashCommands, slashCommandsFor } from './slash-commands.js';

export interface DiscordAdapterOptions {
  /** Merged over the adapter's Client options (tests: a no-wait identify throttler). */
  clientOptions?: Partial<ClientOptions>;
  /** Non-digest commands are deferred when slower than this (default 1.5 s). */
  deferAfterMs?: number;
  readyTimeoutMs?: number;
  /** Wall clock for the interactions endpoint's timestamp check (default Date.now). */
  now?: () => number;
  /**
   * Called once Discord has shut the bot out for good after it started (a fatal gateway close,
   * already reported); the factory passes `app.requestStop`.
   */
  onFatal?: (reason: string) => void;
  /** Who holds the gateway among several instances; default: this one alone (no cluster). */
  roles?: Roles;
}

/** The role whose holder keeps the gateway session. */
export const GATEWAY_ROLE = 'discord:gateway';

/** The running adapter; `client` is null while standing by, before `start()` and after `stop()` (or a failed start). */
export interface DiscordAdapter extends ChatAdapter {
  readonly delivery: DeliveryPort;
  readonly client: Client | null;
  /** Resolves once every interaction received so far has been answered (or given up on). */
  idle(): Promise<void>;
}

/** Builds the Discord adapter from the core's configuration (DISCORD_TOKEN, DISCORD_APP_ID, …). */
export function createDiscordAdapter(core: Core, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const { config, logger, router, pages, library } = core;
  const settings = discordSettings(config);
  if (!settings.DISCORD_TOKEN || !settings.DISCORD_APP_ID) {
    throw new ConfigError('The Discord adapter needs DISCORD_TOKEN and DISCORD_APP_ID', { variable: settings.DISCORD_TOKEN ? 'DISCORD_APP_ID' : 'DISCORD_TOKEN' });
  }
  const token: string = settings.DISCORD_TOKEN;
  const applicationId: string = settings.DISCORD_APP_ID;
  const apiBase = settings.DISCORD_API_BASE;
  const guildId = settings.DISCORD_GUILD_ID;
  const gateway = usesGateway(settings);
  const publicKey = settings.DISCORD_PUBLIC_KEY;
  if (publicKey && !core.http) {
    throw new ConfigError('DISCORD_PUBLIC_KEY needs the HTTP server (PORT) for the interactions endpoint', { variable: 'DISCORD_PUBLIC_KEY' });
  }
  // Over HTTP an interaction's first answer is the response to Discord's request: the client's REST hands it over.
  const relay = publicKey ? new CallbackRelay() : null;

  const delivery = createDiscordDeliveryPort(createDiscordRest({ token, ...(apiBase ? { apiBase } : {}) }), {
    // The outbox passes its own SEND_TIMEOUT signal; this is the deadline of a send made without one.
    timeoutMs: config.SEND_TIMEOUT,
    // The outbox logs every outcome; this adds the HTTP details for whoever turns on debug logs.
    onError: (error) => logger.debug({ platform: 'discord', err: error }, error.message),
  });
  const handler = createInteractionHandler({
    router,
    pages,
    issues: library,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    limiter: core.limiter,
    ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
  });
  const inFlight = new InFlight();
  let client: Client | null = null;
  let stopping: Promise<void> | null = null;
  let unwatchFatal: (() => void) | null = null;
  /** Set when no keeper was given: this instance is the only one. */
  let ownKeeper: RoleKeeper | null = null;
  let holding: Promise<RoleHandle> | null = null;

  /** Set while an interaction from the HTTP endpoint is handed to discord.js: its raw channel, and where its handling goes. */
  let fromHttp: { channel: ChannelHint | undefined; handled: Promise<void> | null } | null = null;
  const onInteraction = (interaction: Interaction) => {
    if (stopping) return void logger.debug({ platform: 'discord', interaction: interaction.id }, 'discord: interaction ignored while stopping');
    const handling = inFlight.track(handler.handle(interaction, fromHttp?.channel));
    if (fromHttp) fromHttp.handled = handling;
  };

  /**
   * The endpoint's way in: the same discord.js action the gateway's INTERACTION_CREATE runs (it
   * builds the Interaction and emits it, synchronously, to `onInteraction`). `actions` is internal to
   * discord.js, hence the cast; test/adapters/discord/http-interactions.test.ts fails if it moves.
   */
  function dispatchFromHttp(data: Record<string, unknown>): Promise<void> | 'stopping' | 'unsupported' {
    if (!client || stopping) return 'stopping';
    const actions = (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions;
    const channel = typeof data.channel === 'object' && data.channel !== null ? (data.channel as ChannelHint) : undefined;
    fromHttp = { channel, handled: null };
    try {
      actions.InteractionCreate.handle(data);
      return fromHttp.handled ?? 'unsupported';
    } finally {
      fromHttp = null;
    }
  }
  /**
   * Without the gateway there is no READY to compare DISCORD_APP_ID with: ask Discord for the
   * application instead, and check DISCORD_PUBLIC_KEY against it too (a wrong key refuses every request).
   */
  async function checkApplication(ready: Client): Promise<void> {
    try {
      const app = (await ready.rest.get(Routes.currentApplication())) as { id?: string; verify_key?: string };
      if (app.id !== undefined && app.id !== applicationId) {
        logger.warn({ platform: 'discord', configured: applicationId, actual: app.id }, 'discord: DISCORD_APP_ID is not the application of DISCORD_TOKEN');
      }
      if (publicKey && app.verify_key !== undefined && app.verify_key.toLowerCase() !== publicKey.toLowerCase()) {
        logger.warn({ platform: 'discord', variable: 'DISCORD_PUBLIC_KEY' }, "discord: DISCORD_PUBLIC_KEY is not the public key of DISCORD_TOKEN's application: Discord's requests will be refused (401)");
      }
    } catch (err) {
      logger.debug({ platform: 'discord', err }, 'discord: could not read the application to check DISCORD_APP_ID and DISCORD_PUBLIC_KEY');
    }
  }

  let unmountEndpoint: (() => void) | null = null;
  function mountEndpoint(): void {
    if (!publicKey || !relay || !core.http) return;
    const path = settings.DISCORD_INTERACTIONS_PATH;
    unmountEndpoint = core.http.mount(
      path,
      interactionsEndpoint({
        verify: interactionVerifier(publicKey, options.now ? { now: options.now } : {}),
        relay,
        seen: new SeenInteractions(),
        dispatch: dispatchFromHttp,
        logger,
      }),
    );
    logger.info({ platform: 'discord', path, gateway }, 'discord: interactions endpoint ready');
  }

  async function register(ready: Client): Promise<void> {
    const commands = slashCommandsFor(router.commands(), { defaultLanguage: config.DEFAULT_LANGUAGE, autocomplete: (c, o) => isIssueOption(c, o) || isSectionsOption(c, o) });
    if (ready.application && ready.application.id !== applicationId) {
      logger.warn({ platform: 'discord', configured: applicationId, actual: ready.application.id }, 'discord: DISCORD_APP_ID is not the application of DISCORD_TOKEN');
    }
    try {
      await registerSlashCommands(ready.rest, { applicationId, guildId }, commands);
    } catch (err) {
      const where = guildId ? `in server ${guildId} (is the bot in it, invited with the applications.commands scope?)` : 'globally';
      const reason = discordErrorOutcome(err, { method: 'PUT', route: guildId ? '/applications/:id/guilds/:id/commands' : '/applications/:id/commands' });
      throw new PlatformError(`registering the slash commands ${where} failed: ${'reason' in reason ? reason.reason : reason.kind}; check DISCORD_APP_ID${guildId ? ' and DISCORD_GUILD_ID' : ''}`, {
        platform: 'discord',
        method: 'registerCommands',
      });
    }
    logger.info({ platform: 'discord', commands: commands.length, scope: guildId ? 'guild' : 'global' }, 'discord: slash commands registered');
  }

  /**
   * Holding the role (or at start, without a gateway): builds the client, logs in to the gateway or
   * only sets the REST token, registers the commands, mounts the HTTP endpoint and watches for a fatal close.
   */
  async function connect(): Promise<void> {
    const extra = options.clientOptions ?? {};
    const clientOptions = relay ? { ...extra, rest: { ...extra.rest, makeRequest: relay.makeRequest(extra.rest?.makeRequest ?? DefaultRestOptions.makeRequest) } } : extra;
    const created = createDiscordClient({ apiBase, clientOptions });
    logClientEvents(created, logger);
    created.on(Events.InteractionCreate, onInteraction);
    // Set before logging in, so a stop() during start-up (a signal) destroys this client.
    client = created;
    try {
      // Without the gateway the client only speaks REST: its token is set, nothing connects.
      if (gateway) await loginDiscordClient(created, token, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      else created.rest.setToken(token);
      if (!stopping) await register(created);
      if (!stopping && publicKey) await checkApplication(created);
    } catch (err) {
      if (client === created) client = null;
      await created.destroy();
      if (stopping) return; // the stop interrupted the start: not a failure
      throw err;
    }
    if (stopping || client !== created) return;
    mountEndpoint();
    if (!gateway) return void logger.info({ platform: 'discord' }, 'discord: ready (no gateway: commands arrive over HTTP)');
    unwatchFatal = onFatalGateway(created, (error) => {
      if (stopping) return;
      reportError(logger, error);
      options.onFatal?.(`discord: ${error.message}`);
    });
    logger.info({ platform: 'discord', user: created.user?.tag, guilds: created.guilds.cache.size }, 'discord: ready');
  }

  /** The role is gone (or the adapter stops): the gateway session ends. */
  async function disconnect(): Promise<void> {
    unmountEndpoint?.();
    unmountEndpoint = null;
    const running = client;
    client = null;
    unwatchFatal?.();
    unwatchFatal = null;
    await running?.destroy();
  }

  const adapter: DiscordAdapter = {
    platform: 'discord',
    delivery,
    get client() {
      return client;
    },
    idle: () => inFlight.drain(),
    async start() {
      // HTTP interactions only: every instance answers the requests it receives, no role needed.
      if (!gateway) return connect();
      const roles = options.roles ?? (ownKeeper = new RoleKeeper({ cluster: null, logger }));
      holding = roles.hold(GATEWAY_ROLE, { onLead: connect, onLose: disconnect });
      await holding;
      if (!client && !stopping) logger.info({ platform: 'discord' }, 'discord: another instance holds the gateway; standing by');
    },
    stop() {
      stopping ??= (async () => {
        // Answers already being prepared are finished; new interactions are ignored from here on.
        await adapter.idle();
        // Destroying the client first cuts short a login under way; then the role is handed over at once.
        await disconnect();
        const handle = await holding?.catch(() => null);
        await handle?.release();
        await ownKeeper?.stop();
      })();
      return stopping;
    },
  };
  return adapter;
}
