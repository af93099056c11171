import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { SqliteStore, openStore } from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { writeHistory } from '../../store/transfer/history.js';
import { describePostgres } from '../../support/postgres-suite.js';
import { TEST_PASSWORD } from '../../support/postgres.js';
import { memoryIo } from './memory-io.js';

describe('newsbot migrate', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp?.cleanup());

  it('GIVEN no database at DATABASE_PATH THEN it is created at the latest schema, and a second run finds it up to date', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'data', 'newsbot.db');
    const first = memoryIo({ DATABASE_PATH: path });
    expect(await runCli(['migrate'], first)).toBe(0);
    expect(first.out()).toBe(`sqlite ${path}: schema version ${MIGRATIONS.length} (created)\n`);
    expect(existsSync(path)).toBe(true);
    const again = memoryIo({ DATABASE_PATH: path });
    expect(await runCli(['migrate'], again)).toBe(0);
    expect(again.out()).toBe(`sqlite ${path}: schema version ${MIGRATIONS.length} (up to date)\n`);
  });

  it('GIVEN a database an older newsbot left at schema 3 THEN the missing steps are applied and the old version is named', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'old.db');
    const raw = new Database(path);
    for (const [i, step] of MIGRATIONS.slice(0, 3).entries()) {
      raw.exec(step);
      raw.pragma(`user_version = ${i + 1}`);
    }
    raw.close();
    const io = memoryIo({ DATABASE_PATH: path });
    expect(await runCli(['migrate'], io)).toBe(0);
    expect(io.out()).toBe(`sqlite ${path}: schema version 6 (migrated from 3)\n`);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(6);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'chat_leases'").get()).toEqual({ name: 'chat_leases' });
    after.close();
  });

  it('GIVEN a database from a newer newsbot THEN migrate fails in one line and leaves it alone', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'new.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    const io = memoryIo({ DATABASE_PATH: path });
    expect(await runCli(['migrate'], io)).toBe(1);
    expect(io.err()).toMatch(/^newsbot migrate: store: database schema version 7 is newer than this newsbot knows \(6\)\n$/);
  });
});

describePostgres('newsbot migrate, export and import on PostgreSQL', (server) => {
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp?.cleanup());

  it('GIVEN DATABASE_URL to an empty database THEN migrate creates the schema, and says so without the password', async () => {
    const url = await server().createDatabase();
    const shown = url.replace(`:${TEST_PASSWORD}@`, '@');
    const first = memoryIo({ DATABASE_URL: url });
    expect(await runCli(['migrate'], first)).toBe(0);
    expect(first.out()).toBe(`postgres ${shown}: schema version ${MIGRATIONS.length} (created)\n`);
    const again = memoryIo({ DATABASE_URL: url });
    expect(await runCli(['migrate'], again)).toBe(0);
    expect(again.out()).toBe(`postgres ${shown}: schema version ${MIGRATIONS.length} (up to date)\n`);
  });

  it('GIVEN a DATABASE_URL nothing listens on THEN migrate fails in one line that holds no password', async () => {
    const io = memoryIo({ DATABASE_URL: `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:1/none` });
    expect(await runCli(['migrate'], io)).toBe(1);
    expect(io.err()).toMatch(/^newsbot migrate: .*ECONNREFUSED.*\n$/);
    expect(io.out() + io.err()).not.toContain(TEST_PASSWORD);
  });

  it('GIVEN a SQLite store WHEN exported and imported with DATABASE_URL set THEN the PostgreSQL store holds its subscriptions', async () => {
    tmp = tempDir();
    const source = join(tmp.dir, 'source.db');
    const store = SqliteStore.open(source);
    await writeHistory(store);
    await store.close();
    const file = join(tmp.dir, 'history.jsonl');
    expect(await runCli(['export', '--out', file], memoryIo({ DATABASE_PATH: source }))).toBe(0);
    const url = await server().createDatabase();
    const into = memoryIo({ DATABASE_URL: url });
    expect(await runCli(['import', file], into)).toBe(0);
    expect(into.out()).toContain(`imported 19 row(s) into postgres ${url.replace(`:${TEST_PASSWORD}@`, '@')}: 3 subscriptions`);
    const pgStore = await openStore({ databasePath: '', databaseUrl: url, databasePoolSize: 1 });
    try {
      expect((await pgStore.subscriptions.list()).map((s) => `${s.platform}:${s.chatId}:${s.paused}`)).toEqual(['discord:555:true', 'telegram:-1001:false', 'telegram:-1002:false']);
    } finally {
      await pgStore.close();
    }
    const out = memoryIo({ DATABASE_URL: url });
    expect(await runCli(['export'], out)).toBe(0);
    expect(out.err()).toMatch(/^exported 19 row\(s\) from postgres /);
    expect(out.out() + out.err()).not.toContain(TEST_PASSWORD);
  });
});
