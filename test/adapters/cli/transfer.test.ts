/** `newsbot export` and `newsbot import` as an operator runs them, between two SQLite files. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { DAILY, T0, sqliteTables, writeHistory } from '../../store/transfer/history.js';
import { memoryIo } from './memory-io.js';

describe('newsbot export / import', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp?.cleanup());

  async function seeded(): Promise<string> {
    const source = join(tmp.dir, 'source.db');
    const store = SqliteStore.open(source);
    await writeHistory(store);
    await store.close();
    return source;
  }

  it('GIVEN a store WHEN exported with --out and imported elsewhere THEN each command prints its counts and the tables match', async () => {
    tmp = tempDir();
    const source = await seeded();
    const target = join(tmp.dir, 'target.db');
    const out = memoryIo({ DATABASE_PATH: source });
    expect(await runCli(['export', '--out', join(tmp.dir, 'history.jsonl')], out)).toBe(0);
    expect(out.out()).toBe(
      `exported 19 row(s) from sqlite ${source}: 3 subscriptions, 4 payloads, 7 deliveries, 1 chat_sections, 2 follows, 2 alerts to ${join(tmp.dir, 'history.jsonl')}\n`,
    );
    expect(existsSync(join(tmp.dir, 'history.jsonl.partial'))).toBe(false);

    const into = memoryIo({ DATABASE_PATH: target });
    expect(await runCli(['import', join(tmp.dir, 'history.jsonl')], into)).toBe(0);
    expect(into.out()).toMatch(/^imported 19 row\(s\) into sqlite .*target\.db: 3 subscriptions, 4 payloads, 7 deliveries, 1 chat_sections, 2 follows, 2 alerts\n {2}from a sqlite export of \d{4}-.*Z, schema 6\n$/);
    expect(sqliteTables(target)).toEqual(sqliteTables(source));
  });

  it('GIVEN no --out THEN the file goes to standard output and the counts to standard error', async () => {
    tmp = tempDir();
    const source = await seeded();
    const io = memoryIo({ DATABASE_PATH: source });
    expect(await runCli(['export'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    expect(JSON.parse(lines[1]!)).toMatchObject({ table: 'subscriptions', row: { id: 1, chat_id: '-1001', paused: false, schedule: DAILY.schedule, created_at: T0 } });
    expect(io.err()).toMatch(/^exported 19 row\(s\) from sqlite/);
  });

  it('GIVEN "-" THEN import reads the export from standard input', async () => {
    tmp = tempDir();
    const source = await seeded();
    const exported = memoryIo({ DATABASE_PATH: source });
    expect(await runCli(['export'], exported)).toBe(0);
    const target = join(tmp.dir, 'piped.db');
    const io = memoryIo({ DATABASE_PATH: target });
    (io.stdin as PassThrough).end(exported.out());
    expect(await runCli(['import', '-'], io)).toBe(0);
    expect(io.out()).toMatch(/^imported 19 row\(s\) into sqlite /);
    expect(sqliteTables(target)).toEqual(sqliteTables(source));
  });

  it('GIVEN a target with rows THEN import exits 1 with one line saying why and how, and --replace goes through', async () => {
    tmp = tempDir();
    const source = await seeded();
    const file = join(tmp.dir, 'history.jsonl');
    expect(await runCli(['export', '-o', file], memoryIo({ DATABASE_PATH: source }))).toBe(0);
    const io = memoryIo({ DATABASE_PATH: source });
    expect(await runCli(['import', file], io)).toBe(1);
    expect(io.err()).toMatch(/^newsbot import: import: .*source\.db already holds 3 subscriptions, 4 payloads, 7 deliveries, 1 chat_sections, 2 follows, 2 alerts; .*pass --replace .*\n$/);
    const replace = memoryIo({ DATABASE_PATH: source });
    expect(await runCli(['import', file, '--replace'], replace)).toBe(0);
    expect(replace.out()).toContain('; 19 row(s) it held were replaced');
  });

  it('GIVEN no database to export or no file to import THEN each says so in one line and creates nothing', async () => {
    tmp = tempDir();
    const missing = join(tmp.dir, 'none', 'newsbot.db');
    const io = memoryIo({ DATABASE_PATH: missing });
    expect(await runCli(['export', '--out', join(tmp.dir, 'x.jsonl')], io)).toBe(1);
    expect(io.err()).toBe(`newsbot export: there is no database at ${missing} (the bot creates it when it starts)\n`);
    expect(existsSync(join(tmp.dir, 'none'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'x.jsonl'))).toBe(false);
    const imp = memoryIo({ DATABASE_PATH: missing });
    expect(await runCli(['import', 'nothing-here.jsonl'], imp)).toBe(1);
    expect(imp.err()).toBe('newsbot import: file not found: nothing-here.jsonl\n');
    expect(existsSync(join(tmp.dir, 'none'))).toBe(false);
  });
});
