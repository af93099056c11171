import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/delivery/group-commit.js';
import { HoldingCommit } from '../../src/delivery/holding-commit.js';
import { SqliteStore, type StoreTx } from '../../src/store/index.js';
import { recordingLogger, tempDir } from '../fakes/delivery-harness.js';

const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };

describe('holding commit', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    tmp?.cleanup();
  });

  /** A store locked by another connection, and a HoldingCommit whose sleeps the test ends by hand. */
  function setup() {
    tmp = tempDir();
    const path = join(tmp.dir, 'db.sqlite');
    const store = SqliteStore.open(path);
    const other = new Database(path);
    open.push(store, other);
    other.exec('BEGIN EXCLUSIVE');
    const sleeps: Array<{ ms: number; wake: () => void }> = [];
    const stop = new AbortController();
    const { logger, lines } = recordingLogger();
    let released = 0;
    const holding = new HoldingCommit({
      commits: new GroupCommit(store),
      clock: {
        sleep: (ms, signal) =>
          new Promise<void>((wake) => {
            sleeps.push({ ms, wake });
            signal?.addEventListener('abort', () => wake(), { once: true });
          }),
      },
      logger,
      random: () => 0.5,
      backoff: { baseMs: 20, maxMs: 5_000 },
      stop: stop.signal,
      onReleased: () => released++,
    });
    const write = (tx: StoreTx) => tx.subscriptions.insert('telegram', '1', settings, 'telegram:9', 1);
    const where = { platform: 'telegram' as const, chatId: '1', issueId: '20250101', part: 0 };
    /** Lets the pending commit attempt run and fail, then returns the sleep it asked for. */
    const nextSleep = async () => {
      const before = sleeps.length;
      for (let i = 0; i < 20 && sleeps.length === before; i++) await new Promise((r) => setImmediate(r));
      return sleeps[sleeps.length - 1];
    };
    return { store, other, holding, sleeps, stop, lines, write, where, nextSleep, released: () => released };
  }

  it('GIVEN a locked store THEN the chat is held, its waits grow on the injected clock up to the cap, and it goes on (effects run once) when the lock is gone', async () => {
    const { store, other, holding, write, where, nextSleep, lines, released } = setup();
    let effects = 0;
    const done = holding.commit('telegram\u00001', 'the outcome of part 1/3 of issue 20250101', where, (tx, later) => {
      later(() => effects++);
      return write(tx);
    });
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sleep = await nextSleep();
      expect(holding.holding).toBe(true);
      waits.push(sleep!.ms);
      sleep!.wake();
    }
    // Full jitter at 0.5 of a ceiling doubling from 20 ms, never under 20 ms, capped at 5 s.
    expect(waits).toEqual([20, 20, 40, 80, 160, 320, 640, 1280, 2500, 2500]);
    expect(effects).toBe(0);
    other.exec('COMMIT');
    await nextSleep().then((s) => s!.wake());
    expect(await done).toMatchObject({ value: { chatId: '1' } });
    expect(holding.holding).toBe(false);
    expect(released()).toBe(1);
    expect(effects).toBe(1);
    expect(await store.subscriptions.get('telegram', '1')).not.toBeNull();
    // Logged at attempts 1, 2, 4, 8, with the chat and SQLite's code; then that it went on.
    const failed = lines().filter((l) => l.family === 'delivery');
    expect(failed.map((l) => l.attempt)).toEqual([1, 2, 4, 8]);
    expect(failed[0]).toMatchObject({ platform: 'telegram', chatId: '1', issueId: '20250101', part: 0, code: 'SQLITE_BUSY' });
    expect(lines().some((l) => String(l.msg).includes('committed after 11 attempts'))).toBe(true);
  });

  it('GIVEN a held chat WHEN the worker stops THEN the write gets one last try, resolves null and says the part may go again at the next start', async () => {
    const { holding, stop, write, where, nextSleep, lines } = setup();
    const done = holding.commit('telegram\u00001', 'the outcome of part 1/3 of issue 20250101', where, write);
    await nextSleep();
    stop.abort();
    expect(await done).toBeNull();
    expect(holding.holding).toBe(false);
    const last = lines().filter((l) => l.family === 'delivery').at(-1);
    expect(last).toMatchObject({ chatId: '1', attempt: 2 });
    expect(String(last?.msg)).toContain('stopping without it');
  });
});
