/**
 * Environment → typed, validated configuration. Every variable is documented in `.env.example`.
 * A bad value fails at start with one line naming the variable and the form it accepts.
 */
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { LANGUAGES } from './i18n/language.js';
import type { PlatformRates } from './delivery/rate-limiter.js';
import type { PlatformName } from './platform.js';
import { parseSchedule } from './schedule/expression.js';

/** A rate as "count/duration", e.g. "30/1s" or "20/60s". */
export interface Rate {
  count: number;
  perMs: number;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500ms", "30s", "90m", "24h", "2d"; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Field helpers for the platforms' schemas, so every variable reads and fails the same way. */
export const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
export const url = (form: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: form }).optional());
export const bool = (name: string) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0'], { message: `${name}: expected true or false` }).optional())
    .transform((v) => v === 'true' || v === '1');
export const duration = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.string().default(fallback)).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null) ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 90m, 24h or 2d' });
    return ms ?? 0;
  });
export const rate = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.string().default(fallback)).transform((v, ctx): Rate => {
    const m = /^(\d+)\/(.+)$/.exec(v.trim());
    const perMs = m ? parseDuration(m[2] as string) : null;
    if (!m || perMs === null || perMs <= 0 || Number(m[1]) <= 0) {
      ctx.addIssue({ code: 'custom', message: 'expected count/duration such as 30/1s or 20/60s' });
      return { count: 1, perMs: 1000 };
    }
    return { count: Number(m[1]), perMs };
  });

/** A whole number from `min` to `max`. */
export const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number({ message: `expected a whole number from ${min} to ${max}` }).int({ message: `expected a whole number from ${min} to ${max}` }).min(min, { message: `expected a whole number from ${min} to ${max}` }).max(max, { message: `expected a whole number from ${min} to ${max}` }).default(fallback));

/** The core's variables; `chats` are the platform names OWNER_IDS may use. */
const coreSchema = (chats: readonly PlatformName[]) =>
  z.object({
    ISSUES_DIR: z.preprocess(emptyToUndefined, z.string().default('./issues')),
    DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/newsbot.db')),
    // PostgreSQL (DATABASE_URL): pooled connections per instance; each role it leads takes one more.
    DATABASE_POOL_SIZE: whole(10, 1, 200),
    ISSUE_CACHE_PATH: optionalString,
    DEFAULT_LANGUAGE: z.preprocess(emptyToUndefined, z.enum(LANGUAGES, { message: 'expected zh or en' }).default('zh')),
    DEFAULT_TIMEZONE: z
      .preprocess(emptyToUndefined, z.string().default('Asia/Shanghai'))
      .refine(isValidTimeZone, 'expected an IANA time zone such as Asia/Shanghai, Europe/Berlin or UTC'),
    DEFAULT_SCHEDULE: z
      .preprocess(emptyToUndefined, z.string().default('0 8 * * *'))
      .refine((v) => parseSchedule(v).ok, 'expected a cron expression such as "0 8 * * *" (minute hour day month weekday), "daily HH:MM", "weekly <day> HH:MM" or "off"'),
    DEFAULT_MODE: z.preprocess(emptyToUndefined, z.enum(['full', 'compact'], { message: 'expected full or compact' }).default('full')),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { message: 'expected trace, debug, info, warn, error, fatal or silent' }).default('info'),
    ),
    ISSUE_WEB_URL: z.preprocess(
      emptyToUndefined,
      z.string().refine((v) => /^https?:\/\/\S+$/.test(v) && v.includes('{id}'), 'expected an http(s) URL containing {id}, e.g. https://example.org/issues/{id}').optional(),
    ),
    // 0: any free port (tests).
    PORT: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(8080)),
    OWNER_IDS: ownerIds(chats),
    PUBLISH_ON_ARRIVAL: bool('PUBLISH_ON_ARRIVAL'),
    CATCHUP_MAX_AGE: duration('24h'),
    MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'expected a whole number from 1 to 50' }).int().min(1).max(50).default(5)),
    SEND_TIMEOUT: duration('30s'),
    REPLY_DEADLINE: duration('60s'),
    PARSE_TIMEOUT: duration('3s'),
    PARSE_MAX_HEAP_MB: whole(256, 32, 8192),
    PARSE_WORKERS: whole(0, 0, 256),
    ISSUE_MAX_BYTES: z.preprocess(emptyToUndefined, z.string().default('512KB')).transform((v, ctx) => {
      const m = /^(\d+)\s*(B|KB|MB)?$/i.exec(v.trim());
      const bytes = m ? Number(m[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase()] as number) : 0;
      if (bytes < 1024) ctx.addIssue({ code: 'custom', message: 'expected a size of at least 1KB such as 512KB or 2MB' });
      return bytes;
    }),
    ISSUE_MAX_ITEMS: whole(300, 1, 100_000),
    ISSUE_MAX_TITLE: whole(500, 20, 100_000),
    ISSUE_MAX_HEADER: whole(4_000, 100, 1_000_000),
    // Operating it (issue 15): the HTTP server's interface, the status page's token, owner alerts.
    HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    STATUS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, { message: 'expected at least 16 characters' }).optional()),
    ALERTS: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], { message: 'expected on or off' }).default('on')),
    // Several instances (issue 14): PostgreSQL instead of the SQLite file, and how long a chat's lease lasts.
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z.string().trim().refine((v) => /^postgres(?:ql)?:\/\/\S+$/.test(v), 'expected a PostgreSQL URL such as postgres://user:password@host:5432/newsbot').optional(),
    ),
    LEASE_SECONDS: whole(60, 5, 3600),
    // Several instances (issue 14): how often a standby instance tries to take a role (scheduler, polling, gateway).
    ROLE_POLL_SECONDS: whole(5, 1, 3600),
  });

