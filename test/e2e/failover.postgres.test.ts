/**
 * Issue 14, "What it must show": two real instances (`npm start` child processes) on one PostgreSQL
 * database and one fake Telegram, 200 subscribed chats, the owner's /broadcast of a 3-part issue,
 * and the instance with the most roles killed with SIGKILL once a third of the parts were accepted.
 * Judged from what the fake accepted (test/e2e/support/failover-tally.ts). The scenario itself is
 * test/e2e/support/failover.ts, shared with `npm run bench -- failover`.
 *
 * A second issue is dropped into the folder at the kill, and the killed instance started again (a
 * new process) once the broadcast is in: the next per-minute scheduled run must reach every chat
 * exactly once, whether it comes while the survivor is alone or once both run.
 *
 * Time: the next per-minute run comes 0-60 s after the kill, so this file takes 30-90 s.
 */
import { expect, it } from 'vitest';
import { describePostgres } from '../support/postgres-suite.js';
import { TEST_PASSWORD } from '../support/postgres.js';
import { runFailover } from './support/failover.js';

const LEASE_SECONDS = 5;
const RATE = 300;

describePostgres('two instances on PostgreSQL, one killed mid-broadcast', (server) => {
  it('GIVEN 200 chats and a /broadcast of a 3-part issue WHEN the busiest instance is SIGKILLed a third of the way THEN every chat gets every part in order, at most one part repeated and only where the dead one was sending, the survivor finishes within lease + platform time, and the next scheduled run fires once', async () => {
    const run = await runFailover({
      server: server(),
      chats: 200,
      rate: RATE,
      enforceRate: false,
      leaseSeconds: LEASE_SECONDS,
      rolePollSeconds: 1,
      killAt: 1 / 3,
      scheduledRun: true,
      progress: (line) => console.info(`failover: ${line}`),
    });
    const t = run.tally;
    console.info(
      `failover: ${t.accepted}/${t.parts} accepted, ${t.repeated} repeated (${run.victimChats} chats held by the killed ${run.victim.name}, roles ${run.victim.roles.join(',') || '-'}), ` +
        `takeover ${t.takeoverS ?? '-'} s (roles ${run.roleTakeoverS ?? '-'} s), finished ${t.finishS} s after the kill (${run.remainingAtKill} parts left then); next run after ${run.next?.waitedS} s, sent by ${JSON.stringify(run.next?.senders)}`,
    );
    console.info(`failover: warnings ${JSON.stringify(run.warnings)}`);
    expect(t.beforeKill[run.victim.name], 'the killed instance was sending').toBeGreaterThan(0);
    expect(t.lost).toBe(0);
    expect(t.unexpected).toBe(0);
    expect(t.boundBreaches).toEqual([]);
    expect(t.repeated).toBeLessThanOrEqual(run.victimChats);
    expect(t.outOfOrder).toEqual([]);
    // Lease time + platform time for what was left, with a generous margin for a loaded machine.
    expect(t.finishS).toBeLessThan(LEASE_SECONDS + (run.remainingAtKill / RATE) * 2 + 20);
    const copies = [...(run.next?.copies.values() ?? [])];
    expect(copies).toHaveLength(200);
    expect(copies.filter((n) => n !== 1)).toEqual([]);
    expect(run.roleTakeoverS, 'the survivor took the killed one\'s roles').not.toBeNull();
    expect(run.survivorExit).toBe(0);
    for (const [name, log] of Object.entries(run.logs)) expect(log, `${name}'s log shows the database password`).not.toContain(TEST_PASSWORD);
  }, 150_000);
});
