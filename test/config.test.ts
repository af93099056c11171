import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { issueCachePath, loadConfig, parseDuration, secretsOf } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

function failure(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('GIVEN an empty environment THEN every default applies and no platform is configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      ISSUES_DIR: './issues',
      DATABASE_PATH: './data/newsbot.db',
      DEFAULT_LANGUAGE: 'zh',
      DEFAULT_TIMEZONE: 'Asia/Shanghai',
      DEFAULT_MODE: 'full',
      LOG_LEVEL: 'info',
      PUBLISH_ON_ARRIVAL: false,
      OWNER_IDS: [],
    });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.DISCORD_TOKEN).toBeUndefined();
  });

  it('GIVEN empty strings (as .env.example leaves them) THEN they count as unset', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '  ', ISSUE_WEB_URL: '', DEFAULT_LANGUAGE: '' });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.DEFAULT_LANGUAGE).toBe('zh');
  });

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
    ['TELEGRAM_RATE_GLOBAL', '30 per second', 'count/duration'],
    ['OWNER_IDS', 'alice', 'telegram:12345'],
    ['PUBLISH_ON_ARRIVAL', 'yes', 'true or false'],
    ['DISCORD_APP_ID', 'my-app', 'numeric application id'],
    ['TELEGRAM_API_ROOT', 'not a url', 'http(s) URL'],
  ])('GIVEN %s=%s THEN one line names the variable and the accepted form', (name, value, form) => {
    const err = failure({ [name]: value });
    expect(err.message).toContain(name);
    expect(err.message).toContain(form);
    expect(err.message).not.toContain('\n');
    expect(err.context.variable).toBe(name);
  });

  it('GIVEN a bad non-secret value THEN the value is echoed so the reader sees what was wrong', () => {
    expect(failure({ DEFAULT_TIMEZONE: 'Mars/Base' }).message).toContain('DEFAULT_TIMEZONE=Mars/Base');
  });

  it('GIVEN a malformed webhook secret THEN the message names it without echoing it', () => {
    const secret = 'not valid secret with spaces!!';
    const err = failure({ TELEGRAM_WEBHOOK_SECRET: secret });
    expect(err.message).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(err.message).not.toContain(secret);
  });

  it('GIVEN a Discord token without an application id THEN it asks for DISCORD_APP_ID and never echoes the token', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-token-value';
    const err = failure({ DISCORD_TOKEN: token });
    expect(err.message).toContain('DISCORD_APP_ID');
    expect(err.message).not.toContain(token);
  });

  it('GIVEN several bad values THEN each is named on the same line', () => {
    const err = failure({ DEFAULT_LANGUAGE: 'fr', DEFAULT_MODE: 'x' });
    expect(err.message).toContain('DEFAULT_LANGUAGE');
    expect(err.message).toContain('DEFAULT_MODE');
    expect(err.message).not.toContain('\n');
  });

  it('GIVEN tokens THEN secretsOf lists them for the log scrubber', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCDEF', DISCORD_TOKEN: 'discord-token-xyz', DISCORD_APP_ID: '123456789' });
    expect(secretsOf(config)).toEqual(['123456:ABCDEF', 'discord-token-xyz']);
  });

  it('GIVEN raw variables that do not load as a configuration THEN secretsOf still lists their secrets, trimmed', () => {
    const env = { TELEGRAM_BOT_TOKEN: ' 123456:ABCDEF ', TELEGRAM_WEBHOOK_SECRET: 'hook-secret', DEFAULT_TIMEZONE: 'Mars/Base', DISCORD_TOKEN: '' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(secretsOf(env)).toEqual(['123456:ABCDEF', 'hook-secret']);
  });

  it('GIVEN .env.example copied as it is THEN it loads, with the defaults it documents', () => {
    const example = parseEnv(readFileSync(resolve(import.meta.dirname, '../.env.example'), 'utf8'));
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });

  it.each(['0 8 * * 1-5', 'daily 07:30', 'weekly mon 09:30', 'off'])('GIVEN DEFAULT_SCHEDULE=%s (a form .env.example documents) THEN it is accepted', (schedule) => {
    expect(loadConfig({ DEFAULT_SCHEDULE: schedule }).DEFAULT_SCHEDULE).toBe(schedule);
  });

  it('GIVEN valid non-default values THEN they are typed', () => {
    const config = loadConfig({ DEFAULT_LANGUAGE: 'en', PORT: '3000', CATCHUP_MAX_AGE: '90m', TELEGRAM_RATE_PER_GROUP: '20/60s', OWNER_IDS: 'telegram:1, discord:2' });
    expect(config.DEFAULT_LANGUAGE).toBe('en');
    expect(config.PORT).toBe(3000);
    expect(config.CATCHUP_MAX_AGE).toBe(90 * 60_000);
    expect(config.TELEGRAM_RATE_PER_GROUP).toEqual({ count: 20, perMs: 60_000 });
    expect(config.OWNER_IDS).toEqual([
      { platform: 'telegram', userId: '1' },
      { platform: 'discord', userId: '2' },
    ]);
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
