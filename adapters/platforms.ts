/**
 * The platform registry: the one list of chat platforms. `npm start` (main.ts) and the `newsbot`
 * command line loop over it, and every entry point loads its settings through `loadPlatformConfig`.
 * A platform is one folder under adapters/ whose index.ts exports a `PlatformModule`, plus one line here.
 * The modules are light (settings and factories); each loads its platform library only when used.
 */
import { CORE_SECRETS, loadConfig, secretValues, type Config } from '../src/config.js';
import type { PlatformModule, PlatformName } from '../src/platform.js';
import { discord } from './discord/index.js';
import type { DiscordSettings } from './discord/settings.js';
import { telegram } from './telegram/index.js';
import type { TelegramSettings } from './telegram/settings.js';

/** Every platform, in the order they start. */
export const PLATFORMS: readonly PlatformModule<any>[] = [telegram, discord]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The terminal chat: a chat without a platform module (no settings, no delivery), which OWNER_IDS may name too. */
export const SHELL: PlatformName = 'shell';

/** The configuration with every platform's settings on it. */
export type AppConfig = Config & TelegramSettings & DiscordSettings;

/** Reads and validates the core's and every platform's variables; throws one ConfigError (see `loadConfig`). */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // loadConfig puts each platform's settings on the configuration it returns.
  return loadConfig(env, PLATFORMS, { otherChats: [SHELL] }) as AppConfig;
}

/** Every platform's secret variables, the tokens (each platform's first) before the rest, then the core's. */
const SECRET_VARIABLES = [
  ...PLATFORMS.flatMap((p) => p.secrets.map((name, rank) => ({ name, rank })))
    .sort((a, b) => a.rank - b.rank)
    .map((s) => s.name),
  ...CORE_SECRETS,
];

/**
 * Secret values to scrub from logs and error messages: of a loaded configuration, or of raw
 * variables (an environment whose configuration did not load). The one list of what is secret.
 */
export function secretsOf(source: object): string[] {
  return secretValues(source, SECRET_VARIABLES);
}

/** The platform called `name`, or undefined. */
export function platformNamed(name: string): PlatformModule<any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  return PLATFORMS.find((p) => p.name === name);
}
