/**
 * The fake Discord's world (bot user, guilds, channels) and the JSON objects the real API would
 * send for them: READY/GUILD_CREATE data, channel and message objects, interaction payloads.
 * Shapes follow Discord's API v10 docs closely enough for discord.js 14 to build its structures.
 */

/** Fixed ids of the default world, so tests can name them. */
export const FAKE_DISCORD = {
  token: 'fake-bot-token.NEWSBOT.s3cr3t-0123456789abcdef',
  applicationId: '1200000000000000001',
  guildId: '1200000000000000100',
  channelId: '1200000000000000200',
  threadId: '1200000000000000300',
  userId: '1200000000000000900',
} as const;

/** Permission bits newsbot cares about (Discord's values). */
export const PERMISSIONS = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  ManageGuild: 1n << 5n,
  Administrator: 1n << 3n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
} as const;

const P = PERMISSIONS;
/** What the bot may do by default: read, post, embed, post in threads. */
export const DEFAULT_BOT_PERMISSIONS = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory | P.SendMessagesInThreads;
/** What an ordinary member may do by default (no ManageGuild). */
export const DEFAULT_MEMBER_PERMISSIONS = P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.UseApplicationCommands;

export interface FakeChannelSpec {
  id: string;
  name?: string;
  /** 0 text (default), 5 announcement, 11 public thread (needs parentId). */
  type?: number;
  parentId?: string;
}

export interface FakeGuildSpec {
  id: string;
  name?: string;
  channels?: FakeChannelSpec[];
  /** The bot's permissions in every channel of this guild. */
  botPermissions?: bigint;
  preferredLocale?: string;
}

export const DEFAULT_GUILDS: FakeGuildSpec[] = [
  {
    id: FAKE_DISCORD.guildId,
    name: 'Newsbot Test Server',
    channels: [
      { id: FAKE_DISCORD.channelId, name: 'news' },
      { id: FAKE_DISCORD.threadId, name: 'digest-thread', type: 11, parentId: FAKE_DISCORD.channelId },
    ],
  },
];

const DISCORD_EPOCH = 1_420_070_400_000n;

/** Makes unique, time-ordered snowflake ids (17-19 digits, as @discordjs/rest's bucket regex expects). */
export function snowflakes(): () => string {
  let counter = 0n;
  return () => ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n | (counter++ & 0xfffn)).toString();
}

export type Json = Record<string, unknown>;

export function userObject(id: string, username: string, bot = false): Json {
  return { id, username, discriminator: '0', global_name: null, avatar: null, bot, flags: 0, public_flags: 0 };
}

export function channelObject(guildId: string, spec: FakeChannelSpec, position = 0): Json {
  const type = spec.type ?? 0;
  const base: Json = { id: spec.id, type, guild_id: guildId, name: spec.name ?? `channel-${spec.id}`, flags: 0 };
  if (type === 11 || type === 12) {
    return {
      ...base,
      parent_id: spec.parentId ?? null,
      owner_id: FAKE_DISCORD.userId,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
  }
  return { ...base, position, permission_overwrites: [], parent_id: spec.parentId ?? null, topic: null, nsfw: false, last_message_id: null, rate_limit_per_user: 0 };
}

const isThread = (c: FakeChannelSpec) => c.type === 11 || c.type === 12;

/** GUILD_CREATE data: channels, threads, the @everyone and bot roles, and the bot as a member. */
export function guildCreateObject(spec: FakeGuildSpec, bot: Json, botRoleId: string): Json {
  const role = (id: string, name: string, permissions: bigint, position: number): Json => ({
    id, name, permissions: permissions.toString(), position, color: 0, hoist: false, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null,
  });
  const channels = spec.channels ?? [];
  return {
    id: spec.id,
    name: spec.name ?? `guild-${spec.id}`,
    icon: null,
    owner_id: FAKE_DISCORD.userId,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [role(spec.id, '@everyone', 0n, 0), role(botRoleId, 'newsbot', spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS, 1)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    premium_tier: 0,
    preferred_locale: spec.preferredLocale ?? 'en-US',
    nsfw_level: 0,
    unavailable: false,
    joined_at: new Date().toISOString(),
    large: false,
    member_count: 2,
    members: [memberObject(bot, [botRoleId], spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS)],
    channels: channels.filter((c) => !isThread(c)).map((c, i) => channelObject(spec.id, c, i)),
    threads: channels.filter(isThread).map((c) => channelObject(spec.id, c)),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function memberObject(user: Json, roles: string[], permissions: bigint): Json {
  return {
    user, roles, nick: null, avatar: null, joined_at: new Date().toISOString(), premium_since: null,
    deaf: false, mute: false, flags: 0, pending: false, communication_disabled_until: null, permissions: permissions.toString(),
  };
}

/** A message object as Discord returns it for a create or an edit. */
export function messageObject(args: { id: string; channelId: string; guildId: string | null; author: Json; body: Json; type?: number; webhookId?: string }): Json {
  const { body } = args;
  return {
    id: args.id,
    channel_id: args.channelId,
    ...(args.guildId ? { guild_id: args.guildId } : {}),
    author: args.author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds.map((e: Json) => ({ type: 'rich', ...e })) : [],
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    type: args.type ?? 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(args.webhookId ? { webhook_id: args.webhookId, application_id: args.webhookId } : {}),
  };
}

/** A command option as typed by a user: raw API options, or a record whose value types are inferred. */
export type OptionsInput = Json[] | Record<string, string | number | boolean>;

export function optionsFrom(input: OptionsInput | undefined, focused?: string): Json[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, value]) => {
    const type = typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10;
    return { name, type, value, ...(name === focused ? { focused: true } : {}) };
  });
}

/** Where and by whom an interaction happens; every field has a default from the default world. */
export interface InteractionContext {
  guildId?: string | null;
  channelId?: string;
  /** The user's client locale, e.g. 'zh-CN' or 'en-US'. */
  locale?: string;
  guildLocale?: string;
  userId?: string;
  username?: string;
  /** The invoking member's permissions in the channel (default: an ordinary member). */
  memberPermissions?: bigint;
  /** The bot's permissions in the channel. */
  appPermissions?: bigint;
}

/** The fields every interaction payload shares (INTERACTION_CREATE data without `type` and `data`). */
export function interactionBase(id: string, token: string, applicationId: string, ctx: InteractionContext): Json {
  const guildId = ctx.guildId === undefined ? FAKE_DISCORD.guildId : ctx.guildId;
  const channelId = ctx.channelId ?? FAKE_DISCORD.channelId;
  const user = userObject(ctx.userId ?? FAKE_DISCORD.userId, ctx.username ?? 'reader');
  const channel = guildId
    ? { id: channelId, type: 0, guild_id: guildId, name: 'news', flags: 0, permissions: (ctx.appPermissions ?? DEFAULT_BOT_PERMISSIONS).toString() }
    : { id: channelId, type: 1, flags: 0, recipients: [user] };
  return {
    id,
    application_id: applicationId,
    token,
    version: 1,
    channel_id: channelId,
    channel,
    ...(guildId
      ? { guild_id: guildId, guild_locale: ctx.guildLocale ?? 'en-US', member: memberObject(user, [], ctx.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS) }
      : { user }),
    app_permissions: (ctx.appPermissions ?? DEFAULT_BOT_PERMISSIONS).toString(),
    locale: ctx.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
    context: guildId ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}
