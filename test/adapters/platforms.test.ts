/**
 * The registry's loader: the core's variables and every platform's, in one validation (these cases
 * moved here from test/config.test.ts with the platform variables), the secrets list, and the
 * platform modules' settings, rates and switches.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig, PLATFORMS, secretsOf } from '../../adapters/platforms.js';
import { enabledPlatforms } from '../../src/config.js';
import { rateLimitsFromConfig, RateLimiter, sendsInFlightFor } from '../../src/delivery/rate-limiter.js';
import { ConfigError } from '../../src/errors.js';
import { expectOneLineNaming } from '../support/config-error.js';
import { steppingClock, tg } from '../support/stepping-clock.js';

function failure(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadPlatformConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPlatformConfig', () => {
  it('GIVEN an empty environment THEN every default applies and no platform is configured', () => {
    const config = loadPlatformConfig({});
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
    const config = loadPlatformConfig({ TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '  ', ISSUE_WEB_URL: '', DEFAULT_LANGUAGE: '' });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.DEFAULT_LANGUAGE).toBe('zh');
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

  it('GIVEN tokens THEN secretsOf lists them for the log scrubber', () => {
    const config = loadPlatformConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCDEF', DISCORD_TOKEN: 'discord-token-xyz', DISCORD_APP_ID: '123456789' });
    expect(secretsOf(config)).toEqual(['123456:ABCDEF', 'discord-token-xyz']);
  });

  it('GIVEN raw variables that do not load as a configuration THEN secretsOf still lists their secrets, trimmed', () => {
    const env = { TELEGRAM_BOT_TOKEN: ' 123456:ABCDEF ', TELEGRAM_WEBHOOK_SECRET: 'hook-secret', DEFAULT_TIMEZONE: 'Mars/Base', DISCORD_TOKEN: '' };
    expect(() => loadPlatformConfig(env)).toThrow(ConfigError);
    expect(secretsOf(env)).toEqual(['123456:ABCDEF', 'hook-secret']);
  });

  it('GIVEN .env.example copied as it is THEN it loads, with the defaults it documents', () => {
    const example = parseEnv(readFileSync(resolve(import.meta.dirname, '../../.env.example'), 'utf8'));
    expect(loadPlatformConfig(example)).toEqual(loadPlatformConfig({}));
  });

  it('GIVEN valid non-default values THEN they are typed', () => {
    const config = loadPlatformConfig({ DEFAULT_LANGUAGE: 'en', PORT: '3000', CATCHUP_MAX_AGE: '90m', TELEGRAM_RATE_PER_GROUP: '20/60s', OWNER_IDS: 'telegram:1, discord:2' });
    expect(config.DEFAULT_LANGUAGE).toBe('en');
    expect(config.PORT).toBe(3000);
    expect(config.CATCHUP_MAX_AGE).toBe(90 * 60_000);
    expect(config.TELEGRAM_RATE_PER_GROUP).toEqual({ count: 20, perMs: 60_000 });
    expect(config.OWNER_IDS).toEqual([
      { platform: 'telegram', userId: '1' },
      { platform: 'discord', userId: '2' },
    ]);
  });

  it.each([
    ['TELEGRAM_RATE_GLOBAL', '30 per second', 'count/duration'],
    ['OWNER_IDS', 'alice', 'telegram:12345'],
    ['DISCORD_APP_ID', 'my-app', 'numeric application id'],
    ['TELEGRAM_API_ROOT', 'not a url', 'http(s) URL'],
  ])('GIVEN %s=%s THEN one line names the variable and the accepted form', (name, value, form) => {
    expectOneLineNaming(failure({ [name]: value }), name, form);
  });
});

describe('platform rate limits (moved from test/delivery/rate-limiter.test.ts)', () => {
  it('GIVEN the configured Telegram limits THEN a private chat bursts 3 then 1/s, and a group is also held to 20/min', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter(rateLimitsFromConfig(loadPlatformConfig({})), clock);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire(tg('42'));
      times.push(clock.t);
    }
    expect(times).toEqual([0, 0, 0, 1000, 2000]);
    const group = tg('-100123');
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) {
      await limiter.acquire(group);
      sent.push(clock.t);
    }
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] as number));
    // Early on the chat's 1/s binds; once the 20-per-minute group bucket is spent, one per 3 s.
    expect(gaps.slice(3, 10).every((g) => g === 1000)).toBe(true);
    expect(gaps.slice(-5).every((g) => g === 3000)).toBe(true);
  });

  it('GIVEN the global rates THEN enough chats send at once to fill the fastest one with a 25 ms round trip, never fewer than 32', () => {
    expect(sendsInFlightFor(rateLimitsFromConfig(loadPlatformConfig({})))).toBe(32);
    expect(sendsInFlightFor(rateLimitsFromConfig(loadPlatformConfig({ TELEGRAM_RATE_GLOBAL: '300/100ms' })))).toBe(75);
    expect(sendsInFlightFor({})).toBe(32);
  });
});

describe('PLATFORMS', () => {
  it('GIVEN the registry THEN every platform has its own name, and a token switches exactly that platform on', () => {
    const names = PLATFORMS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const platform of PLATFORMS) {
      const env = { [platform.switchedOnBy.variable]: 'token-value', DISCORD_APP_ID: '123456789' };
      expect(enabledPlatforms(loadPlatformConfig(env))).toEqual([platform.name]);
    }
    expect(enabledPlatforms(loadPlatformConfig({}))).toEqual([]);
  });
});

describe('the registry loads no platform library', () => {
  it('GIVEN the registry and the settings loaded THEN neither telegraf nor discord.js is loaded until a factory runs', () => {
    const root = resolve(import.meta.dirname, '../..');
    const script = [
      "import { createRequire } from 'node:module';",
      "const { loadPlatformConfig } = await import('./adapters/platforms.ts');",
      "loadPlatformConfig({ TELEGRAM_BOT_TOKEN: '1:x', DISCORD_TOKEN: 'y', DISCORD_APP_ID: '123456789' });",
      'const libraries = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules[\\/](telegraf|discord\\.js|@discordjs)[\\/]/.test(k)).length;',
      'const before = libraries();',
      "await import('./adapters/telegram/chat.ts');",
      'console.log(JSON.stringify([before, libraries()]));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const [before, after] = JSON.parse(out) as [number, number];
    expect(before).toBe(0);
    // The check can see a platform library once one is loaded.
    expect(after).toBeGreaterThan(0);
  });
});
