import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { SqliteStore } from '../../../src/store/index.js';
import { TABLES } from '../../../src/store/transfer/index.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { exportToFile, importFromFile } from './files.js';
import { DAILY, T0, sqliteCount, sqliteTables, writeHistory } from './history.js';

describe('export and import between SQLite stores', () => {
  let tmp: ReturnType<typeof tempDir>;
  const opened: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    tmp?.cleanup();
  });
  const open = (path: string) => {
    const store = SqliteStore.open(path);
    opened.push(store);
    return store;
  };

  it('GIVEN every table written through the store WHEN exported and imported into a fresh file THEN every row comes back with its id, and leases stay behind', async () => {
    tmp = tempDir();
    const source = join(tmp.dir, 'source.db');
    const target = join(tmp.dir, 'target.db');
    const store = open(source);
    await writeHistory(store);
    await store.close();

    const file = join(tmp.dir, 'export.jsonl');
    const exported = await exportToFile(at(source), file);
    expect(exported).toEqual({ subscriptions: 3, payloads: 4, deliveries: 7, chat_sections: 1, follows: 2, alerts: 2 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ format: 'newsbot-export', schema: 6, dialect: 'sqlite', exportedAt: '2026-02-01T00:00:00.000Z' });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ trailer: 'newsbot-export', counts: exported });
    expect(lines).toHaveLength(2 + 19);
    expect(lines.some((l) => l.includes('chat_leases'))).toBe(false);
    expect(sqliteCount(source, 'chat_leases')).toBe(2);

    const result = await importFromFile(at(target), file);
    expect(result.counts).toEqual(exported);
    expect(sqliteTables(target)).toEqual(sqliteTables(source));
    expect(sqliteCount(target, 'chat_leases')).toBe(0);
  });

  it('GIVEN an imported history THEN parts still resolve their payloads, the subscription gets its next run once, and new rows get fresh ids', async () => {
    tmp = tempDir();
    const source = join(tmp.dir, 'source.db');
    const target = join(tmp.dir, 'target.db');
    const before = open(source);
    const { subscriptionId, lastSlotAt } = await writeHistory(before);
    const parts = await before.parts.forChat('telegram', '-1001');
    await before.close();
    const file = join(tmp.dir, 'export.jsonl');
    await exportToFile(at(source), file);
    await importFromFile(at(target), file);

    const after = open(target);
    expect(await after.parts.forChat('telegram', '-1001')).toEqual(parts);
    expect((await after.parts.head('telegram', '-1001'))?.payload).toEqual({ text: '第一部分 <b>one</b>' });
    expect((await after.parts.forChat('telegram', '-1002')).map((p) => p.payload.text)).toEqual(['第一部分 <b>one</b>', 'two', 'three']);
    const daily = await after.subscriptions.onSchedule(DAILY.schedule, DAILY.timezone);
    expect(daily.map((s) => [s.id, s.chatId, s.lastSlotAt])).toEqual([[subscriptionId, '-1001', lastSlotAt], [subscriptionId + 1, '-1002', T0 + 1]]);
    const next = lastSlotAt + 86_400_000;
    expect(await after.subscriptions.markSlot(subscriptionId, next)).toBe(true);
    expect(await after.subscriptions.markSlot(subscriptionId, next)).toBe(false);
    expect(await after.readers.sectionFilter('telegram', '-1001')).toMatchObject({ kind: 'only', names: ['rust', '人工智能'] });
    expect((await after.readers.alerted('telegram', '-1001', '20260105')).keys).toEqual(new Set(['https://rust.test/2026', 'folded title']));
    const added = await after.subscriptions.insert('telegram', '-1003', DAILY, 'telegram:1', T0 + 500);
    expect(added.id).toBe(subscriptionId + 3);
    const [payloadId] = await after.parts.savePayloads([{ text: 'new' }]);
    expect(payloadId).toBe(5);
  });

  it('GIVEN a target that already holds a subscription WHEN importing THEN it is refused, saying why, and with --replace the file replaces it', async () => {
    tmp = tempDir();
    const source = join(tmp.dir, 'source.db');
    const target = join(tmp.dir, 'target.db');
    await writeHistory(open(source));
    const file = join(tmp.dir, 'export.jsonl');
    await exportToFile(at(source), file);
    const busy = open(target);
    await busy.subscriptions.insert('telegram', '-9', DAILY, 'telegram:1', T0);
    await busy.close();

    const refused = importFromFile(at(target), file);
    await expect(refused).rejects.toThrow(StoreError);
    await expect(importFromFile(at(target), file)).rejects.toThrow(/already holds 1 subscriptions; importing would mix two histories.*--replace/);
    expect(sqliteTables(target).subscriptions).toMatchObject([{ chat_id: '-9' }]);

    const replaced = await importFromFile(at(target), file, { replace: true });
    expect(replaced.replaced.subscriptions).toBe(1);
    expect(sqliteTables(target)).toEqual(sqliteTables(source));
  });

  it('GIVEN a file cut short before its trailer THEN nothing is imported and the target stays empty', async () => {
    tmp = tempDir();
    const { file, target } = await exported(tmp.dir, open);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${lines.slice(0, -5).join('\n')}\n`);
    await expect(importFromFile(at(target), file)).rejects.toThrow(/ends without its trailer: it was cut short/);
    expectEmpty(target);
  });

  it('GIVEN a trailer whose count disagrees with the rows THEN the import rolls back, naming the table', async () => {
    tmp = tempDir();
    const { file, target } = await exported(tmp.dir, open);
    // One deliveries row lost in transit, the trailer intact.
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const lost = lines.findIndex((l) => l.startsWith('{"table":"deliveries"'));
    writeFileSync(file, `${lines.filter((_, i) => i !== lost).join('\n')}\n`);
    await expect(importFromFile(at(target), file)).rejects.toThrow(/deliveries: the trailer counts 7 rows but the file holds 6/);
    expectEmpty(target);
  });

  it('GIVEN a line cut in half mid-file THEN the import stops at that line and the target stays empty', async () => {
    tmp = tempDir();
    const { file, target } = await exported(tmp.dir, open);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[8] = lines[8]!.slice(0, 20);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await expect(importFromFile(at(target), file)).rejects.toThrow(/line 9: not a JSON line/);
    expectEmpty(target);
  });

  it('GIVEN a stored message that is not JSON THEN the import names its line and column, and the target stays empty', async () => {
    tmp = tempDir();
    const { file, target } = await exported(tmp.dir, open);
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.startsWith('{"table":"payloads"'));
    const line = JSON.parse(lines[index]!);
    lines[index] = JSON.stringify({ ...line, row: { ...line.row, body: '{"text":"cut' } });
    writeFileSync(file, lines.join('\n'));
    await expect(importFromFile(at(target), file)).rejects.toThrow(`import: line ${index + 1}: payloads.body is ${JSON.stringify('{"text":"cut')}, expected json`);
    expectEmpty(target);
  });

  it('GIVEN an export of another schema version THEN the import is refused before anything is written', async () => {
    tmp = tempDir();
    const { file, target } = await exported(tmp.dir, open);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), schema: 4 });
    writeFileSync(file, lines.join('\n'));
    await expect(importFromFile(at(target), file)).rejects.toThrow(/the file is schema 4 but .* is at schema 6: run `newsbot migrate` where it was exported and export again/);
    expectEmpty(target);
  });

  it('GIVEN the schema as migrated THEN the export names every column of every exported table', () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'schema.db');
    open(path);
    const db = new Database(path, { readonly: true });
    for (const table of TABLES) {
      const columns = (db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string; notnull: number; pk: number }>).map((c) => ({
        name: c.name,
        nullable: c.notnull === 0 && c.pk === 0,
      }));
      expect(table.columns.map((c) => ({ name: c.name, nullable: c.nullable })), table.name).toEqual(columns);
    }
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    db.close();
    expect(tables.filter((t) => !TABLES.some((s) => s.name === t))).toEqual(['chat_leases', 'handled_updates']);
  });
});

const at = (path: string) => ({ databasePath: path });

async function exported(dir: string, open: (path: string) => SqliteStore): Promise<{ file: string; target: string }> {
  const source = join(dir, 'source.db');
  const store = open(source);
  await writeHistory(store);
  await store.close();
  const file = join(dir, 'export.jsonl');
  await exportToFile({ databasePath: source }, file);
  return { file, target: join(dir, 'target.db') };
}

function expectEmpty(path: string): void {
  for (const t of [...TABLES.map((s) => s.name), 'chat_leases']) expect(sqliteCount(path, t), t).toBe(0);
}
