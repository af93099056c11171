/**
 * `newsbot subscriptions` and `newsbot deliveries` with DATABASE_URL: they read the PostgreSQL store
 * (a throwaway server), not the SQLite file, and never print the URL's password.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { command as deliveries } from '../../../adapters/cli/deliveries.js';
import { command as subscriptions } from '../../../adapters/cli/subscriptions.js';
import { openStore } from '../../../src/store/index.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { describePostgres } from '../../support/postgres-suite.js';
import { TEST_PASSWORD } from '../../support/postgres.js';
import { io, seed } from './store-fixture.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

describePostgres('the CLI listings on PostgreSQL', (server) => {
  it('GIVEN subscriptions and a half-failed issue in PostgreSQL THEN subscriptions and deliveries list them from there, create no SQLite file, and show no password', async () => {
    tmp = tempDir();
    const url = await server().createDatabase();
    const store = await openStore({ databasePath: ':unused:', databaseUrl: url });
    await seed(store);
    await store.close();
    const env = { DATABASE_URL: url };

    const subs = io(tmp.dir, env);
    expect(await subscriptions.run([], subs)).toBe(0);
    expect(subs.out()).toMatch(/telegram\s+-1001\s+0 8 \* \* \*\s+Asia\/Shanghai\s+full\s+zh\s+active/);
    expect(subs.out()).toMatch(/discord\s+555\s+off\s+.*paused: Missing Access/);
    expect(subs.out()).toContain('2 subscription(s), 1 paused.');

    const parts = io(tmp.dir, env);
    expect(await deliveries.run(['20250101'], parts)).toBe(0);
    expect(parts.out()).toMatch(/telegram\s+-1001\s+sent failed\s+2\s+Bad Request: message is too long/);
    expect(parts.out()).toContain('1 chat(s), 2 part(s): 1 sent, 0 waiting, 1 failed, 0 skipped.');

    expect(existsSync(join(tmp.dir, 'data'))).toBe(false);
    expect(subs.out() + parts.out()).not.toContain(TEST_PASSWORD);
  }, 60_000);
});
