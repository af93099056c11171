import { afterEach, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { inline } from '../../../src/store/postgres/savepoints.js';
import { PostgresStore } from '../../../src/store/postgres/store.js';
import { describePostgres } from '../../support/postgres-suite.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };

it('GIVEN parameters written as literals THEN quotes, backslashes and negative numbers cannot change the statement, and arrays are refused', () => {
  expect(inline('SELECT $1, $2, x - $3, $4, $10', ["it's", 'a\\b', -5, null, ...Array(5).fill(0), true])).toBe(
    "SELECT 'it''s',  E'a\\\\b', x - (-5), NULL, TRUE",
  );
  expect(inline('SELECT $1::int[]', [[1, 2]])).toBeNull();
});

describePostgres('PostgreSQL savepoints sent with their first statement', (server) => {
  const opened: PostgresStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('GIVEN hostile text and negative numbers as the first statement of savepoints THEN they are stored exactly as given', async () => {
    const store = await PostgresStore.open({ url: await server().createDatabase() });
    opened.push(store);
    const chatId = "-1'; DROP TABLE subscriptions; --\\";
    const by = "o'brien \\n -- \\' $1";
    await store.transaction(async (tx) => {
      await tx.transaction(async (sp) => sp.subscriptions.insert('telegram', chatId, { ...settings, threadId: "t'1" }, by, -5));
      await tx.transaction(async (sp) => sp.subscriptions.pause('telegram', chatId, 'reason: \'x\' \\ "y"', -7));
    });
    expect(await store.subscriptions.get('telegram', chatId)).toMatchObject({ chatId, createdBy: by, threadId: "t'1", lastSlotAt: -5, paused: true, pausedReason: 'reason: \'x\' \\ "y"', updatedAt: -7 });
  });

  it('GIVEN a savepoint whose first statement fails, between two that succeed THEN only its own write is undone', async () => {
    const store = await PostgresStore.open({ url: await server().createDatabase() });
    opened.push(store);
    await store.subscriptions.insert('telegram', 'taken', settings, 'a', 1);
    await store.transaction(async (tx) => {
      await tx.transaction(async (sp) => sp.subscriptions.insert('telegram', '1', settings, 'a', 1));
      const err = await tx.transaction(async (sp) => sp.subscriptions.insert('telegram', 'taken', settings, 'b', 2)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      // A savepoint whose body runs no statement costs nothing and breaks nothing.
      await tx.transaction(async () => 'nothing');
      await tx.transaction(async (sp) => sp.subscriptions.insert('telegram', '2', settings, 'a', 1));
    });
    expect((await store.subscriptions.list()).map((s) => [s.chatId, s.createdBy])).toEqual([['1', 'a'], ['2', 'a'], ['taken', 'a']]);
  });
});
