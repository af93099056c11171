import { afterEach, describe, expect, it } from 'vitest';
import { RoleKeeper, type RoleHandle, type RoleHolder } from '../../src/cluster/roles.js';
import { recordingLogger } from '../commands/support.js';
import { LockTable, TestCluster } from '../fakes/test-cluster.js';
import { ManualClock } from '../support/manual-clock.js';
import { until } from '../support/watched-folder.js';

const POLL = 5_000;

/** Lets promise chains and immediate callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** A holder that records its calls, in order, as "lead" and "lose". */
function recordingHolder(): RoleHolder & { events: string[]; handle: RoleHandle | null } {
  const h = {
    events: [] as string[],
    handle: null as RoleHandle | null,
    onLead: (handle: RoleHandle) => {
      h.handle = handle;
      h.events.push('lead');
    },
    onLose: () => void h.events.push('lose'),
  };
  return h;
}

interface Instance {
  keeper: RoleKeeper;
  cluster: TestCluster;
  clock: ManualClock;
  logs: Array<Record<string, unknown>>;
  /** One poll interval passes on this instance's clock; resolves once its cluster was asked again. */
  poll(): Promise<void>;
}

const running: RoleKeeper[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.stop()));
});

function instance(name: string, locks: LockTable): Instance {
  const cluster = new TestCluster(name, locks);
  const clock = new ManualClock();
  const { logger, lines } = recordingLogger();
  const keeper = new RoleKeeper({ cluster, logger, clock, pollMs: POLL });
  running.push(keeper);
  return {
    keeper,
    cluster,
    clock,
    logs: lines,
    async poll() {
      const asked = cluster.callsOf('tryLead').length;
      clock.advance(POLL);
      await until(() => cluster.callsOf('tryLead').length > asked, `${name} to ask the cluster`);
      await flush();
    },
  };
}

