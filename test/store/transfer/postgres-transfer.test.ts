/** Export and import with PostgreSQL on one side: a real throwaway server (test/support/postgres.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStore, openStore, type Store } from '../../../src/store/index.js';
import { TABLES } from '../../../src/store/transfer/index.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { describePostgres } from '../../support/postgres-suite.js';
import { TEST_PASSWORD } from '../../support/postgres.js';
import { exportToFile, importFromFile } from './files.js';
import { DAILY, T0, sqliteTables, writeHistory } from './history.js';

/** Every exported table of a PostgreSQL database, read with a client of its own, in SQLite's form. */
async function pgTables(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) {
      const { rows } = await client.query(`SELECT ${t.columns.map((c) => c.name).join(', ')} FROM ${t.name} ORDER BY ${t.key.join(', ')}`);
      // BIGINT comes back as a string: compare as numbers, as SQLite holds them.
      out[t.name] = rows.map((r: Record<string, unknown>) =>
        Object.fromEntries(t.columns.map((c) => [c.name, c.kind === 'int' && r[c.name] !== null ? Number(r[c.name]) : r[c.name]])),
      );
    }
    return out;
  } finally {
    await client.end();
  }
}

async function pgCount(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The rows of an export file, without its header (which names the dialect and the moment). */
const rowsOf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);

describePostgres('export and import with PostgreSQL', (server) => {
  let tmp: ReturnType<typeof tempDir>;
  const opened: Store[] = [];
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    tmp.cleanup();
  });

  async function sqliteWithHistory(): Promise<string> {
    const path = join(tmp.dir, 'source.db');
    const store = SqliteStore.open(path);
    await writeHistory(store);
    await store.close();
    return path;
  }

  it('GIVEN a SQLite history WHEN moved to PostgreSQL and back to a fresh SQLite file THEN every table is equal at each step', async () => {
    const source = await sqliteWithHistory();
    const url = await server().createDatabase();
    const there = join(tmp.dir, 'to-pg.jsonl');
    const back = join(tmp.dir, 'from-pg.jsonl');
    const counts = await exportToFile({ databasePath: source }, there);
    expect((await importFromFile({ databasePath: '', databaseUrl: url }, there)).counts).toEqual(counts);
    expect(await pgTables(url)).toEqual(sqliteTables(source));
    expect(await pgCount(url, 'chat_leases')).toBe(0);

    expect(await exportToFile({ databasePath: '', databaseUrl: url }, back)).toEqual(counts);
    expect(JSON.parse(readFileSync(back, 'utf8').split('\n')[0]!)).toMatchObject({ format: 'newsbot-export', schema: 6, dialect: 'postgres' });
    expect(rowsOf(back)).toEqual(rowsOf(there));
    const target = join(tmp.dir, 'target.db');
    await importFromFile({ databasePath: target }, back);
    expect(sqliteTables(target)).toEqual(sqliteTables(source));
  });

  it('GIVEN a history imported into PostgreSQL THEN its store resolves payloads, the next run is taken once, and new rows get fresh ids', async () => {
    const source = await sqliteWithHistory();
    const before = SqliteStore.open(source);
    opened.push(before);
    const parts = await before.parts.forChat('telegram', '-1001');
    const url = await server().createDatabase();
    const file = join(tmp.dir, 'export.jsonl');
    await exportToFile({ databasePath: source }, file);
    await importFromFile({ databasePath: '', databaseUrl: url }, file);

    const store = await openStore({ databasePath: '', databaseUrl: url, databasePoolSize: 2 });
    opened.push(store);
    expect(await store.parts.forChat('telegram', '-1001')).toEqual(parts);
    expect((await store.parts.head('telegram', '-1001'))?.payload).toEqual({ text: '第一部分 <b>one</b>' });
    const [daily] = await store.subscriptions.onSchedule(DAILY.schedule, DAILY.timezone);
    expect(daily).toMatchObject({ id: 1, chatId: '-1001', lastSlotAt: T0 + 1000 });
    expect(await store.subscriptions.markSlot(1, T0 + 1000 + 86_400_000)).toBe(true);
    expect(await store.subscriptions.markSlot(1, T0 + 1000 + 86_400_000)).toBe(false);
    // The identity sequences were moved past the imported ids.
    expect((await store.subscriptions.insert('telegram', '-1003', DAILY, 'telegram:1', T0)).id).toBe(4);
    expect(await store.parts.savePayloads([{ text: 'new' }])).toEqual([5]);
    expect(await store.readers.addFollow({ platform: 'telegram', chatId: '-1003', threadId: null, query: 'go', language: 'zh', createdBy: 'telegram:1' }, T0)).toBe(true);
    expect((await store.readers.follows('telegram', '-1003'))[0]?.id).toBe(3);
  });

  it('GIVEN a history written through the PostgreSQL store WHEN moved to SQLite THEN a second export from SQLite holds the same rows', async () => {
    const url = await server().createDatabase();
    const store = await openStore({ databasePath: '', databaseUrl: url, databasePoolSize: 2 });
    await writeHistory(store);
    await store.close();
    const fromPg = join(tmp.dir, 'from-pg.jsonl');
    const fromSqlite = join(tmp.dir, 'from-sqlite.jsonl');
    await exportToFile({ databasePath: '', databaseUrl: url }, fromPg);
    const target = join(tmp.dir, 'target.db');
    await importFromFile({ databasePath: target }, fromPg);
    await exportToFile({ databasePath: target }, fromSqlite);
    expect(rowsOf(fromSqlite)).toEqual(rowsOf(fromPg));
    expect(rowsOf(fromPg)).toHaveLength(20);
  });

  it('GIVEN a PostgreSQL target with rows, or a file cut short THEN the import is refused and the database is left as it was', async () => {
    const source = await sqliteWithHistory();
    const file = join(tmp.dir, 'export.jsonl');
    await exportToFile({ databasePath: source }, file);
    const url = await server().createDatabase();
    const where = { databasePath: '', databaseUrl: url };

    const cut = join(tmp.dir, 'cut.jsonl');
    writeFileSync(cut, `${readFileSync(file, 'utf8').trimEnd().split('\n').slice(0, -2).join('\n')}\n`);
    await expect(importFromFile(where, cut)).rejects.toThrow(/ends without its trailer/);
    for (const t of TABLES) expect(await pgCount(url, t.name), t.name).toBe(0);

    await importFromFile(where, file);
    const again = importFromFile(where, file);
    await expect(again).rejects.toThrow(/already holds 3 subscriptions, 4 payloads, 7 deliveries.*--replace/);
    await expect(importFromFile(where, file)).rejects.not.toThrow(TEST_PASSWORD);
    expect(await pgTables(url)).toEqual(sqliteTables(source));
    await importFromFile(where, file, { replace: true });
    expect(await pgTables(url)).toEqual(sqliteTables(source));
  });
});
