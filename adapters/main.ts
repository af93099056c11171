/**
 * `npm start`: loads the configuration, builds the core and runs the chat adapters the configuration
 * asks for. With no platform token it runs the shell chat on stdin/stdout and says (on stderr) how to
 * connect Telegram or Discord. Logs go to stderr, so stdout is only the chat.
 */
import { pathToFileURL } from 'node:url';
import { createCore, deliveryService, runApp, type AdapterFactory, type AppService, type RunningApp } from '../src/app.js';
import { RoleKeeper } from '../src/cluster/roles.js';
import { enabledPlatforms, type Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { createLogger, redactSecrets, reportError, type Logger } from '../src/log.js';
import type { PlatformName } from '../src/platform.js';
import { println, type CliIo } from './cli/io.js';
import { createOps, type Ops } from './http/ops.js';
import { loadAppSettings, secretsFor } from './env.js';
import { PLATFORMS, secretsOf } from './platforms.js';
import { shellChatAdapter } from './shell/chat.js';

const SHELL_HINT =
  `newsbot: no ${PLATFORMS.map((p) => p.switchedOnBy.variable).join(' or ')} set, so this is the local shell chat (type /help; Ctrl-D leaves).\n` +
  `newsbot: ${PLATFORMS.map((p) => `to connect ${p.title} set ${p.switchedOnBy.set}`).join('; ')}. See .env.example.`;

export interface MainOptions {
  /** Run the shell chat even if platform tokens are set (`newsbot shell`). */
  shellOnly?: boolean;
  /** Stop on SIGINT/SIGTERM (the process entry); off when embedded. */
  handleSignals?: boolean;
}

/** Runs the bot until its adapters stop or a signal arrives; returns the exit code. */
export async function runMain(io: CliIo, options: MainOptions = {}): Promise<number> {
  let config: Config;
  let env: NodeJS.ProcessEnv;
  try {
    ({ config, env } = loadAppSettings(io));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    println(io.stderr, `newsbot: ${err.message}`);
    return 1;
  }
  const secrets = secretsOf(config);
  const useShell = options.shellOnly === true || enabledPlatforms(config).length === 0;
  // An interactive shell shares the terminal with stderr: keep the logs quiet unless asked for.
  const quiet = useShell && (io.stderr as { isTTY?: boolean }).isTTY === true && !env.LOG_LEVEL;
  const logger = createLogger({ level: quiet ? 'warn' : config.LOG_LEVEL, secrets });
  try {
    await run(io, config, logger, useShell, options);
    return 0;
  } catch (err) {
    // A failed start is always logged (even under LOG_LEVEL=error, a NewsbotError logs at warn), and always one line.
    reportError(logger.isLevelEnabled('warn') ? logger : createLogger({ level: 'warn', secrets }), err, { method: 'start' });
    println(io.stderr, redactSecrets(`newsbot: ${err instanceof Error ? err.message : String(err)}`, secrets));
    return 1;
  }
}

async function run(io: CliIo, config: Config, logger: Logger, useShell: boolean, options: MainOptions): Promise<void> {
  const factories: AdapterFactory[] = [];
  const enabled = enabledPlatforms(config);
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
  // With a platform: the HTTP server (health, metrics, status page, webhook), listening once the library and store are open.
  let ops: Ops | null = null;
  try {
    if (!useShell) ops = createOps(config, logger, enabled);
    const observed = ops ? { observer: ops.observer } : {};
    // Delivery's commands answer everywhere; its store opens only when a platform can deliver (not in the shell).
    // With a platform, progressive: the newest issue is answered at once while a cold archive loads
    // behind it. The shell chat (often scripted: `printf … | npm start`) answers from the whole archive.
    const delivery = useShell ? ({ open: false } as const) : ({ open: true, platforms: enabled } as const);
    const core = await createCore(config, logger, { delivery, progressive: !useShell, ...observed, ...(ops ? { http: ops.http } : {}) });
    const opened = core.delivery;
    ops?.attach({ library: core.library, store: () => (opened?.opsView.isOpen ? opened.opsView : null) });
    try {
      await ops?.listen();
    } catch (err) {
      await core.close();
      await opened?.close();
      throw err;
    }
    // Roles (long polling, the gateway) go to one instance when the store is shared; else all are this one's.
    const roles = new RoleKeeper({ cluster: opened?.cluster ?? null, logger, pollMs: config.ROLE_POLL_SECONDS * 1000 });
    // Each platform's factory loads its library when the app builds it.
    if (!useShell) for (const platform of PLATFORMS) if (enabled.includes(platform.name)) factories.push(platform.chatAdapter({ roles }));
    // First to close: the roles left are given back once the adapters stopped, before the store closes.
    const roleService: AppService = { start: () => undefined, stop: async () => undefined, close: () => roles.stop() };
    const services = opened ? [deliveryService(opened, roles)] : [];
    app = await runApp(core, factories, [roleService, ...(ops ? [...services, ops.service] : services)]);
    if (signalled) void app.stop(signalled);
    await app.stopped;
  } finally {
    await ops?.close();
    if (options.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  try {
    process.exitCode = await runMain(io, { handleSignals: true });
  } catch (err) {
    // Only a bug before the configuration loaded gets here.
    const secrets = secretsFor(io);
    reportError(createLogger({ level: 'warn', secrets }), err, { method: 'start' });
    println(io.stderr, redactSecrets(`newsbot: ${err instanceof Error ? err.message : String(err)}`, secrets));
    process.exitCode = 1;
  }
}
