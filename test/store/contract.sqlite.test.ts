/** The store contract on SQLite: each test gets a fresh file in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { SqliteStore, type Store } from '../../src/store/index.js';
import { storeContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'newsbot-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = new WeakMap<Store, string>();
let n = 0;

storeContract(
  'SQLite',
  async () => {
    const path = join(dir, `db${++n}.sqlite`);
    const store = SqliteStore.open(path);
    paths.set(store, path);
    return store;
  },
  async (store, sql) => {
    const raw = new Database(paths.get(store) as string);
    try {
      raw.exec(sql);
    } finally {
      raw.close();
    }
  },
);
