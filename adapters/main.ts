/**
 * `npm start`: loads the configuration, builds the core and runs the chat adapters the configuration
 * asks for. With no platform token it runs the shell chat on stdin/stdout and says (on stderr) how to
 * connect Telegram or Discord. Logs go to stderr, so stdout is only the chat.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { createCore, runApp, type AdapterFactory, type RunningApp } from '../src/app.js';
import { loadConfig, secretsOf, type Config } from '../src/config.js';
import { DeliveryRuntime } from '../src/delivery/runtime.js';
import { ConfigError } from '../src/errors.js';
import { createLogger, redactSecrets, reportError } from '../src/log.js';
import { println, type CliIo } from './cli/io.js';
import { shellChatAdapter } from './shell/chat.js';

/**
 * The chat platforms, each switched on by its token. The Telegram and Discord adapters plug in here:
 * `load` returns their AdapterFactory (imported on demand so an unused platform library is never loaded).
 */
const PLATFORMS: ReadonlyArray<{ name: string; variable: string; enabled(config: Config): boolean; load: (() => Promise<AdapterFactory>) | null }> = [
  { name: 'Telegram', variable: 'TELEGRAM_BOT_TOKEN', enabled: (c) => Boolean(c.TELEGRAM_BOT_TOKEN), load: async () => (await import('./telegram/index.js')).telegramAdapter() },
  { name: 'Discord', variable: 'DISCORD_TOKEN', enabled: (c) => Boolean(c.DISCORD_TOKEN), load: async () => (await import('./discord/index.js')).discordAdapter() },
];

const SHELL_HINT =
  'newsbot: no TELEGRAM_BOT_TOKEN or DISCORD_TOKEN set, so this is the local shell chat (type /help; Ctrl-D leaves).\n' +
  'newsbot: to connect Telegram set TELEGRAM_BOT_TOKEN (from @BotFather); for Discord set DISCORD_TOKEN and DISCORD_APP_ID. See .env.example.';

/** Variables from `<cwd>/.env`, under those already in the environment (the environment wins). */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

/** The configuration `npm start` uses: the environment over `.env`, with paths resolved against `cwd`. Throws ConfigError. */
export function loadAppConfig(io: Pick<CliIo, 'env' | 'cwd'>): Config {
  const loaded = loadConfig(withDotEnv(io.env, io.cwd));
  return { ...loaded, ISSUES_DIR: resolve(io.cwd, loaded.ISSUES_DIR), DATABASE_PATH: resolve(io.cwd, loaded.DATABASE_PATH) };
}

export interface MainOptions {
  /** Run the shell chat even if platform tokens are set (`newsbot shell`). */
  shellOnly?: boolean;
  /** Stop on SIGINT/SIGTERM (the process entry); off when embedded. */
  handleSignals?: boolean;
}

/** Runs the bot until its adapters stop or a signal arrives; returns the exit code. */
export async function runMain(io: CliIo, options: MainOptions = {}): Promise<number> {
  let config: Config;
  try {
    config = loadAppConfig(io);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    println(io.stderr, `newsbot: ${err.message}`);
    return 1;
  }
  const platforms = options.shellOnly ? [] : PLATFORMS.filter((p) => p.enabled(config));
  const useShell = platforms.length === 0;
  // An interactive shell shares the terminal with stderr: keep the logs quiet unless asked for.
  const quiet = useShell && (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.LOG_LEVEL;
  const logger = createLogger({ level: quiet ? 'warn' : config.LOG_LEVEL, secrets: secretsOf(config) });

  const factories: AdapterFactory[] = [];
  for (const platform of platforms) {
    if (!platform.load) {
      println(io.stderr, `newsbot: ${platform.variable} is set, but this build has no ${platform.name} adapter yet`);
      return 1;
    }
    factories.push(await platform.load());
  }
  if (useShell) {
    if (!options.shellOnly) println(io.stderr, SHELL_HINT);
    factories.push(shellChatAdapter({ input: io.stdin, output: io.stdout }));
  }

  // Signals are taken before anything starts, so one arriving during start-up still stops cleanly.
  let app: RunningApp | null = null;
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1); // a second signal: the user insists
    signalled = signal;
    void app?.stop(signal);
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  // Delivery's commands answer everywhere; its store opens only when a platform can deliver (not in the shell).
  const delivery = new DeliveryRuntime(config, logger);
  const core = await createCore(config, logger, { commands: delivery.commands, chats: delivery.chats });
  try {
    if (!useShell) delivery.open(core.library);
  } catch (err) {
    await core.close();
    throw err;
  }
  app = await runApp(core, factories, [delivery]);
  if (signalled) void app.stop(signalled);
  await app.stopped;
  if (options.handleSignals) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  try {
    process.exitCode = await runMain(io, { handleSignals: true });
  } catch (err) {
    const secrets = [process.env.TELEGRAM_BOT_TOKEN, process.env.DISCORD_TOKEN, process.env.TELEGRAM_WEBHOOK_SECRET].filter((s): s is string => Boolean(s));
    reportError(createLogger({ level: 'error', secrets }), err, { method: 'start' });
    println(io.stderr, redactSecrets(`newsbot: ${err instanceof Error ? err.message : String(err)}`, secrets));
    process.exitCode = 1;
  }
}
