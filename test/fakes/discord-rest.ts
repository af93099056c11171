/**
 * The REST routes of the fake Discord: what each answers, with Discord's shapes for success and
 * errors. Faults, auth and rate limits are applied before these run (discord-api.ts).
 */
import { checkApplicationCommands } from '../validators/discord-commands.js';
import { discordMessageIssues, interactionResponseIssues, type DiscordPayloadIssue } from '../validators/discord-payload.js';
import { channelObject, messageObject, PERMISSIONS, DEFAULT_BOT_PERMISSIONS, type FakeChannelSpec, type FakeGuildSpec, type Json } from './discord-world.js';

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A dispatched interaction and what the bot did with it. */
export interface InteractionState {
  id: string;
  token: string;
  payload: Json;
  acknowledged: boolean;
  /** The callback type used (4 reply, 5 defer, 6 deferUpdate, 7 update, 8 autocomplete). */
  callbackType: number | null;
  /** The original response message, once there is one. */
  original: Json | null;
}

export interface FakeState {
  token: string;
  applicationId: string;
  /** The application's public key as GET /applications/@me shows it (hex). */
  verifyKey?: string;
  bot: Json;
  guilds: FakeGuildSpec[];
  nextId: () => string;
  validate: boolean;
  gatewayUrl: () => string;
  channelMessages: Map<string, Json[]>;
  /** 'global' or a guild id → registered commands. */
  commands: Map<string, Json[]>;
  /** By interaction token. */
  interactions: Map<string, InteractionState>;
  /** DM channels opened with POST /users/@me/channels: channel id → recipient's user id. */
  dmChannels?: Map<string, string>;
}

export interface Routed {
  route: string;
  params: Record<string, string>;
  /** Whether the route needs `Authorization: Bot <token>` (interaction and webhook routes do not). */
  auth: boolean;
  handle: (body: unknown, query: Record<string, string>) => ApiReply;
}

const ok = (body: unknown, status = 200): ApiReply => ({ status, body });
const error = (status: number, code: number, message: string): ApiReply => ({ status, body: { message, code } });

/** Discord's 400 "Invalid Form Body" with errors nested along each issue's path. */
export function invalidFormBody(issues: DiscordPayloadIssue[], prefix: string[] = []): ApiReply {
  if (issues.some((i) => i.code === 'EMPTY_MESSAGE')) return error(400, 50006, 'Cannot send an empty message');
  const errors: Json = {};
  for (const issue of issues) {
    const keys = [...prefix, ...issue.path.split(/[.[\]]+/).filter(Boolean)];
    let node = errors;
    for (const key of keys) node = (node[key] ??= {}) as Json;
    ((node._errors ??= []) as unknown[]).push({ code: issue.code, message: issue.message });
  }
  return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors } };
}

function findChannel(state: FakeState, id: string): { guild: FakeGuildSpec; channel: FakeChannelSpec } | null {
  for (const guild of state.guilds) {
    const channel = guild.channels?.find((c) => c.id === id);
    if (channel) return { guild, channel };
  }
  return null;
}

/** Opens (or finds) the DM channel with a user, as Discord does: the same channel each time. */
function openDm(state: FakeState, body: unknown): ApiReply {
  const recipient = String((body as Json | null)?.recipient_id ?? '');
  if (!/^\d+$/.test(recipient)) return error(400, 50035, 'Invalid Form Body');
  const dms = (state.dmChannels ??= new Map());
  const id = [...dms].find(([, user]) => user === recipient)?.[0] ?? state.nextId();
  dms.set(id, recipient);
  return ok({ id, type: 1, recipients: [{ id: recipient, username: `user${recipient}` }] });
}

