/**
 * Child process for the crash test: the real store, outbox and worker, sending through `HttpPort` to
 * the parent's fake platform. With NEWSBOT_SEED_CHATS=N it first subscribes N chats and broadcasts one
 * issue. Prints "done" once the outbox is empty, then stops cleanly.
 * With NEWSBOT_KILL_IN_COMMIT=K it SIGKILLs itself inside the K-th group commit that holds two or more
 * outcomes, after they were written and before COMMIT, first printing "killed in a commit of N
 * outcomes" on stderr.
 *   NEWSBOT_TEST_DB=… NEWSBOT_TEST_URL=http://127.0.0.1:PORT [NEWSBOT_SEED_CHATS=50] tsx test/fakes/crash-child.ts
 */
import { writeSync } from 'node:fs';
import { Delivery } from '../../src/delivery/delivery.js';
import { digestBuilder } from '../../src/digest/builder.js';
import { createLogger } from '../../src/log.js';
import { SqliteStore, type Store, type StoreTx } from '../../src/store/index.js';
import { HttpPort } from './http-port.js';
import { FakeIssueFeed } from './issue-feed.js';

const dbPath = process.env.NEWSBOT_TEST_DB;
const url = process.env.NEWSBOT_TEST_URL;
if (!dbPath || !url) throw new Error('NEWSBOT_TEST_DB and NEWSBOT_TEST_URL are required');

/** The real store; with NEWSBOT_KILL_IN_COMMIT, one whose process dies inside a group commit. */
function openStore(path: string): Store {
  const store = SqliteStore.open(path);
  const killAt = Number(process.env.NEWSBOT_KILL_IN_COMMIT ?? 0);
  if (!killAt) return store;
  let groups = 0;
  // A group commit is one transaction whose body opens a savepoint per outcome (tx.transaction).
  const transaction: Store['transaction'] = (fn, options) =>
    store.transaction(async (tx) => {
      let outcomes = 0;
      const counted: StoreTx = {
        ...tx,
        transaction: (inner) => {
          outcomes++;
          return tx.transaction(inner);
        },
      };
      const result = await fn(counted);
      if (outcomes >= 2 && ++groups === killAt) {
        writeSync(2, `killed in a commit of ${outcomes} outcomes\n`);
        process.kill(process.pid, 'SIGKILL');
      }
      return result;
    }, options);
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const service = new Delivery({
  store: openStore(dbPath),
  ownsStore: true,
  ports: [new HttpPort(url)],
  issues: new FakeIssueFeed(['20250101']),
  logger: createLogger({ level: 'warn', secrets: [] }),
  defaults: { schedule: 'off', timezone: 'UTC', mode: 'full', language: 'zh' },
  catchUpMaxAgeMs: 24 * 3_600_000,
  publishOnArrival: false,
  maxAttempts: 5,
  sendTimeoutMs: 10_000,
  rates: {},
  digests: digestBuilder(),
  concurrency: 8,
});

const seed = Number(process.env.NEWSBOT_SEED_CHATS ?? 0);
for (let i = 1; i <= seed; i++) await service.subscribe({ platform: 'telegram', chatId: String(1000 + i), threadId: null }, { by: 'test' });
if (seed > 0) await service.broadcast('20250101', { by: 'test' });

await service.start();
await service.idle();
process.stdout.write('done\n');
await service.stop();
await service.close();
