import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/store.js';
import { describePostgres } from '../../support/postgres-suite.js';

const root = resolve(import.meta.dirname, '../../..');
const HOLDER = join(root, 'test/store/postgres/role-holder.ts');

/** Polls `fn` until it returns true (the server needs a moment to notice a dead connection). */
async function eventually(fn: () => Promise<boolean>, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describePostgres('PostgreSQL cluster: roles, shared rates, members', (server) => {
  const opened: PostgresStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  async function two(): Promise<[PostgresStore, PostgresStore, string]> {
    const url = await server().createDatabase();
    const a = await PostgresStore.open({ url, poolSize: 2 });
    const b = await PostgresStore.open({ url, poolSize: 2 });
    opened.push(a, b);
    return [a, b, url];
  }

  it('GIVEN a role one instance holds THEN the other cannot take it until it is released, and members show who leads', async () => {
    const [a, b] = await two();
    expect(a.cluster.instance).not.toBe(b.cluster.instance);
    expect(await a.cluster.tryLead('scheduler')).toBe(true);
    expect(await a.cluster.tryLead('scheduler')).toBe(true);
    expect(await b.cluster.tryLead('scheduler')).toBe(false);
    expect(await b.cluster.tryLead('telegram:polling')).toBe(true);
    expect([...a.cluster.leading]).toEqual(['scheduler']);
    const members = await b.cluster.members();
    expect(members.map((m) => [m.instance, m.roles])).toEqual(
      [[a.cluster.instance, ['scheduler']], [b.cluster.instance, ['telegram:polling']]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    await a.cluster.releaseLead('scheduler');
    expect(a.cluster.leading.size).toBe(0);
    expect(await b.cluster.tryLead('scheduler')).toBe(true);
    expect(await a.cluster.tryLead('scheduler')).toBe(false);
  });

  it("GIVEN the holder's connection is killed THEN the holder no longer leads and another instance takes the role", async () => {
    const [a, b, url] = await two();
    expect(await a.cluster.tryLead('scheduler')).toBe(true);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'newsbot:scheduler'`);
    await admin.end();
    expect(await eventually(() => b.cluster.tryLead('scheduler'))).toBe(true);
    expect(await a.cluster.tryLead('scheduler')).toBe(false);
    expect(a.cluster.leading.has('scheduler')).toBe(false);
  });

  it('GIVEN the holding process is killed with SIGKILL THEN another instance takes the role', async () => {
    const [b, , url] = await two();
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER], {
      cwd: root,
      env: { ...process.env, NEWSBOT_TEST_DATABASE_URL: url, NEWSBOT_TEST_ROLE: 'scheduler' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const held = await new Promise<string>((resolveHeld, reject) => {
      child.stdout.on('data', (d: Buffer) => resolveHeld(d.toString()));
      child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
    });
    expect(held).toMatch(/^held /);
    expect(await b.cluster.tryLead('scheduler')).toBe(false);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(await eventually(() => b.cluster.tryLead('scheduler'))).toBe(true);
  });

  it('GIVEN two instances reserving on one rate THEN together they get one send per interval after the burst, not one each', async () => {
    const [a, b] = await two();
    // One send a minute, bursts of 2: the time it takes to run the calls is small beside a minute.
    const interval = 60_000;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(await a.cluster.reserve('telegram:global', 1, interval, 2), await b.cluster.reserve('telegram:global', 1, interval, 2));
    const slots = waits.map((w) => Math.round(w / interval));
    expect(slots).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    for (const [i, w] of waits.entries()) if (i >= 2) expect(w).toBeGreaterThan((i - 1) * interval - 10_000);
    // Another key is another rate; a batch reserves its whole count.
    expect(await a.cluster.reserve('discord:global', 3, interval, 1)).toBe(0);
    expect(Math.round((await b.cluster.reserve('discord:global', 1, interval, 1)) / interval)).toBe(3);
  });

  it('GIVEN two instances claiming the same 200 due chats at once THEN each chat is sent by exactly one of them, once', async () => {
    const [a, b] = await two();
    const rows = Array.from({ length: 200 }, (_, i) => ({ platform: 'telegram', chatId: String(i), threadId: null, issueId: '1', partIndex: 0, partCount: 1, payload: { text: 'x' } }));
    await a.transaction(async (tx) => tx.parts.insertParts(rows, 10));
    const claimAll = async (s: PostgresStore, owner: string) => {
      // As a worker does: send each claimed chat's part, then give the lease back.
      const mine: string[] = [];
      for (;;) {
        const got = await s.parts.claimChats(['telegram'], 100, 25, owner, 10_000);
        if (got.length === 0) return mine;
        for (const chat of got) {
          const head = await s.parts.head(chat.platform, chat.chatId);
          // A chat another instance finished between our reading it due and leasing it has no head.
          if (head) {
            await s.parts.markSent(head.id, owner, 100);
            mine.push(chat.chatId);
          }
          await s.parts.releaseChat(chat, owner);
        }
      }
    };
    const [fromA, fromB] = await Promise.all([claimAll(a, 'A'), claimAll(b, 'B')]);
    expect(fromA.length + fromB.length).toBe(200);
    expect(new Set([...fromA, ...fromB]).size).toBe(200);
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    // Each part was sent once (attempts 1), by the instance that leased its chat.
    const sent = await a.parts.forIssue('1');
    expect(sent.every((p) => p.status === 'sent' && p.attempts === 1)).toBe(true);
    expect(sent.filter((p) => p.messageId === 'A').map((p) => p.chatId).sort()).toEqual([...fromA].sort());
  });
});