function postChannelMessage(state: FakeState, channelId: string, body: unknown): ApiReply {
  if (state.dmChannels?.has(channelId)) {
    const message = messageObject({ id: state.nextId(), channelId, guildId: null, author: state.bot, body: body as Json });
    state.channelMessages.set(channelId, [...(state.channelMessages.get(channelId) ?? []), message]);
    return ok(message);
  }
  const found = findChannel(state, channelId);
  if (!found) return error(404, 10003, 'Unknown Channel');
  const perms = found.guild.botPermissions ?? DEFAULT_BOT_PERMISSIONS;
  const isThread = found.channel.type === 11 || found.channel.type === 12;
  if ((perms & PERMISSIONS.ViewChannel) === 0n) return error(403, 50001, 'Missing Access');
  if ((perms & (isThread ? PERMISSIONS.SendMessagesInThreads : PERMISSIONS.SendMessages)) === 0n) return error(403, 50013, 'Missing Permissions');
  if (state.validate) {
    const issues = discordMessageIssues(body);
    if (issues.length > 0) return invalidFormBody(issues);
  }
  const message = messageObject({ id: state.nextId(), channelId, guildId: found.guild.id, author: state.bot, body: body as Json });
  const list = state.channelMessages.get(channelId) ?? [];
  list.push(message);
  state.channelMessages.set(channelId, list);
  return ok(message);
}

function registerCommands(state: FakeState, app: string, guildId: string | null, body: unknown): ApiReply {
  if (app !== state.applicationId) return error(403, 50001, 'Missing Access');
  if (guildId !== null && !state.guilds.some((g) => g.id === guildId)) return error(403, 50001, 'Missing Access');
  if (state.validate) {
    const issues = checkApplicationCommands(body);
    if (issues.length > 0) return invalidFormBody(issues.map((message) => ({ path: '', code: 'APPLICATION_COMMAND_INVALID', message })));
  }
  const saved = (body as Json[]).map((command) => ({
    id: state.nextId(),
    application_id: app,
    version: state.nextId(),
    type: 1,
    default_member_permissions: null,
    nsfw: false,
    ...command,
    ...(guildId ? { guild_id: guildId } : {}),
  }));
  state.commands.set(guildId ?? 'global', saved);
  return ok(saved);
}

function interactionCallback(state: FakeState, id: string, token: string, body: unknown, query: Record<string, string>): ApiReply {
  const interaction = state.interactions.get(token);
  if (!interaction || interaction.id !== id) return error(404, 10062, 'Unknown interaction');
  if (interaction.acknowledged) return error(400, 40060, 'Interaction has already been acknowledged.');
  if (state.validate) {
    const issues = interactionResponseIssues(body);
    if (issues.length > 0) return invalidFormBody(issues);
  }
  const { type, data } = body as { type: number; data?: Json };
  interaction.acknowledged = true;
  interaction.callbackType = type;
  const payload = interaction.payload;
  const channelId = String(payload.channel_id);
  const guildId = typeof payload.guild_id === 'string' ? payload.guild_id : null;
  if (type === 4 || type === 5) {
    const loading = type === 5 ? { flags: ((data?.flags as number | undefined) ?? 0) | 128 } : {};
    interaction.original = messageObject({ id: state.nextId(), channelId, guildId, author: state.bot, body: { ...data, ...loading }, type: 20, webhookId: state.applicationId });
  } else if (type === 6 || type === 7) {
    const source = (payload.message as Json | undefined) ?? null;
    interaction.original = source && type === 7 ? { ...source, ...pickMessage(data ?? {}) } : source;
  }
  if (query.with_response !== 'true') return { status: 204 };
  return ok({
    interaction: { id, type: payload.type, response_message_id: interaction.original?.id, response_message_loading: type === 5, response_message_ephemeral: (((data?.flags as number) ?? 0) & 64) !== 0 },
    resource: { type, ...(interaction.original ? { message: interaction.original } : {}) },
  });
}

function pickMessage(body: Json): Json {
  const out: Json = {};
  for (const key of ['content', 'embeds', 'components', 'flags'] as const) if (body[key] !== undefined) out[key] = body[key];
  return out;
}

function webhookMessage(state: FakeState, app: string, token: string, messageId: string, method: string, body: unknown): ApiReply {
  const interaction = state.interactions.get(token);
  if (app !== state.applicationId || !interaction) return error(404, 10015, 'Unknown Webhook');
  if (messageId === '@original' && !interaction.original) return error(404, 10008, 'Unknown Message');
  if (method === 'GET') return messageId === '@original' ? ok(interaction.original) : error(404, 10008, 'Unknown Message');
  if (method === 'DELETE') return { status: 204 };
  if (state.validate) {
    const issues = discordMessageIssues(body, { edit: true });
    if (issues.length > 0) return invalidFormBody(issues);
  }
  const base = messageId === '@original' && interaction.original ? interaction.original : { id: messageId, channel_id: interaction.payload.channel_id, author: state.bot };
  const flags = (((base.flags as number | undefined) ?? 0) & ~128) | (((body as Json).flags as number | undefined) ?? 0);
  const edited = { ...base, ...pickMessage(body as Json), flags, edited_timestamp: new Date().toISOString() };
  if (messageId === '@original') interaction.original = edited;
  return ok(edited);
}

