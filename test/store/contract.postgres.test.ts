/** The store contract on PostgreSQL: one throwaway server for the file, a fresh database per test. */
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/store.js';
import type { Store } from '../../src/store/index.js';
import { describePostgres } from '../support/postgres-suite.js';
import { storeContract } from './contract.js';

describePostgres('PostgreSQL store', (server) => {
  const urls = new WeakMap<Store, string>();
  storeContract(
    'PostgreSQL',
    async () => {
      const url = await server().createDatabase();
      const store = await PostgresStore.open({ url, poolSize: 4 });
      urls.set(store, url);
      return store;
    },
    async (store, sql) => {
      const client = new pg.Client({ connectionString: urls.get(store) });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
  );
});
