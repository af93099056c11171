import { afterEach, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { isStoreUnavailable } from '../../../src/store/index.js';
import { PostgresStore } from '../../../src/store/postgres/store.js';
import { TEST_PASSWORD } from '../../support/postgres.js';
import { describePostgres } from '../../support/postgres-suite.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

/** What an operator would see of an error: its message, context and causes, as text. */
const shown = (err: StoreError) => `${err.message} ${JSON.stringify(err.context)} ${String(err.stack)} ${String(err.cause ?? '')}`;

describePostgres('PostgreSQL store when the database is unavailable', (server) => {
  const opened: PostgresStore[] = [];
  afterEach(async () => {
    await server().start();
    for (const s of opened.splice(0)) await s.close().catch(() => undefined);
  });

  it('GIVEN the server crashes under an open store THEN calls and transactions fail as unavailable StoreErrors without the password, and work again once it is back', async () => {
    const store = await PostgresStore.open({ url: await server().createDatabase(), poolSize: 3 });
    opened.push(store);
    await store.subscriptions.insert('telegram', '1', settings, 'a', 1);
    await server().stop('immediate');

    const call = await failure(store.subscriptions.get('telegram', '1'));
    expect(call.context).toMatchObject({ op: 'subscriptions.get', unavailable: true });
    expect(isStoreUnavailable(call)).toBe(true);
    const tx = await failure(store.transaction(async (t) => t.parts.insertParts([], 1)));
    expect(tx.context.unavailable).toBe(true);
    for (const err of [call, tx]) expect(shown(err)).not.toContain(TEST_PASSWORD);

    await server().start();
    // The pool drops the dead connections and opens new ones.
    let back = null;
    for (let i = 0; i < 5 && !back; i++) back = await store.subscriptions.get('telegram', '1').catch(() => null);
    expect(back).toMatchObject({ chatId: '1' });
    expect(await store.transaction(async (t) => t.subscriptions.pause('telegram', '1', 'x', 2))).toBe(true);
  });

  it('GIVEN no server at the address THEN open fails as an unavailable StoreError that never shows the password', async () => {
    const url = server().url('nothere').replace(`:${server().port}/`, ':1/');
    const err = await failure(PostgresStore.open({ url }));
    expect(err.context).toMatchObject({ op: 'migrate', unavailable: true, code: 'ECONNREFUSED' });
    expect(shown(err)).not.toContain(TEST_PASSWORD);
  });

  it('GIVEN a statement the database refuses THEN the StoreError is not marked unavailable (the outbox must not wait for it)', async () => {
    const store = await PostgresStore.open({ url: await server().createDatabase() });
    opened.push(store);
    await store.subscriptions.insert('telegram', '1', settings, 'a', 1);
    const err = await failure(store.subscriptions.insert('telegram', '1', settings, 'a', 1));
    expect(err.context).toMatchObject({ op: 'subscriptions.insert', code: '23505', unavailable: false });
    expect(isStoreUnavailable(err)).toBe(false);
  });
});
