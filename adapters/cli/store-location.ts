/** Where the CLI's store commands (migrate, export, import) find the store: the bot's own settings. */
import { storeLocationOf, type StoreLocation } from '../../src/store/index.js';
import { loadAppSettings } from '../env.js';
import type { CliIo } from './io.js';

/** `DATABASE_URL` (PostgreSQL) when set, else the SQLite file at `DATABASE_PATH`, from the environment over .env. */
export function storeLocation(io: CliIo): StoreLocation {
  // A one-off command, not an instance: it stays off the member list.
  return storeLocationOf(loadAppSettings(io).config, false);
}
