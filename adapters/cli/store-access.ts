/** Opens the delivery store the bot uses (DATABASE_PATH, with .env), for read-only CLI listings. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { Store } from '../../src/store/index.js';
import type { CliIo } from './io.js';

/** The environment over `<cwd>/.env`, as `npm start` reads it (the environment wins). */
function envWithDotEnv(io: CliIo): NodeJS.ProcessEnv {
  const file = resolve(io.cwd, '.env');
  return existsSync(file) ? { ...parseEnv(readFileSync(file, 'utf8')), ...io.env } : io.env;
}

/** The store, or null when the bot has not created its database yet (`path` says where it looked). */
export function openExistingStore(io: CliIo): { store: Store | null; path: string } {
  const config = loadConfig(envWithDotEnv(io));
  const path = resolve(io.cwd, config.DATABASE_PATH);
  return { store: existsSync(path) ? Store.open(path) : null, path };
}

/** Lays rows out in aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
