/** Where the CLI's store commands (migrate, export, import) find the store: the bot's own settings. */
import type { StoreLocation } from '../../src/store/index.js';
import { loadAppSettings } from '../env.js';
import type { CliIo } from './io.js';

/** `DATABASE_URL` (PostgreSQL) when set, else the SQLite file at `DATABASE_PATH`, from the environment over .env. */
export function storeLocation(io: CliIo): StoreLocation {
  const { config, env } = loadAppSettings(io);
  // Read from the variables until the configuration schema names DATABASE_URL itself.
  const named = (config as { DATABASE_URL?: unknown }).DATABASE_URL ?? env.DATABASE_URL;
  const databaseUrl = typeof named === 'string' && named.trim() !== '' ? named.trim() : undefined;
  return { databasePath: config.DATABASE_PATH, databaseUrl };
}
