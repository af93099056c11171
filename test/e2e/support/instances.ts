/**
 * Real newsbot instances as child processes, started exactly like `npm start` in
 * test/adapters/telegram/main.test.ts (node with tsx's loader running adapters/main.ts, one process,
 * so a signal reaches it directly), for end-to-end tests and benches of several instances on one
 * database. No vitest import: bench/failover.ts uses it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../../..');
/** What an instance logs once its chat adapter runs (adapters/main.ts). */
const STARTED = 'adapter started';
/** Keep at most this much of an instance's stderr (a broadcast logs a line per part at debug). */
const LOG_KEEP = 4_000_000;

/** One running bot process. */
export interface BotInstance {
  readonly name: string;
  readonly pid: number;
  /** What it wrote on stderr (its JSON log), the last LOG_KEEP characters. */
  log(): string;
  /** Resolves once it logged "adapter started"; rejects when it exits first. */
  readonly started: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** True once it exited. */
  readonly dead: boolean;
  /** SIGKILL: no shutdown code runs, connections are cut by the kernel. */
  kill(): void;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * The environment every instance gets besides its own settings: nothing of the developer's (no
 * .env file, NEWSBOT_ENV_FILE=off), the ops HTTP server on a free loopback port.
 */
export function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NEWSBOT_ENV_FILE: 'off',
    PORT: '0',
    HTTP_HOST: '127.0.0.1',
  };
}

/** Starts one instance with `env` over `baseEnv()` (LOG_LEVEL info or lower: `started` waits for an info line). */
export function startInstance(name: string, env: Record<string, string>): BotInstance {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: repoRoot,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let dead = false;
  const exited = new Promise<number | null>((done) =>
    child.once('close', (code) => {
      dead = true;
      done(code);
    }),
  );
  const started = new Promise<void>((ready, fail) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.length > LOG_KEEP) log = log.slice(-LOG_KEEP);
      if (log.includes(STARTED)) ready();
    });
    void exited.then((code) => fail(new Error(`instance ${name} exited (${code}) before starting:\n${log.slice(-3000)}`)));
  });
  started.catch(() => undefined);
  return {
    name,
    pid: child.pid ?? -1,
    log: () => log,
    started,
    exited,
    get dead() {
      return dead;
    },
    kill() {
      if (!dead) child.kill('SIGKILL');
    },
    async stop(graceMs = 10_000) {
      if (dead) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Starts `count` instances (named i0, i1…) at once and waits until every one runs. */
export async function startInstances(count: number, envOf: (name: string) => Record<string, string>): Promise<BotInstance[]> {
  const instances = Array.from({ length: count }, (_, i) => startInstance(`i${i}`, envOf(`i${i}`)));
  try {
    await Promise.all(instances.map((i) => i.started));
  } catch (err) {
    await Promise.all(instances.map((i) => i.stop(2_000)));
    throw err;
  }
  return instances;
}
