/** `newsbot migrate`: brings the configured store to this newsbot's schema and says which version it is at. */
import { parseArgs } from 'node:util';
import { openStore } from '../../src/store/index.js';
import { redactDatabaseUrl, storedSchemaVersion } from '../../src/store/transfer/index.js';
import { println, type CliCommand } from './io.js';
import { storeLocation } from './store-location.js';

export const command: CliCommand = {
  summary: 'Create or migrate the store (DATABASE_URL or DATABASE_PATH) and print its schema version',
  usage:
    'newsbot migrate\n\n' +
    'Opens the store the bot would (PostgreSQL at DATABASE_URL when set, else the SQLite file at DATABASE_PATH),\n' +
    'applies the migrations it lacks, and prints its dialect and schema version. The bot migrates at start too;\n' +
    'run this first when several instances share one PostgreSQL database, or to check a database by hand.',
  async run(argv, io) {
    parseArgs({ args: argv, options: {}, strict: true });
    const where = storeLocation(io);
    const before = await storedSchemaVersion(where);
    const store = await openStore(where);
    try {
      const version = await store.schemaVersion();
      const shown = where.databaseUrl ? redactDatabaseUrl(where.databaseUrl) : where.databasePath;
      const change = before === null || before === 0 ? 'created' : before === undefined || before === version ? 'up to date' : `migrated from ${before}`;
      println(io.stdout, `${store.dialect} ${shown}: schema version ${version} (${change})`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
