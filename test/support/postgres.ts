/**
 * A throwaway PostgreSQL server for tests and benches: `initdb` + `pg_ctl` (Debian's postgresql 15)
 * in a temp folder, listening on 127.0.0.1 on a free port, its unix socket in that folder too,
 * `fsync=off` (a test database need not survive a power cut; a server crash, `pg_ctl stop -m immediate`, loses no commit). As root (CI), the server runs as
 * `nobody` (PostgreSQL refuses to run as root) and the folder is chowned to it.
 *
 * One server per test file (`startPostgres` in `beforeAll`), a fresh database per test
 * (`server.createDatabase()`). No vitest import here: the benches use it too (see postgres-suite.ts
 * for the describe wrapper that skips, or fails under CI, when PostgreSQL is missing).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian puts the server binaries (PG_BIN overrides). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why a server cannot be started here, or null when it can. */
export function postgresMissing(): string | null {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(PG_BIN, tool))) return `PostgreSQL not installed: ${join(PG_BIN, tool)} is missing (apt-get install postgresql)`;
  }
  return null;
}

/** A running throwaway server. */
export interface PgServer {
  readonly port: number;
  /** The data folder's parent (also the unix socket folder). */
  readonly dir: string;
  /** A URL for database `name` as the superuser `postgres`, with a password in it (tests check it never leaks). */
  url(name?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server; `immediate` is a crash (no checkpoint, connections cut). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again after `stop` (same port, same data). */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

/** The password every URL carries. Trust auth ignores it, so tests can look for it in error messages. */
export const TEST_PASSWORD = 's3cret-pw-7d1f';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Runs a server binary, as `nobody` when we are root. */
async function tool(name: string, args: string[]): Promise<string> {
  const [file, fullArgs] = argv(name, args);
  try {
    const { stdout } = await run(file, fullArgs, { env: { ...process.env, LC_ALL: 'C' } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${name} failed: ${e.stderr?.trim() || e.message}`);
  }
}

let counter = 0;

/**
 * Servers still running, stopped when this process exits however it ends (a crashed bench or test
 * worker would otherwise leave its postmaster running); only SIGKILL leaves one behind.
 */
const running = new Map<string, () => void>();
process.once('exit', () => {
  for (const stop of running.values()) stop();
});

function argv(name: string, args: string[]): [string, string[]] {
  const bin = join(PG_BIN, name);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'nobody', '--', bin, ...args]] : [bin, args];
}

/** Starts a fresh server (about 1.5 s: initdb dominates). */
export async function startPostgres(): Promise<PgServer> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const nobody = Number((await run('id', ['-u', 'nobody'])).stdout.trim());
    chownSync(dir, nobody, nobody);
  }
  chmodSync(dir, 0o700);
  await tool('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  let port = 0;
  const start = async (): Promise<void> => {
    const options = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
    await tool('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', options, 'start']);
  };
  // The port is free when asked, but another process may take it before the server binds: retry.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (err) {
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  running.set(dir, () => {
    try {
      const [file, args] = argv('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      execFileSync(file, args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const url = (name = 'postgres') => `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/${name}`;
  let up = true;
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!up) return;
    await tool('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    up = false;
  };
  return {
    port,
    dir,
    url,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    async start() {
      if (up) return;
      await start();
      up = true;
    },
    async destroy() {
      await stop('immediate').catch(() => undefined);
      running.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