function followUp(state: FakeState, app: string, token: string, body: unknown): ApiReply {
  const interaction = state.interactions.get(token);
  if (app !== state.applicationId || !interaction) return error(404, 10015, 'Unknown Webhook');
  if (!interaction.acknowledged) return error(404, 10015, 'Unknown Webhook');
  if (state.validate) {
    const issues = discordMessageIssues(body);
    if (issues.length > 0) return invalidFormBody(issues);
  }
  const payload = interaction.payload;
  return ok(messageObject({ id: state.nextId(), channelId: String(payload.channel_id), guildId: (payload.guild_id as string | undefined) ?? null, author: state.bot, body: body as Json, webhookId: app }));
}

type Handler = (state: FakeState, p: Record<string, string>, method: string, body: unknown, query: Record<string, string>) => ApiReply;

const ROUTES: Array<[method: string, template: string, auth: boolean, handler: Handler]> = [
  ['GET', '/gateway/bot', true, (s) => ok({ url: s.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } })],
  ['GET', '/gateway', false, (s) => ok({ url: s.gatewayUrl() })],
  ['GET', '/users/@me', true, (s) => ok(s.bot)],
  ['GET', '/applications/@me', true, (s) => ok({ id: s.applicationId, name: 'newsbot', description: '', icon: null, flags: 0, bot_public: true, bot_require_code_grant: false, owner: s.bot, team: null, verify_key: s.verifyKey ?? '0'.repeat(64) })],
  ['GET', '/channels/:channel', true, (s, p) => {
    const found = findChannel(s, p.channel ?? '');
    return found ? ok(channelObject(found.guild.id, found.channel)) : error(404, 10003, 'Unknown Channel');
  }],
  ['POST', '/channels/:channel/messages', true, (s, p, _m, body) => postChannelMessage(s, p.channel ?? '', body)],
  ['POST', '/users/@me/channels', true, (s, _p, _m, body) => openDm(s, body)],
  ['PUT', '/applications/:app/commands', true, (s, p, _m, body) => registerCommands(s, p.app ?? '', null, body)],
  ['GET', '/applications/:app/commands', true, (s) => ok(s.commands.get('global') ?? [])],
  ['PUT', '/applications/:app/guilds/:guild/commands', true, (s, p, _m, body) => registerCommands(s, p.app ?? '', p.guild ?? '', body)],
  ['GET', '/applications/:app/guilds/:guild/commands', true, (s, p) => ok(s.commands.get(p.guild ?? '') ?? [])],
  ['POST', '/interactions/:interaction/:token/callback', false, (s, p, _m, body, q) => interactionCallback(s, p.interaction ?? '', p.token ?? '', body, q)],
  ['POST', '/webhooks/:app/:token', false, (s, p, _m, body) => followUp(s, p.app ?? '', p.token ?? '', body)],
  ...(['GET', 'PATCH', 'DELETE'] as const).map(
    (method): [string, string, boolean, Handler] => [method, '/webhooks/:app/:token/messages/:message', false, (s, p, m, body) => webhookMessage(s, p.app ?? '', p.token ?? '', p.message ?? '', m, body)],
  ),
];

/** Finds the route for a request path (already without /api/v10), or null for Discord's 404. */
export function routeRequest(state: FakeState, method: string, path: string): Routed | null {
  const segments = path.split('/').filter(Boolean);
  for (const [m, template, auth, handler] of ROUTES) {
    if (m !== method) continue;
    const parts = template.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    // Edits of the original response get their own route name, as Discord documents them.
    const displayed = params.message === '@original' ? template.replace(':message', '@original') : template;
    return { route: `${method} ${displayed}`, params, auth, handle: (body, query) => handler(state, params, method, body, query) };
  }
  return null;
}
