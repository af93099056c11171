/** Where settings come from: the environment over `.env` (or NEWSBOT_ENV_FILE's file, or none), validated. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig, secretsFor, withDotEnv } from '../../adapters/env.js';
import { ConfigError } from '../../src/errors.js';

/** A fresh working folder with the given files (name → lines). */
function folder(files: Record<string, string[]> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-env-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAppConfig', () => {
  it('GIVEN a .env in the working folder THEN its values apply, the environment wins, and paths resolve against the folder', () => {
    const cwd = folder({ '.env': ['DEFAULT_LANGUAGE=en', 'DEFAULT_MODE=compact', 'ISSUES_DIR=my-issues', '# a comment', 'DATABASE_PATH="db/bot.db"'] });
    const config = loadAppConfig({ env: { DEFAULT_MODE: 'full' }, cwd });
    expect(config).toMatchObject({ DEFAULT_LANGUAGE: 'en', DEFAULT_MODE: 'full', ISSUES_DIR: join(cwd, 'my-issues'), DATABASE_PATH: join(cwd, 'db/bot.db') });
  });

  it('GIVEN no .env THEN the defaults apply', () => {
    const cwd = folder();
    expect(loadAppConfig({ env: {}, cwd })).toMatchObject({ DEFAULT_LANGUAGE: 'zh', ISSUES_DIR: join(cwd, 'issues') });
  });

  it('GIVEN NEWSBOT_ENV_FILE=off THEN the .env is not read, so its bad values do not matter', () => {
    const cwd = folder({ '.env': ['DEFAULT_LANGUAGE=fr', 'TELEGRAM_BOT_TOKEN=123456:from-dotenv'] });
    expect(configError(() => loadAppConfig({ env: {}, cwd })).message).toBe('DEFAULT_LANGUAGE=fr is not valid: expected zh or en');
    for (const off of ['off', 'OFF', 'none']) {
      const config = loadAppConfig({ env: { NEWSBOT_ENV_FILE: off }, cwd });
      expect(config.DEFAULT_LANGUAGE).toBe('zh');
      expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    }
  });

  it('GIVEN NEWSBOT_ENV_FILE naming a file THEN that file is read (relative to the working folder) instead of .env', () => {
    const cwd = folder({ '.env': ['DEFAULT_LANGUAGE=fr'], 'prod.env': ['DEFAULT_TIMEZONE=UTC'] });
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'bot.env'), 'DEFAULT_MODE=compact\n');
    expect(loadAppConfig({ env: { NEWSBOT_ENV_FILE: 'prod.env' }, cwd })).toMatchObject({ DEFAULT_LANGUAGE: 'zh', DEFAULT_TIMEZONE: 'UTC' });
    expect(loadAppConfig({ env: { NEWSBOT_ENV_FILE: join(cwd, 'conf', 'bot.env') }, cwd: tmpdir() }).DEFAULT_MODE).toBe('compact');
  });

  it('GIVEN NEWSBOT_ENV_FILE naming a missing file THEN one line names the variable and the file', () => {
    const cwd = folder();
    const err = configError(() => loadAppConfig({ env: { NEWSBOT_ENV_FILE: 'missing.env' }, cwd }));
    expect(err.message).toBe(`NEWSBOT_ENV_FILE=${join(cwd, 'missing.env')} cannot be read (ENOENT)`);
    expect(err.context.variable).toBe('NEWSBOT_ENV_FILE');
  });

  it('GIVEN a .env that is not a readable file THEN a ConfigError names it', () => {
    const cwd = folder();
    mkdirSync(join(cwd, '.env'));
    expect(configError(() => withDotEnv({ env: {}, cwd })).message).toBe(`${join(cwd, '.env')} cannot be read (EISDIR)`);
  });
});

describe('secretsFor', () => {
  it('GIVEN tokens only in .env THEN they are secrets, even when the configuration does not load', () => {
    const cwd = folder({ '.env': ['TELEGRAM_BOT_TOKEN= 123456:from-dotenv ', 'TELEGRAM_WEBHOOK_SECRET=webhook-secret', 'DEFAULT_TIMEZONE=Mars/Base'] });
    expect(secretsFor({ env: { DISCORD_TOKEN: 'discord-from-env' }, cwd })).toEqual(['123456:from-dotenv', 'discord-from-env', 'webhook-secret']);
    expect(secretsFor({ env: { NEWSBOT_ENV_FILE: 'off', DISCORD_TOKEN: 'discord-from-env' }, cwd })).toEqual(['discord-from-env']);
  });
});
