import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enabledPlatforms, issueCachePath, loadConfig, parseDuration, platformSettings, type PlatformConfigSpec } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { expectOneLineNaming } from './support/config-error.js';

function failure(env: NodeJS.ProcessEnv, platforms: readonly PlatformConfigSpec<any>[] = []): ConfigError { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    loadConfig(env, platforms);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it.each([
    ['DEFAULT_TIMEZONE', 'Mars/Base', 'IANA time zone'],
    ['DEFAULT_LANGUAGE', 'fr', 'zh or en'],
    ['DEFAULT_MODE', 'verbose', 'full or compact'],
    ['DEFAULT_SCHEDULE', 'every morning', 'cron expression'],
    ['LOG_LEVEL', 'loud', 'trace, debug, info'],
    ['ISSUE_WEB_URL', 'https://example.org/issues', '{id}'],
    ['PORT', '70000', 'port number'],
    ['PORT', 'http', 'port number'],
    ['MAX_ATTEMPTS', '0', 'whole number from 1 to 50'],
    ['CATCHUP_MAX_AGE', 'a day', 'duration such as 30s'],
    ['PUBLISH_ON_ARRIVAL', 'yes', 'true or false'],
  ])('GIVEN %s=%s THEN one line names the variable and the accepted form', (name, value, form) => {
    expectOneLineNaming(failure({ [name]: value }), name, form);
  });

  it('GIVEN a bad non-secret value THEN the value is echoed so the reader sees what was wrong', () => {
    expect(failure({ DEFAULT_TIMEZONE: 'Mars/Base' }).message).toContain('DEFAULT_TIMEZONE=Mars/Base');
  });

  it('GIVEN several bad values THEN each is named on the same line', () => {
    const err = failure({ DEFAULT_LANGUAGE: 'fr', DEFAULT_MODE: 'x' });
    expect(err.message).toContain('DEFAULT_LANGUAGE');
    expect(err.message).toContain('DEFAULT_MODE');
    expect(err.message).not.toContain('\n');
  });

  it.each(['0 8 * * 1-5', 'daily 07:30', 'weekly mon 09:30', 'off'])('GIVEN DEFAULT_SCHEDULE=%s (a form .env.example documents) THEN it is accepted', (schedule) => {
    expect(loadConfig({ DEFAULT_SCHEDULE: schedule }).DEFAULT_SCHEDULE).toBe(schedule);
  });
});

/** A platform invented for these tests: the core composes whatever settings it is given. */
const pigeon: PlatformConfigSpec<{ PIGEON_KEY?: string | undefined; PIGEON_LOFT?: string | undefined }> = {
  name: 'pigeon',
  schema: z.object({ PIGEON_KEY: z.string().optional(), PIGEON_LOFT: z.string().regex(/^\d+$/, 'expected a loft number').optional() }),
  secrets: ['PIGEON_KEY'],
  enabled: (s) => Boolean(s.PIGEON_KEY),
  rates: () => ({ global: { count: 2, perMs: 1000 } }),
  check: (s) => (s.PIGEON_KEY === 'bad' ? new ConfigError('PIGEON_KEY is revoked', { variable: 'PIGEON_KEY' }) : null),
};

