/**
 * Environment → typed, validated configuration. Every variable is documented in `.env.example`.
 * A bad value fails at start with one line naming the variable and the form it accepts.
 */
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { LANGUAGES } from './i18n/language.js';
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

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const url = (form: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: form }).optional());
const bool = (name: string) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0'], { message: `${name}: expected true or false` }).optional())
    .transform((v) => v === 'true' || v === '1');
const duration = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.string().default(fallback)).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null) ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 90m, 24h or 2d' });
    return ms ?? 0;
  });
const rate = (fallback: string) =>
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
const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number({ message: `expected a whole number from ${min} to ${max}` }).int({ message: `expected a whole number from ${min} to ${max}` }).min(min, { message: `expected a whole number from ${min} to ${max}` }).max(max, { message: `expected a whole number from ${min} to ${max}` }).default(fallback));

const schema = z.object({
  ISSUES_DIR: z.preprocess(emptyToUndefined, z.string().default('./issues')),
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/newsbot.db')),
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
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: url('expected an http(s) URL such as http://127.0.0.1:8081'),
  TELEGRAM_WEBHOOK_URL: url('expected the public https URL Telegram should post updates to'),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
  ),
  // 0: any free port (tests).
  PORT: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(8080)),
  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, 'expected the numeric application id').optional()),
  DISCORD_GUILD_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, 'expected a numeric server (guild) id').optional()),
  DISCORD_API_BASE: url('expected an http(s) URL such as http://127.0.0.1:3000/api'),
  OWNER_IDS: z.preprocess(emptyToUndefined, z.string().default('')).transform((v, ctx) => {
    const owners: Array<{ platform: PlatformName; userId: string }> = [];
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(telegram|discord|shell):(\S+)$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list such as telegram:12345,discord:67890' });
        continue;
      }
      owners.push({ platform: m[1] as PlatformName, userId: m[2] as string });
    }
    return owners;
  }),
  PUBLISH_ON_ARRIVAL: bool('PUBLISH_ON_ARRIVAL'),
  CATCHUP_MAX_AGE: duration('24h'),
  MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'expected a whole number from 1 to 50' }).int().min(1).max(50).default(5)),
  SEND_TIMEOUT: duration('30s'),
  TELEGRAM_RATE_GLOBAL: rate('30/1s'),
  TELEGRAM_RATE_PER_CHAT: rate('1/1s'),
  TELEGRAM_RATE_PER_GROUP: rate('20/60s'),
  DISCORD_RATE_GLOBAL: rate('50/1s'),
  DISCORD_RATE_PER_CHANNEL: rate('5/5s'),
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
});

/** The validated configuration. */
export type Config = z.output<typeof schema>;

/** Reads and validates configuration; throws one `ConfigError` whose message is one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (result.success) {
    const cfg = result.data;
    if (cfg.DISCORD_TOKEN && !cfg.DISCORD_APP_ID) {
      throw new ConfigError('DISCORD_APP_ID is missing: set it to the application id shown in the Discord developer portal', {
        variable: 'DISCORD_APP_ID',
      });
    }
    return cfg;
  }
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const raw = env[name];
    // Echo the value for readability, but never a token or secret.
    const shown = raw === undefined || /TOKEN|SECRET/.test(name) ? name : `${name}=${raw}`;
    return `${shown} is not valid: ${issue.message}`;
  });
  throw new ConfigError(lines.join('; '), { variable: String(result.error.issues[0]?.path[0] ?? '') });
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

/** The variables whose values are secret. */
const SECRET_VARIABLES = ['TELEGRAM_BOT_TOKEN', 'DISCORD_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'STATUS_TOKEN'] as const;

/**
 * Secret values to scrub from logs and error messages: of a loaded `Config`, or of raw variables
 * (an environment whose configuration did not load). The one list of what is secret.
 */
export function secretsOf(source: Partial<Record<(typeof SECRET_VARIABLES)[number], string | undefined>>): string[] {
  return SECRET_VARIABLES.map((name) => source[name]?.trim()).filter((s): s is string => typeof s === 'string' && s.length > 0);
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
