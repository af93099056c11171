/**
 * A fake Discord (REST API v10 + gateway) on 127.0.0.1 for the REAL discord.js / @discordjs/rest:
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents, rest: { api: fake.apiBase, offset: 0 },
 *     ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } });
 *   await client.login(fake.token);            // then wait for Events.ClientReady
 *   fake.dispatchInteraction(fake.chatInput('latest'));
 *   await fake.waitFor('POST /interactions/:interaction/:token/callback');
 *   await client.destroy(); await fake.close();
 *
 * Every request is recorded (Authorization value removed; see discord-requests.ts), message
 * payloads are checked with the independent validator and refused with Discord's 400 shape, and
 * tests can program faults (429 with Retry-After, 403, 404, 5xx, hangs, resets), a global
 * requests/s limit, and gateway close codes (`identifyCloseCode`, `gateway.drop(code)`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FakeStats, type FaultOutcome, type FaultSpec } from './discord-faults.js';
import { FakeGateway } from './discord-gateway.js';
import { readRequest, RequestLog, type RecordedRequest, type RequestMatch } from './discord-requests.js';
import { routeRequest, type FakeState, type InteractionState } from './discord-rest.js';
import {
  DEFAULT_GUILDS,
  FAKE_DISCORD,
  interactionBase,
  messageObject,
  optionsFrom,
  snowflakes,
  userObject,
  type FakeGuildSpec,
  type InteractionContext,
  type Json,
  type OptionsInput,
} from './discord-world.js';

export { FAKE_DISCORD, PERMISSIONS, DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS } from './discord-world.js';
export type { FakeGuildSpec, FakeChannelSpec, InteractionContext, OptionsInput, Json } from './discord-world.js';
export type { InteractionState } from './discord-rest.js';
export type { FaultKind, FaultSpec, FakeStats } from './discord-faults.js';
export type { RecordedRequest, RequestMatch } from './discord-requests.js';

export interface FakeDiscordOptions {
  /** The bot token the fake accepts (default FAKE_DISCORD.token). */
  token?: string;
  applicationId?: string;
  guilds?: FakeGuildSpec[];
  /** HELLO's heartbeat_interval (default 41,250 ms, Discord's usual). */
  heartbeatIntervalMs?: number;
  /** Refuse payloads that break Discord's limits or our mention policy (default true). */
  validatePayloads?: boolean;
  /** Enforce a global requests/s limit with 429s (interaction callbacks exempt, as on Discord). */
  requestsPerSecond?: number | null;
  /** The clock of the rate limit window (default Date.now); tests freeze it. */
  clock?: () => number;
  /** The application's public key (hex) GET /applications/@me shows (default 64 zeros). */
  verifyKey?: string;
  /** Answer every IDENTIFY by closing the gateway with this code (e.g. 4014 disallowed intents). */
  identifyCloseCode?: number | null;
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly gateway: FakeGateway;
  private readonly server: Server;
  private readonly state: FakeState;
  private readonly log = new RequestLog();
  private readonly faults: Faults;
  private port = 0;
  private closing = false;
  /** HTTP-mode interactions whose response the fake has not applied yet, by token. */
  private readonly httpGates = new Map<string, Promise<void>>();
  private readonly httpReleases = new Map<string, () => void>();

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? FAKE_DISCORD.token;
    this.applicationId = options.applicationId ?? FAKE_DISCORD.applicationId;
    this.botUserId = this.applicationId;
    this.faults = new Faults(options.requestsPerSecond ?? null, options.clock ?? Date.now);
    const nextId = snowflakes();
    const bot = userObject(this.botUserId, 'newsbot', true);
    const guilds = options.guilds ?? DEFAULT_GUILDS;
    this.state = {
      token: this.token,
      applicationId: this.applicationId,
      bot,
      guilds,
      nextId,
      validate: options.validatePayloads ?? true,
      gatewayUrl: () => this.gatewayUrl,
      ...(options.verifyKey ? { verifyKey: options.verifyKey } : {}),
      channelMessages: new Map(),
      commands: new Map(),
      interactions: new Map(),
    };
    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      applicationId: this.applicationId,
      bot,
      botRoleId: nextId(),
      guilds,
      url: () => this.gatewayUrl,
      identifyCloseCode: options.identifyCloseCode ?? null,
    });
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  /** Starts listening on 127.0.0.1 (an ephemeral port). */
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** What discord.js wants as `rest.api` (it appends /v10). */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gw`;
  }

  // ---- recording -------------------------------------------------------------------------

  /** Recorded requests, optionally filtered. */
  requests(match?: RequestMatch): RecordedRequest[] {
    return this.log.all(match);
  }

  /**
   * Resolves with the first recorded request that matches (ones already recorded count), once
   * the fake has decided its answer. `match` is a route (`POST /channels/:channel/messages`), a
   * concrete `METHOD /path`, or a predicate; a predicate on `hungUpAt` waits for a held request's
   * client to hang up.
   */
  waitFor(match: RequestMatch, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.log.waitFor(match, timeoutMs);
  }

  /** Messages posted to a channel through POST /channels/{id}/messages, in order. */
  channelMessages(channelId: string = FAKE_DISCORD.channelId): Json[] {
    return [...(this.state.channelMessages.get(channelId) ?? [])];
  }

  /** Registered commands: global (`null`) or for one guild. */
  commands(guildId: string | null = null): Json[] {
    return [...(this.state.commands.get(guildId ?? 'global') ?? [])];
  }

  stats(): FakeStats {
    return { ...this.faults.stats };
  }

  // ---- faults and limits -------------------------------------------------------------------

  /** Programs a failure (see FaultSpec); faults apply in the order added. */
  fault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Turns global rate limit enforcement on (requests per second) or off (null). */
  setRateLimit(requestsPerSecond: number | null): void {
    this.faults.setRateLimit(requestsPerSecond);
  }

  // ---- interactions ------------------------------------------------------------------------

  /** A chat-input (slash) command interaction, type 2. `options` as a record infers option types. */
  chatInput(name: string, options?: OptionsInput, ctx: InteractionContext = {}): Json {
    return this.interaction(2, ctx, { id: this.commandId(name), name, type: 1, options: optionsFrom(options), ...(ctx.guildId !== null ? { guild_id: ctx.guildId ?? FAKE_DISCORD.guildId } : {}) });
  }

  /** An autocomplete interaction, type 4; `focused` names the option being typed. */
  autocomplete(name: string, options: OptionsInput, focused: string, ctx: InteractionContext = {}): Json {
    return this.interaction(4, ctx, { id: this.commandId(name), name, type: 1, options: optionsFrom(options, focused) });
  }

  /** A button press, type 3 (message component 2). `message` is the message carrying the button. */
  button(customId: string, ctx: InteractionContext & { message?: Json } = {}): Json {
    const channelId = ctx.channelId ?? FAKE_DISCORD.channelId;
    const guildId = ctx.guildId === undefined ? FAKE_DISCORD.guildId : ctx.guildId;
    const message =
      ctx.message ??
      messageObject({
        id: this.state.nextId(),
        channelId,
        guildId,
        author: this.state.bot,
        body: { content: '', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: customId }] }] },
      });
    return { ...this.interaction(3, ctx, { custom_id: customId, component_type: 2 }), message };
  }

  /** Sends INTERACTION_CREATE to the connected client and remembers the interaction's token. */
  dispatchInteraction(payload: Json): Json {
    const id = String(payload.id);
    this.state.interactions.set(String(payload.token), { id, token: String(payload.token), payload, acknowledged: false, callbackType: null, original: null });
    if (this.gateway.dispatch('INTERACTION_CREATE', payload) === 0) throw new Error('fake discord: no gateway session to dispatch to');
    return payload;
  }

  /**
   * HTTP interactions mode: Discord POSTs the interaction to the bot instead of dispatching it. The
   * fake learns the interaction (so its webhook routes answer) and holds webhook requests for its
   * token until `httpAnswered` has applied the bot's HTTP response, as Discord has it before any edit.
   */
  expectHttpInteraction(payload: Json): void {
    const token = String(payload.token);
    this.state.interactions.set(token, { id: String(payload.id), token, payload, acknowledged: false, callbackType: null, original: null });
    let release!: () => void;
    this.httpGates.set(token, new Promise<void>((resolve) => (release = resolve)));
    this.httpReleases.set(token, release);
  }

  /**
   * Applies the bot's HTTP response to an interaction as its callback (recorded under the callback's
   * route, with `headers.via = 'http-response'`), unless it is not a 200 JSON answer; then releases held webhook requests.
   */
  httpAnswered(payload: Json, status: number, body: unknown): void {
    const token = String(payload.token);
    if (status === 200 && typeof body === 'object' && body !== null) {
      const path = `/interactions/${String(payload.id)}/${token}/callback`;
      const routed = routeRequest(this.state, 'POST', path);
      const record: RecordedRequest = {
        method: 'POST', path, route: routed?.route ?? 'POST ?', params: routed?.params ?? {}, query: {}, body, headers: { via: 'http-response' }, status: 0, at: Date.now(), hungUpAt: null,
      };
      record.status = routed ? routed.handle(body, {}).status : 404;
      this.finish(record);
    }
    // A 409 is the bot refusing a second delivery while the first is being answered: that one releases.
    if (status === 409) return;
    this.httpReleases.get(token)?.();
    this.httpReleases.delete(token);
    this.httpGates.delete(token);
  }

  /** What the fake knows about a dispatched interaction (by id). */
  interactionState(id: string): InteractionState | undefined {
    return [...this.state.interactions.values()].find((i) => i.id === id);
  }

  /** Requests that answered this interaction: its callback and its webhook (edit/follow-up) calls. */
  responsesTo(interaction: Json | string): RecordedRequest[] {
    const state = this.interactionState(typeof interaction === 'string' ? interaction : String(interaction.id));
    if (!state) return [];
    return this.log.all((r) => r.params.interaction === state.id || r.params.token === state.token);
  }

  /** Sends any dispatch event to the connected client(s). */
  dispatch(t: string, d: unknown): number {
    return this.gateway.dispatch(t, d);
  }

  private interaction(type: number, ctx: InteractionContext, data: Json): Json {
    const id = this.state.nextId();
    const token = `itoken-${id}-${Math.random().toString(36).slice(2)}`;
    return { ...interactionBase(id, token, this.applicationId, ctx), type, data };
  }

  private commandId(name: string): string {
    const all = [...this.state.commands.values()].flat();
    const found = all.find((c) => c.name === name);
    return found ? String(found.id) : this.state.nextId();
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { record, authorized, versioned, refused } = await readRequest(req, this.token);
    const webhookToken = /^\/webhooks\/[^/]+\/([^/]+)/.exec(record.path)?.[1];
    const gate = webhookToken !== undefined ? this.httpGates.get(webhookToken) : undefined;
    if (gate) await gate;
    this.faults.stats.requests += 1;
    const reply: FaultOutcome = refused ?? this.answer(record, authorized, versioned);
    if (reply === 'reset') {
      this.finish(record);
      req.socket.destroy();
      return;
    }
    if (reply === 'hang') {
      // Answered never: the client may give up (abort) and close the connection; close() drops it too.
      res.on('close', () => void (this.closing || this.log.hungUp(record)));
      return this.finish(record);
    }
    record.status = reply.status;
    this.finish(record);
    res.writeHead(reply.status, { ...(reply.body !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers });
    res.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
  }

  private finish(record: RecordedRequest): void {
    this.log.add(record);
  }

  private answer(record: RecordedRequest, authorized: boolean, versioned: boolean): FaultOutcome {
    const routed = versioned ? routeRequest(this.state, record.method, record.path) : null;
    if (!routed) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    record.route = routed.route;
    record.params = routed.params;
    if (routed.auth && !authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };

    return this.faults.enforce(routed.route) ?? this.faults.take(routed.route, routed.params) ?? routed.handle(record.body, record.query);
  }

  /** Terminates gateway sockets, drops held requests and closes the server. */
  async close(): Promise<void> {
    this.closing = true;
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.log.close();
  }
}

/** Creates and starts a fake Discord on 127.0.0.1. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}
