import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { PG_MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../../src/store/postgres/store.js';
import { describePostgres } from '../../support/postgres-suite.js';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describePostgres('PostgreSQL migrations', (server) => {
  const opened: PostgresStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('GIVEN four instances opening one empty database at once THEN all succeed at the latest version and each step was applied once', async () => {
    const url = await server().createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open({ url, poolSize: 2 })));
    opened.push(...stores);
    for (const s of stores) expect(await s.schemaVersion()).toBe(PG_MIGRATIONS.length);
    const rows = await withClient(url, async (c) => (await c.query('SELECT version FROM schema_migrations ORDER BY version')).rows);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(PG_MIGRATIONS.length).toBe(6);
  });

  it('GIVEN a database from a newer newsbot THEN open refuses with a StoreError', async () => {
    const url = await server().createDatabase();
    opened.push(await PostgresStore.open({ url }));
    await withClient(url, (c) => c.query('INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)'));
    const err = await PostgresStore.open({ url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(/newer/);
    expect((err as StoreError).context.unavailable).toBe(false);
  });

  it('GIVEN a version-2 database with queued parts THEN migration 3 stores each distinct payload once and keeps every row as it was', async () => {
    const url = await server().createDatabase();
    await withClient(url, async (c) => {
      await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      await c.query((PG_MIGRATIONS[0] as string) + (PG_MIGRATIONS[1] as string));
      await c.query('INSERT INTO schema_migrations VALUES (1, 0), (2, 0)');
      const insert = `INSERT INTO deliveries (platform, chat_id, issue_id, part_index, part_count, payload, status, attempts, next_attempt_at, message_id, created_at, updated_at)
        VALUES ('telegram', $1, '20250101', $2, 2, $3, $4, $5, 5, $6, 1, 2)`;
      await c.query(insert, ['1', 0, JSON.stringify({ text: 'part one' }), 'sent', 1, '77']);
      await c.query(insert, ['1', 1, JSON.stringify({ text: 'part two' }), 'sending', 1, null]);
      await c.query(insert, ['2', 0, JSON.stringify({ text: 'part one' }), 'pending', 0, null]);
      await c.query(insert, ['2', 1, JSON.stringify({ text: 'part two' }), 'pending', 0, null]);
    });
    const store = await PostgresStore.open({ url });
    opened.push(store);
    const rows = [...(await store.parts.forChat('telegram', '1')), ...(await store.parts.forChat('telegram', '2'))];
    expect(rows.map((r) => [r.chatId, r.partIndex, r.payload, r.status, r.attempts, r.messageId, r.nextAttemptAt])).toEqual([
      ['1', 0, { text: 'part one' }, 'sent', 1, '77', 5],
      ['1', 1, { text: 'part two' }, 'sending', 1, null, 5],
      ['2', 0, { text: 'part one' }, 'pending', 0, null, 5],
      ['2', 1, { text: 'part two' }, 'pending', 0, null, 5],
    ]);
    expect(await withClient(url, async (c) => (await c.query('SELECT COUNT(*)::int AS n FROM payloads')).rows[0])).toEqual({ n: 2 });
  });

  it('GIVEN a payload larger than a B-tree entry holds THEN it is stored once and read back whole', async () => {
    const url = await server().createDatabase();
    const store = await PostgresStore.open({ url });
    opened.push(store);
    const big = { text: 'x'.repeat(20_000) };
    const [a] = await store.parts.savePayloads([big]);
    const [b] = await store.parts.savePayloads([big]);
    expect(a).toBe(b);
    await store.parts.insertParts([{ platform: 'telegram', chatId: '1', threadId: null, issueId: '1', partIndex: 0, partCount: 1, payloadId: a as number }], 1);
    expect((await store.parts.head('telegram', '1'))?.payload).toEqual(big);
  });
});