describe('loadConfig with the platforms given to it', () => {
  it('GIVEN a platform THEN its settings sit on the configuration and the core knows only its name, switch and rates', () => {
    const config = loadConfig({ PIGEON_KEY: 'k', PIGEON_LOFT: '7' }, [pigeon]);
    expect(config.platforms).toEqual([{ name: 'pigeon', enabled: true, rates: { global: { count: 2, perMs: 1000 } } }]);
    expect(enabledPlatforms(config)).toEqual(['pigeon']);
    expect(platformSettings(config, pigeon)).toMatchObject({ PIGEON_KEY: 'k', PIGEON_LOFT: '7' });
    expect(enabledPlatforms(loadConfig({}, [pigeon]))).toEqual([]);
  });

  it('GIVEN a bad platform value and a bad core value THEN one line names both, and a secret is never echoed', () => {
    const err = failure({ PIGEON_LOFT: 'roof', DEFAULT_MODE: 'x', PIGEON_KEY: 'k' }, [pigeon]);
    expect(err.message).toContain('PIGEON_LOFT=roof is not valid: expected a loft number');
    expect(err.message).toContain('DEFAULT_MODE');
    expect(err.message).not.toContain('\n');
    expect(failure({ PIGEON_KEY: 'bad' }, [pigeon]).message).toBe('PIGEON_KEY is revoked');
  });

  it('GIVEN OWNER_IDS THEN each names a platform given (or another chat named in the options)', () => {
    expect(loadConfig({ OWNER_IDS: 'pigeon:1, shell:me' }, [pigeon], { otherChats: ['shell'] }).OWNER_IDS).toEqual([
      { platform: 'pigeon', userId: '1' },
      { platform: 'shell', userId: 'me' },
    ]);
    expect(failure({ OWNER_IDS: 'raven:1' }, [pigeon]).message).toContain('such as pigeon:12345');
  });

  it('GIVEN a configuration loaded without a platform THEN asking for its settings is a ConfigError', () => {
    expect(() => platformSettings(loadConfig({}), pigeon)).toThrow(ConfigError);
  });
});

describe('parseDuration', () => {
  it('GIVEN each unit THEN it converts to milliseconds, and rejects anything else', () => {
    expect([parseDuration('500ms'), parseDuration('30s'), parseDuration('2d')]).toEqual([500, 30_000, 172_800_000]);
    expect(parseDuration('30')).toBeNull();
    expect(parseDuration('-1s')).toBeNull();
  });
});

describe('issueCachePath', () => {
  it('GIVEN no ISSUE_CACHE_PATH THEN the cache sits beside DATABASE_PATH; "off" disables it; a path is taken as given', () => {
    expect(issueCachePath(loadConfig({}))).toBe(join('data', 'issue-cache.db'));
    expect(issueCachePath(loadConfig({ DATABASE_PATH: '/var/lib/newsbot/bot.db' }))).toBe('/var/lib/newsbot/issue-cache.db');
    expect(issueCachePath(loadConfig({ ISSUE_CACHE_PATH: 'off' }))).toBeNull();
    expect(issueCachePath(loadConfig({ DATABASE_PATH: ':memory:' }))).toBeNull();
    expect(issueCachePath(loadConfig({ ISSUE_CACHE_PATH: '/tmp/cache.db', DATABASE_PATH: ':memory:' }))).toBe('/tmp/cache.db');
    expect(issueCachePath(loadConfig({ ISSUE_CACHE_PATH: '' }))).toBe(join('data', 'issue-cache.db'));
  });
});

describe('several instances (issue 14)', () => {
  it('GIVEN DATABASE_URL and LEASE_SECONDS THEN a PostgreSQL URL is taken, anything else is refused without echoing it (it may hold a password), and the lease is in seconds', () => {
    const url = 'postgresql://newsbot:s3cret-pw@db.internal:5432/newsbot';
    expect(loadConfig({ DATABASE_URL: url, LEASE_SECONDS: '90' })).toMatchObject({ DATABASE_URL: url, LEASE_SECONDS: 90 });
    const defaults = loadConfig({});
    expect([defaults.DATABASE_URL, defaults.LEASE_SECONDS]).toEqual([undefined, 60]);
    const err = failure({ DATABASE_URL: 'mysql://newsbot:s3cret-pw@db.internal/newsbot' });
    expect(err.message).toContain('DATABASE_URL is not valid');
    expect(err.message).not.toContain('s3cret-pw');
    expect(failure({ LEASE_SECONDS: '2' }).message).toContain('LEASE_SECONDS=2 is not valid');
  });
});
