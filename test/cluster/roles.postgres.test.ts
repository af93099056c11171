/**
 * The role keeper on a real PostgreSQL cluster: two stores (two instances) on one database, each with
 * its own keeper on a clock the test moves, so which instance asks first is the test's choice.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { RoleKeeper, type RoleHolder } from '../../src/cluster/roles.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { recordingLogger } from '../commands/support.js';
import { ManualClock } from '../support/manual-clock.js';
import { describePostgres } from '../support/postgres-suite.js';
import { until } from '../support/watched-folder.js';

const POLL = 5_000;
const ROLE = 'telegram:polling';

interface Instance {
  store: PostgresStore;
  keeper: RoleKeeper;
  clock: ManualClock;
  events: string[];
  logs: Array<Record<string, unknown>>;
  holder: RoleHolder;
}

describePostgres('RoleKeeper on PostgreSQL', (server) => {
  const opened: Instance[] = [];
  afterEach(async () => {
    for (const i of opened.splice(0)) {
      await i.keeper.stop();
      await i.store.close();
    }
  });

  async function instance(url: string): Promise<Instance> {
    const store = await PostgresStore.open({ url, poolSize: 2 });
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const keeper = new RoleKeeper({ cluster: store.cluster, logger, clock, pollMs: POLL });
    const events: string[] = [];
    const holder: RoleHolder = { onLead: () => void events.push('lead'), onLose: () => void events.push('lose') };
    const i = { store, keeper, clock, events, logs: lines, holder };
    opened.push(i);
    return i;
  }

  /** One poll interval on `i`'s clock; resolves once its role has settled into `expected`. */
  async function pollUntil(i: Instance, expected: string[], what: string): Promise<void> {
    await until(() => {
      i.clock.advance(POLL);
      return JSON.stringify(i.events) === JSON.stringify(expected);
    }, what);
  }

  async function killRoleConnection(url: string): Promise<number> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`newsbot:${ROLE}`]);
      return rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it("GIVEN two instances on one database WHEN the holder's role connection is killed THEN the other takes the role at its next poll, and the first loses it at its own", async () => {
    const url = await server().createDatabase();
    const a = await instance(url);
    const b = await instance(url);
    await a.keeper.hold(ROLE, a.holder);
    await b.keeper.hold(ROLE, b.holder);
    expect(a.events).toEqual(['lead']);
    expect(b.events).toEqual([]);
    expect([...a.store.cluster.leading]).toEqual([ROLE]);

    expect(await killRoleConnection(url)).toBe(1);
    // B asks (every poll) until the server has freed the dead session's lock.
    await pollUntil(b, ['lead'], 'b to take the role');
    await pollUntil(a, ['lead', 'lose'], 'a to learn it lost the role');
    expect(a.logs.some((l) => l.msg === 'role lost: standing by' && l.role === ROLE)).toBe(true);
    const members = await b.store.cluster.members();
    expect(members.find((m) => m.instance === b.store.cluster.instance)?.roles).toEqual([ROLE]);
  });

  it('GIVEN the holder stops gracefully THEN its lock is free at once and the other leads at its very next poll', async () => {
    const url = await server().createDatabase();
    const a = await instance(url);
    const b = await instance(url);
    await a.keeper.hold(ROLE, a.holder);
    await b.keeper.hold(ROLE, b.holder);
    await a.keeper.stop();
    expect(a.events).toEqual(['lead', 'lose']);
    // One interval only: the first try after the stop succeeds.
    b.clock.advance(POLL);
    await until(() => b.events.length > 0, 'b to lead');
    expect(b.events).toEqual(['lead']);
  });

  it('GIVEN the database goes down THEN the holder of an exclusive role stops its work and reports it once; WHEN it is back THEN the role is taken again', async () => {
    const url = await server().createDatabase();
    const a = await instance(url);
    await a.keeper.hold(ROLE, a.holder);
    await server().stop('immediate');
    try {
      await pollUntil(a, ['lead', 'lose'], 'a to stop its work');
      a.clock.advance(POLL);
      a.clock.advance(POLL);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await server().start();
    }
    const reports = a.logs.filter((l) => l.family === 'store' && l.role === ROLE);
    expect(reports).toHaveLength(1);
    await pollUntil(a, ['lead', 'lose', 'lead'], 'a to lead again');
  });
});