/** OWNER_IDS: "platform:userId" pairs, each platform one of `chats`. */
function ownerIds(chats: readonly PlatformName[]) {
  const example = chats.length > 0 ? chats.slice(0, 2).map((name, i) => `${name}:${i === 0 ? '12345' : '67890'}`).join(',') : 'platform:12345';
  return z.preprocess(emptyToUndefined, z.string().default('')).transform((v, ctx) => {
    const owners: Array<{ platform: PlatformName; userId: string }> = [];
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([a-z][a-z0-9-]*):(\S+)$/.exec(part);
      if (!m || !chats.includes(m[1] as string)) {
        ctx.addIssue({ code: 'custom', message: `expected a comma-separated list such as ${example}` });
        continue;
      }
      owners.push({ platform: m[1] as string, userId: m[2] as string });
    }
    return owners;
  });
}

/**
 * What a platform adds to the configuration: its variables (a zod object over the environment),
 * which of them are secret, whether it is switched on, and its rate limits. The platform modules in
 * adapters/ implement it; `loadConfig` composes them with the core's variables.
 */
export interface PlatformConfigSpec<S extends object = object> {
  readonly name: PlatformName;
  readonly schema: z.ZodType<S, unknown>;
  /** Variables whose values never appear in logs, errors or pages. */
  readonly secrets: readonly string[];
  enabled(settings: S): boolean;
  rates(settings: S): PlatformRates;
  /** A rule across variables (a token without its application id); a ConfigError naming the variable, or null. */
  check?(settings: S): ConfigError | null;
}

/** What the core knows of one configured platform: no variable names, only what it acts on. */
export interface ConfiguredPlatform {
  readonly name: PlatformName;
  /** Switched on (its token is set): it runs and is expected to deliver. */
  readonly enabled: boolean;
  readonly rates: PlatformRates;
}

/**
 * The validated configuration: the core's variables and, in `platforms`, what the core needs of each
 * platform. Each platform's own variables sit on the same object; the platform reads them through
 * its own settings type (see `platformSettings`).
 */
export type Config = z.output<ReturnType<typeof coreSchema>> & { readonly platforms: readonly ConfiguredPlatform[] };

export interface LoadOptions {
  /** Chats without a platform module (the terminal chat) that OWNER_IDS may name. */
  otherChats?: readonly PlatformName[];
}

