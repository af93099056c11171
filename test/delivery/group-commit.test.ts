import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { GroupCommit, type Transactional } from '../../src/delivery/group-commit.js';
import { openDatabase } from '../../src/store/db.js';
import { isStoreUnavailable, SqliteStore, type NewPart } from '../../src/store/index.js';
import { tempDir } from '../fakes/delivery-harness.js';

const part = (chatId: string, partIndex = 0): NewPart => ({
  platform: 'telegram',
  chatId,
  threadId: null,
  issueId: '20250101',
  partIndex,
  partCount: 1,
  payload: { text: `${chatId}/${partIndex}` },
});

/** The real store, counting its transactions (each one is a COMMIT; nested ones are savepoints on `tx`). */
function counting(store: SqliteStore): Transactional & { commits: number } {
  const wrapper: Transactional & { commits: number } = {
    commits: 0,
    transaction: (fn, options) => {
      wrapper.commits++;
      return store.transaction(fn, options);
    },
  };
  return wrapper;
}

describe('group commit', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const open: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    tmp?.cleanup();
  });

  /** A store with `chats` pending parts, and a second connection that sees only committed data. */
  async function stores(chats: number, db?: (path: string) => SqliteStore): Promise<{ store: SqliteStore; reader: SqliteStore; ids: number[] }> {
    tmp = tempDir();
    const path = join(tmp.dir, 'db.sqlite');
    const store = db ? db(path) : SqliteStore.open(path);
    const reader = SqliteStore.open(path);
    open.push(store, reader);
    await store.transaction((tx) => tx.parts.insertParts(Array.from({ length: chats }, (_, i) => part(String(i + 1))), 1));
    const ids: number[] = [];
    for (let i = 0; i < chats; i++) ids.push((await store.parts.head('telegram', String(i + 1)))!.id);
    return { store, reader, ids };
  }
  /** What another connection sees (committed rows only), read synchronously. */
  const statusOf = (reader: SqliteStore, chatId: string) => reader.repos.parts.forChat('telegram', chatId)[0]?.status;

  it('GIVEN outcomes recorded by several chats in one turn THEN they share one commit, and each caller resumes only once it is committed', async () => {
    const { store, reader, ids } = await stores(5);
    const tx = counting(store);
    const commits = new GroupCommit(tx);
    const seenAtResume: Array<string | undefined> = [];
    const done = ids.map((id, i) =>
      commits.run((tx) => tx.parts.markSent(id, `m${i}`, 2)).then(() => seenAtResume.push(statusOf(reader, String(i + 1)))),
    );
    // Queued, not yet committed: another connection still sees them pending.
    expect(commits.waiting).toBe(5);
    expect(ids.map((_, i) => statusOf(reader, String(i + 1)))).toEqual(Array(5).fill('pending'));
    await Promise.all(done);
    expect(tx.commits).toBe(1);
    expect(seenAtResume).toEqual(Array(5).fill('sent'));
  });

  it('GIVEN a batch where one call throws THEN only that call is rolled back and rejected; the others commit', async () => {
    const { store, reader, ids } = await stores(3);
    const commits = new GroupCommit(store);
    const results = await Promise.allSettled(
      ids.map((id, i) =>
        commits.run(async (tx) => {
          await tx.parts.markSent(id, `m${i}`, 2);
          if (i === 1) throw new Error('bug in the second outcome');
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(['1', '2', '3'].map((c) => statusOf(reader, c))).toEqual(['sent', 'pending', 'sent']);
  });

  it('GIVEN a commit that fails THEN every caller of the batch is rejected and none of its writes is kept', async () => {
    const { store, reader, ids } = await stores(3);
    const failing: Transactional = {
      transaction: (fn, options) =>
        store.transaction(async (tx) => {
          await fn(tx);
          throw new Error('disk I/O error at COMMIT');
        }, options),
    };
    const commits = new GroupCommit(failing);
    const results = await Promise.allSettled(ids.map((id) => commits.run((tx) => tx.parts.markSent(id, 'm', 2))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(['1', '2', '3'].map((c) => statusOf(reader, c))).toEqual(['pending', 'pending', 'pending']);
  });

  it('GIVEN maxBatch calls waiting THEN they commit at once, without waiting for the turn to end', async () => {
    const { store, reader, ids } = await stores(4);
    const commits = new GroupCommit(store, { maxBatch: 2 });
    const first = commits.run((tx) => tx.parts.markSent(ids[0] as number, 'a', 2));
    const second = commits.run((tx) => tx.parts.markSent(ids[1] as number, 'b', 2));
    const third = commits.run((tx) => tx.parts.markSent(ids[2] as number, 'c', 2));
    let turnEnded = false;
    setImmediate(() => (turnEnded = true));
    // Within this turn: the first two are committed, the third waits for the end of the turn.
    await Promise.all([first, second]);
    expect(turnEnded).toBe(false);
    expect(['1', '2', '3'].map((c) => statusOf(reader, c))).toEqual(['sent', 'sent', 'pending']);
    expect(commits.waiting).toBe(1);
    await third;
    expect(statusOf(reader, '3')).toBe('sent');
  });

  it('GIVEN a commit delay THEN the batch stays open that long, and hurry() closes the next ones at the end of the turn', async () => {
    const { store, reader, ids } = await stores(3);
    const sleeps: Array<{ ms: number; wake: () => void }> = [];
    const clock: Clock = { now: () => 0, sleep: (ms) => new Promise<void>((wake) => sleeps.push({ ms, wake })) };
    const commits = new GroupCommit(store, { delayMs: 5, clock });
    const first = commits.run((tx) => tx.parts.markSent(ids[0] as number, 'a', 2));
    const second = commits.run((tx) => tx.parts.markSent(ids[1] as number, 'b', 2));
    await new Promise((r) => setImmediate(r));
    expect(sleeps.map((s) => s.ms)).toEqual([5]);
    expect(statusOf(reader, '1')).toBe('pending');
    sleeps[0]?.wake();
    await Promise.all([first, second]);
    expect(['1', '2'].map((c) => statusOf(reader, c))).toEqual(['sent', 'sent']);
    commits.hurry();
    await commits.run((tx) => tx.parts.markSent(ids[2] as number, 'c', 2));
    expect(statusOf(reader, '3')).toBe('sent');
    expect(sleeps).toHaveLength(1);
  });

  it('GIVEN a full database that fails one call of a batch THEN the whole batch is rolled back and every caller rejected as unavailable, and the same calls commit once there is room', async () => {
    let cap: (pages: number | null) => void = () => undefined;
    const { store, reader, ids } = await stores(3, (path) => {
      const db = openDatabase(path);
      cap = (pages) => db.pragma(`max_page_count = ${pages ?? Number(db.pragma('page_count', { simple: true }))}`);
      return SqliteStore.of(db);
    });
    cap(null);
    // The second message id needs pages the capped file cannot have; the others fit where they are.
    const ids3 = ['a', 'x'.repeat(64_000), 'c'];
    const commits = new GroupCommit(store);
    const first = await Promise.allSettled(ids.map((id, i) => commits.run((tx) => tx.parts.markSent(id, ids3[i] as string, 2))));
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(first.every((r) => r.status === 'rejected' && isStoreUnavailable(r.reason))).toBe(true);
    expect(['1', '2', '3'].map((c) => statusOf(reader, c))).toEqual(['pending', 'pending', 'pending']);
    cap(1_073_741_823);
    await Promise.all(ids.map((id, i) => commits.run((tx) => tx.parts.markSent(id, ids3[i] as string, 2))));
    expect(['1', '2', '3'].map((c) => statusOf(reader, c))).toEqual(['sent', 'sent', 'sent']);
  });
});