describe('RoleKeeper', () => {
  it('GIVEN no cluster (SQLite, one instance) WHEN two roles are held THEN both lead at once, and stop() loses each once', async () => {
    const { logger } = recordingLogger();
    const keeper = new RoleKeeper({ cluster: null, logger, clock: new ManualClock() });
    const polling = recordingHolder();
    const scheduler = recordingHolder();
    await keeper.hold('telegram:polling', polling);
    await keeper.hold('scheduler', scheduler);
    expect(polling.events).toEqual(['lead']);
    expect(scheduler.events).toEqual(['lead']);
    expect(keeper.held.sort()).toEqual(['scheduler', 'telegram:polling']);
    await keeper.stop();
    expect(polling.events).toEqual(['lead', 'lose']);
    expect(scheduler.events).toEqual(['lead', 'lose']);
    expect(keeper.held).toEqual([]);
  });

  it('GIVEN two instances on one database THEN only the first leads; WHEN its connection dies THEN the other takes over at its next poll and the first, at its own, loses the role once', async () => {
    const locks = new LockTable();
    const a = instance('a', locks);
    const b = instance('b', locks);
    const onA = recordingHolder();
    const onB = recordingHolder();
    await a.keeper.hold('scheduler', onA);
    await b.keeper.hold('scheduler', onB);
    expect(onA.events).toEqual(['lead']);
    expect(onB.events).toEqual([]);
    // B keeps asking, and keeps standing by; A keeps its role.
    await b.poll();
    await a.poll();
    expect(onB.events).toEqual([]);
    expect(onA.events).toEqual(['lead']);
    expect(b.cluster.callsOf('tryLead').map((c) => c.answer)).toEqual([false, false]);

    locks.kill('a');
    await b.poll();
    expect(onB.events).toEqual(['lead']);
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose']);
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose']);
    expect(locks.holders.get('scheduler')).toBe('b');
  });

  it('GIVEN the holder releases its role (graceful shutdown) THEN the lock is given back at once and the other instance leads at its next poll', async () => {
    const locks = new LockTable();
    const a = instance('a', locks);
    const b = instance('b', locks);
    const onA = recordingHolder();
    const onB = recordingHolder();
    const handle = await a.keeper.hold('discord:gateway', onA);
    await b.keeper.hold('discord:gateway', onB);
    await handle.release();
    expect(onA.events).toEqual(['lead', 'lose']);
    expect(a.cluster.callsOf('releaseLead').map((c) => c.role)).toEqual(['discord:gateway']);
    expect(locks.holders.has('discord:gateway')).toBe(false);
    await b.poll();
    expect(onB.events).toEqual(['lead']);
    // A released for good: it no longer asks.
    const asked = a.cluster.callsOf('tryLead').length;
    a.clock.advance(POLL * 3);
    await flush();
    expect(a.cluster.callsOf('tryLead').length).toBe(asked);
  });

  it('GIVEN onLead still starting WHEN stop() is called THEN onLose runs only after onLead finished, then the lock is released', async () => {
    const locks = new LockTable();
    const a = instance('a', locks);
    const events: string[] = [];
    let finish!: () => void;
    const started = new Promise<void>((r) => (finish = r));
    const holding = a.keeper.hold('discord:gateway', {
      onLead: async () => {
        events.push('lead begins');
        await started;
        events.push('lead done');
      },
      onLose: () => void events.push('lose'),
    });
    await until(() => events.length === 1, 'onLead to begin');
    const stopping = a.keeper.stop().then(() => events.push('stopped'));
    await flush();
    expect(events).toEqual(['lead begins']);
    finish();
    await holding;
    await stopping;
    expect(events).toEqual(['lead begins', 'lead done', 'lose', 'stopped']);
    expect(a.cluster.calls.map((c) => c.method)).toEqual(['tryLead', 'releaseLead']);
    expect(locks.holders.size).toBe(0);
  });

  it('GIVEN the database goes down WHEN the role needs exclusivity THEN it counts as not leading: onLose once, one report however many polls fail; WHEN it is back THEN the role is taken again', async () => {
    const a = instance('a', new LockTable());
    const onA = recordingHolder();
    await a.keeper.hold('telegram:polling', onA);
    a.cluster.failWith = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    await a.poll();
    await a.poll();
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose']);
    const reports = a.logs.filter((l) => l.family === 'store' && l.role === 'telegram:polling');
    expect(reports).toHaveLength(1);
    expect(String(reports[0]?.msg)).toContain('ECONNREFUSED');
    expect(reports[0]?.method).toBe('tryLead');

    a.cluster.failWith = null;
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose', 'lead']);
    expect(a.logs.some((l) => l.msg === 'roles: the cluster answers again' && l.failures === 3)).toBe(true);
  });

  it('GIVEN the database goes down WHEN the role is not exclusive THEN the work keeps running through the errors', async () => {
    const a = instance('a', new LockTable());
    const onA = recordingHolder();
    await a.keeper.hold('scheduler', onA, { exclusive: false });
    a.cluster.failWith = new Error('connection terminated');
    await a.poll();
    await a.poll();
    expect(onA.events).toEqual(['lead']);
    expect(a.keeper.held).toEqual(['scheduler']);
  });

  it('GIVEN the work stands down (409 from another poller) THEN onLose, the lock goes back, and no try for one poll interval; a second stand-down in a row rests twice as long', async () => {
    const a = instance('a', new LockTable());
    const onA = recordingHolder();
    await a.keeper.hold('telegram:polling', onA);
    await onA.handle?.standDown('409 Conflict');
    expect(onA.events).toEqual(['lead', 'lose']);
    expect(a.cluster.callsOf('releaseLead')).toHaveLength(1);
    expect(a.logs.filter((l) => l.msg === 'role given back: standing by').map((l) => l.restMs)).toEqual([POLL]);

    // The rest is one interval: the poll at its end tries again, and leads.
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose', 'lead']);
    await onA.handle?.standDown('409 Conflict');
    const asked = a.cluster.callsOf('tryLead').length;
    a.clock.advance(POLL);
    await flush();
    expect(a.cluster.callsOf('tryLead').length).toBe(asked); // still resting
    await a.poll();
    expect(onA.events).toEqual(['lead', 'lose', 'lead', 'lose', 'lead']);
    expect(a.logs.filter((l) => l.msg === 'role given back: standing by').map((l) => l.restMs)).toEqual([POLL, 2 * POLL]);
  });

  it('GIVEN the first onLead fails (a bad token) THEN hold() rejects with its error, after cleaning up and giving the lock back', async () => {
    const locks = new LockTable();
    const a = instance('a', locks);
    const events: string[] = [];
    const attempt = a.keeper.hold('discord:gateway', {
      onLead: () => {
        events.push('lead');
        throw new Error('An invalid token was provided.');
      },
      onLose: () => void events.push('lose'),
    });
    await expect(attempt).rejects.toThrow('An invalid token was provided.');
    expect(events).toEqual(['lead', 'lose']);
    expect(locks.holders.size).toBe(0);
    expect(a.keeper.held).toEqual([]);
  });

  it('GIVEN a takeover whose onLead fails THEN it is reported, the lock goes back, and it is tried again after a rest', async () => {
    const locks = new LockTable();
    locks.take('discord:gateway', 'b');
    const a = instance('a', locks);
    let fail = true;
    const events: string[] = [];
    await a.keeper.hold('discord:gateway', {
      onLead: () => {
        events.push('lead');
        if (fail) throw new Error('Discord did not get ready');
      },
      onLose: () => void events.push('lose'),
    });
    locks.kill('b');
    await a.poll();
    expect(events).toEqual(['lead', 'lose']);
    expect(a.logs.some((l) => l.method === 'onLead' && String(l.msg).includes('Discord did not get ready'))).toBe(true);
    expect(locks.holders.has('discord:gateway')).toBe(false);
    fail = false;
    await a.poll();
    expect(events).toEqual(['lead', 'lose', 'lead']);
  });
});