// A spec list holds platforms of different settings types; each is only ever given its own settings.
type AnySpec = PlatformConfigSpec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Reads and validates configuration: the core's variables and those of each platform given.
 * Throws one `ConfigError` whose message is one line per bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, platforms: readonly AnySpec[] = [], options: LoadOptions = {}): Config {
  const chats = [...platforms.map((p) => p.name), ...(options.otherChats ?? [])];
  const secretNames = new Set<string>([...platforms.flatMap((p) => p.secrets), ...CORE_SECRETS]);
  const core = coreSchema(chats).safeParse(env);
  const parts = platforms.map((spec) => ({ spec, result: spec.schema.safeParse(env) }));
  const issues = [...(core.success ? [] : core.error.issues), ...parts.flatMap(({ result }) => (result.success ? [] : result.error.issues))];
  if (core.success && issues.length === 0) {
    const configured: ConfiguredPlatform[] = [];
    let settings: Record<string, unknown> = {};
    for (const { spec, result } of parts) {
      const own = result.data as object;
      const problem = spec.check?.(own);
      if (problem) throw problem;
      settings = { ...settings, ...own };
      configured.push({ name: spec.name, enabled: spec.enabled(own), rates: spec.rates(own) });
    }
    return { ...settings, ...core.data, platforms: configured };
  }
  const lines = issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const raw = env[name];
    // Echo the value for readability, but never a token or secret.
    const shown = raw === undefined || secretNames.has(name) || /TOKEN|SECRET/.test(name) ? name : `${name}=${raw}`;
    return `${shown} is not valid: ${issue.message}`;
  });
  throw new ConfigError(lines.join('; '), { variable: String(issues[0]?.path[0] ?? '') });
}

/** The platforms switched on in `config`, in the order they were given. */
export function enabledPlatforms(config: Pick<Config, 'platforms'>): PlatformName[] {
  return config.platforms.filter((p) => p.enabled).map((p) => p.name);
}

/**
 * The parse cache file: ISSUE_CACHE_PATH, else `issue-cache.db` beside DATABASE_PATH; null when
 * ISSUE_CACHE_PATH is "off" (or DATABASE_PATH is ":memory:" and no path is set).
 */
export function issueCachePath(config: Pick<Config, 'ISSUE_CACHE_PATH' | 'DATABASE_PATH'>): string | null {
  const set = config.ISSUE_CACHE_PATH;
  if (set !== undefined) return /^(?:off|false|0|none)$/i.test(set) ? null : set;
  if (config.DATABASE_PATH === ':memory:') return null;
  return join(dirname(config.DATABASE_PATH), 'issue-cache.db');
}

/** The core's secret variables (each platform module lists its own). */
// DATABASE_URL may carry the database password.
export const CORE_SECRETS = ['STATUS_TOKEN', 'DATABASE_URL'] as const;

/**
 * The trimmed, non-empty values of the `variables` named in `source`: a loaded configuration or raw
 * variables (an environment whose configuration did not load). The scrubber's input.
 */
export function secretValues(source: object, variables: readonly string[]): string[] {
  const values = source as Readonly<Record<string, unknown>>;
  return variables.map((name) => values[name]).flatMap((v) => (typeof v === 'string' && v.trim().length > 0 ? [v.trim()] : []));
}

/** The parse budgets and issue limits of a `Config`, as the library's pool takes them. */
export function parseSettings(config: Config): { workers: number; timeoutMs: number; maxHeapMb: number; limits: { maxBytes: number; maxItems: number; maxTitle: number; maxHeader: number } } {
  return {
    workers: config.PARSE_WORKERS,
    timeoutMs: config.PARSE_TIMEOUT,
    maxHeapMb: config.PARSE_MAX_HEAP_MB,
    limits: { maxBytes: config.ISSUE_MAX_BYTES, maxItems: config.ISSUE_MAX_ITEMS, maxTitle: config.ISSUE_MAX_TITLE, maxHeader: config.ISSUE_MAX_HEADER },
  };
}

/**
 * A platform's own settings in `config`, as its schema produced them. Throws a ConfigError when the
 * configuration was loaded without that platform (use the registry's loader in adapters/).
 */
export function platformSettings<S extends object>(config: Config, spec: Pick<PlatformConfigSpec<S>, 'name'>): S {
  if (!config.platforms.some((p) => p.name === spec.name)) {
    throw new ConfigError(`the configuration was loaded without the ${spec.name} platform's settings`, { variable: '' });
  }
  // loadConfig spread exactly what this platform's schema returned onto the configuration.
  return config as unknown as S;
}
