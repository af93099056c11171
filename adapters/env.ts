/**
 * Where the settings of every entry point (`npm start`, `newsbot <command>`) come from: the
 * environment over a dotenv file, validated by `loadPlatformConfig` (the core's and every
 * platform's variables). The dotenv file is `<cwd>/.env`, or the file NEWSBOT_ENV_FILE names;
 * NEWSBOT_ENV_FILE=off reads none (tests use it so a developer's `.env` never reaches them).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../src/errors.js';
import type { CliIo } from './cli/io.js';
import { loadPlatformConfig, secretsOf, type AppConfig } from './platforms.js';

/** Names the dotenv file (relative to the working directory), or "off" for none. Read from the environment only. */
export const ENV_FILE_VARIABLE = 'NEWSBOT_ENV_FILE';

type Place = Pick<CliIo, 'env' | 'cwd'>;

/** The settings as loaded: the validated configuration and the variables it was read from. */
export interface AppSettings {
  config: AppConfig;
  /** The environment over the dotenv file: tells a variable that was set from one left at its default. */
  env: NodeJS.ProcessEnv;
}

/** The dotenv file to read: NEWSBOT_ENV_FILE resolved against `cwd`, else `<cwd>/.env`; null when off. */
export function envFilePath(place: Place): string | null {
  const named = place.env[ENV_FILE_VARIABLE]?.trim();
  if (!named) return resolve(place.cwd, '.env');
  return /^(?:off|false|0|none)$/i.test(named) ? null : resolve(place.cwd, named);
}

/**
 * The environment over the dotenv file's variables (the environment wins). A missing `<cwd>/.env`
 * is no error; a file NEWSBOT_ENV_FILE names that cannot be read is a ConfigError.
 */
export function withDotEnv(place: Place): NodeJS.ProcessEnv {
  const file = envFilePath(place);
  if (!file) return place.env;
  const named = Boolean(place.env[ENV_FILE_VARIABLE]?.trim());
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!named && code === 'ENOENT') return place.env;
    const shown = named ? `${ENV_FILE_VARIABLE}=${file}` : file;
    throw new ConfigError(`${shown} cannot be read (${code ?? String(err)})`, { variable: ENV_FILE_VARIABLE, file }, { cause: err });
  }
  return { ...parseEnv(text), ...place.env };
}

/** The configuration and its variables, with ISSUES_DIR and DATABASE_PATH resolved against `cwd`. Throws ConfigError. */
export function loadAppSettings(place: Place): AppSettings {
  const env = withDotEnv(place);
  const loaded = loadPlatformConfig(env);
  const config = { ...loaded, ISSUES_DIR: resolve(place.cwd, loaded.ISSUES_DIR), DATABASE_PATH: resolve(place.cwd, loaded.DATABASE_PATH) };
  return { config, env };
}

/** The validated configuration every entry point uses. Throws ConfigError naming the variable. */
export function loadAppConfig(place: Place): AppConfig {
  return loadAppSettings(place).config;
}

/**
 * Secrets to scrub from a failure whose configuration may not have loaded: the configuration's
 * when it loads, else the raw values of the environment and the dotenv file. Never throws.
 */
export function secretsFor(place: Place): string[] {
  try {
    return secretsOf(loadAppConfig(place));
  } catch {
    try {
      return secretsOf(withDotEnv(place));
    } catch {
      return secretsOf(place.env);
    }
  }
}
