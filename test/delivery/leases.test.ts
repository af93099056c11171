/**
 * Chat leases in the worker: several workers (instances) on one store never send one chat at once,
 * a dead instance's chats are taken over once its leases lapse, and a worker that lost a lease stops
 * that chat. Real SQLite file, one connection per worker (as two processes would have), fake time.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { ChatLeases, ownerProcess } from '../../src/delivery/leases.js';
import { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { DEFAULT_RETRY } from '../../src/delivery/retry.js';
import { Worker } from '../../src/delivery/worker.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort, OutboundMessage } from '../../src/platform.js';
import { SqliteStore, type NewPart } from '../../src/store/index.js';
import { Delivery } from '../../src/delivery/delivery.js';
import { digestBuilder } from '../../src/digest/builder.js';
import { makeHarness, recordingLogger, tempDir, useFakeTime, type Harness } from '../fakes/delivery-harness.js';
import { RecordingPort } from '../fakes/recording-port.js';

const LEASE_MS = 60_000;
const ISSUE = '20250101';

/** One send as the shared platform saw it: which worker, which chat and part, when. */
interface Seen {
  worker: string;
  chatId: string;
  part: number;
  at: number;
}

/** A worker's port to one shared platform: every send is logged in `seen` and answered after `delayMs`. */
function portOf(worker: string, seen: Seen[], delayMs: number | ((chatId: string) => number)): DeliveryPort {
  let id = 0;
  return {
    platform: 'telegram',
    renderDigest: () => [],
    async send(chat: ChatRef, message: OutboundMessage): Promise<DeliveryOutcome> {
      seen.push({ worker, chatId: chat.chatId, part: Number(message.part), at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, typeof delayMs === 'number' ? delayMs : delayMs(chat.chatId)));
      return { kind: 'sent', messageId: `${worker}-${++id}` };
    },
  };
}

const partsOf = (chatId: string, n = 3): NewPart[] =>
  Array.from({ length: n }, (_, part) => ({ platform: 'telegram', chatId, threadId: null, issueId: ISSUE, partIndex: part, partCount: n, payload: { text: `${chatId}/${part}`, part } }));

describe('chat leases', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const stores: SqliteStore[] = [];
  const workers: Worker[] = [];
  afterEach(async () => {
    let stopped = false;
    const stopping = Promise.all(workers.splice(0).map((w) => w.stop())).then(() => (stopped = true));
    // Sends still hanging on fake time end as it moves.
    for (let i = 0; i < 600 && !stopped && vi.isFakeTimers(); i++) await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    for (const s of stores.splice(0)) await s.close();
    tmp?.cleanup();
    tmp = undefined;
    vi.useRealTimers();
  });

  /** A new connection to the test's database file. */
  function connect(): SqliteStore {
    tmp ??= tempDir();
    const store = SqliteStore.open(join(tmp.dir, 'newsbot.db'));
    stores.push(store);
    return store;
  }

  function worker(store: SqliteStore, owner: string, port: DeliveryPort, extra: { concurrency?: number; sendTimeoutMs?: number } = {}) {
    const { logger, lines } = recordingLogger();
    const w = new Worker({
      store,
      ports: new Map([['telegram', port]]),
      limiter: new RateLimiter({}, systemClock),
      retry: { ...DEFAULT_RETRY, maxAttempts: 3, random: () => 0.5 },
      clock: systemClock,
      logger,
      owner,
      leaseMs: LEASE_MS,
      concurrency: extra.concurrency ?? 4,
      ...(extra.sendTimeoutMs ? { sendTimeoutMs: extra.sendTimeoutMs } : {}),
    });
    workers.push(w);
    return { worker: w, lines };
  }

  /** Advances fake time in steps until `done()` or `maxMs` passed. */
  async function until(done: () => boolean, maxMs = 600_000, stepMs = 100): Promise<void> {
    for (let t = 0; t < maxMs && !done(); t += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
    if (!done()) throw new Error(`not done after ${maxMs} ms of fake time`);
  }

  it('GIVEN two workers with two owners on one SQLite file (two connections) WHEN they send 40 chats × 3 parts THEN every part is sent exactly once, each chat in order, both share the work, and no lease is left', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    const a = connect();
    const b = connect();
    const chats = Array.from({ length: 40 }, (_, i) => String(100 + i));
    await a.transaction(async (tx) => {
      for (const id of chats) await tx.parts.insertParts(partsOf(id), Date.now());
    });
    const seen: Seen[] = [];
    // Sends take a while and differ by chat, so both workers have chats in flight at once.
    const delay = (chatId: string) => 20 + (Number(chatId) % 7) * 15;
    worker(a, 'host-a:101:aaaa', portOf('A', seen, delay)).worker.start();
    worker(b, 'host-b:202:bbbb', portOf('B', seen, delay)).worker.start();
    await until(() => seen.length >= chats.length * 3);
    await vi.advanceTimersByTimeAsync(2_000);

    expect(seen).toHaveLength(chats.length * 3);
    for (const id of chats) expect(seen.filter((s) => s.chatId === id).map((s) => s.part)).toEqual([0, 1, 2]);
    const byWorker = (w: string) => new Set(seen.filter((s) => s.worker === w).map((s) => s.chatId)).size;
    expect(byWorker('A')).toBeGreaterThan(0);
    expect(byWorker('B')).toBeGreaterThan(0);
    // One chat, one sender at a time: no chat's sends interleave between the two workers.
    for (const id of chats) {
      const senders = seen.filter((s) => s.chatId === id).map((s) => s.worker);
      expect(senders.join('')).toMatch(/^(A+B*|B+A*)$/);
    }
    expect(await a.parts.statusCounts()).toMatchObject({ sent: chats.length * 3, pending: 0 });
    expect(await a.ops.leases(Date.now(), 100)).toEqual([]);
  });

  it('GIVEN a chat leased by an instance that died WHEN a worker starts THEN it takes the chat over only once the lease has lapsed, and sends each part once', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    const store = connect();
    await store.transaction((tx) => tx.parts.insertParts(partsOf('7'), Date.now()));
    const leasedAt = Date.now();
    // The dead instance ran on another host: nothing here can tell it is gone but its lease's age.
    expect(await store.parts.claimChat({ platform: 'telegram', chatId: '7' }, 'other-host:4242:dead', leasedAt, leasedAt + LEASE_MS)).toBe(true);
    const seen: Seen[] = [];
    worker(store, 'host-a:101:aaaa', portOf('A', seen, 10)).worker.start();

    await vi.advanceTimersByTimeAsync(LEASE_MS - 1_000);
    expect(seen).toEqual([]);
    await until(() => seen.length >= 3, 60_000);
    expect(seen.map((s) => s.part)).toEqual([0, 1, 2]);
    // Taken over after the lease's end, within the worker's recheck (a tenth of the lease, at least 1 s).
    const first = (seen[0] as Seen).at;
    expect(first).toBeGreaterThanOrEqual(leasedAt + LEASE_MS);
    expect(first).toBeLessThanOrEqual(leasedAt + LEASE_MS + LEASE_MS / 10 + 1_000);
  });

  it('GIVEN another instance took a chat while this worker was sending to it (as after a stall past the lease) THEN the send is still recorded, the worker stops that chat at once and says so', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    const store = connect();
    await store.transaction((tx) => tx.parts.insertParts(partsOf('9'), Date.now()));
    const seen: Seen[] = [];
    const { worker: w, lines } = worker(store, 'host-a:101:aaaa', portOf('A', seen, 5_000));
    w.start();
    await until(() => seen.length === 1);
    // What another instance does once this one's lease has lapsed: the lease is its own now.
    const raw = new Database(join((tmp as { dir: string }).dir, 'newsbot.db'));
    raw.prepare("UPDATE chat_leases SET owner = 'other-host:4242:live', acquired_at = ?, expires_at = ? WHERE chat_id = '9'").run(Date.now(), Date.now() + LEASE_MS);
    raw.close();
    await vi.advanceTimersByTimeAsync(20_000);

    expect(seen.map((s) => s.part)).toEqual([0]);
    expect((await store.parts.forChat('telegram', '9')).map((p) => p.status)).toEqual(['sent', 'pending', 'pending']);
    expect(lines().filter((l) => String(l.msg).includes("lease was lost"))).toMatchObject([{ chatId: '9', owner: 'host-a:101:aaaa', level: 40 }]);
    expect((await store.ops.leases(Date.now(), 10)).map((l) => l.owner)).toEqual(['other-host:4242:live']);
  });

  it('GIVEN another instance took a chat while this worker was sending to it WHEN the send failed THEN nothing of it is recorded (the part is the new sender\'s to send) and the worker stops that chat', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    const store = connect();
    await store.transaction((tx) => tx.parts.insertParts(partsOf('9'), Date.now()));
    const before = await store.parts.forChat('telegram', '9');
    let calls = 0;
    const failing: DeliveryPort = {
      platform: 'telegram',
      renderDigest: () => [],
      send: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return { kind: 'transient', reason: '502 Bad Gateway' };
      },
    };
    const { worker: w, lines } = worker(store, 'host-a:101:aaaa', failing);
    w.start();
    await until(() => calls === 1);
    const raw = new Database(join((tmp as { dir: string }).dir, 'newsbot.db'));
    raw.prepare("UPDATE chat_leases SET owner = 'other-host:4242:live', acquired_at = ?, expires_at = ? WHERE chat_id = '9'").run(Date.now(), Date.now() + LEASE_MS);
    raw.close();
    await vi.advanceTimersByTimeAsync(20_000);

    expect(calls).toBe(1);
    expect(await store.parts.forChat('telegram', '9')).toEqual(before);
    expect(lines().filter((l) => String(l.msg).includes('lease was lost'))).toHaveLength(1);
  });

  it('GIVEN leases of a process of this host that no longer runs, of a live one and of another host THEN only the dead local one is freed at start', async () => {
    const store = connect();
    const now = Date.now();
    const lease = (chatId: string, owner: string) => store.parts.claimChat({ platform: 'telegram', chatId }, owner, now, now + LEASE_MS);
    await lease('1', 'box:111:dead');
    await lease('2', 'box:222:live');
    await lease('3', 'elsewhere:111:dead');
    const { logger } = recordingLogger();
    const leases = new ChatLeases({ store, clock: systemClock, logger, owner: 'box:333:self', leaseMs: LEASE_MS });
    expect(await leases.freeDeadLocal((pid) => pid !== 111, 'box')).toBe(1);
    expect((await store.ops.leases(now, 10)).map((l) => l.chatId).sort()).toEqual(['2', '3']);
    expect(ownerProcess('a:b:12:x')).toEqual({ host: 'a:b', pid: 12 });
    expect(ownerProcess('no-pid-here')).toBeNull();
  });
});

describe('newsbot deliver beside a running bot', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    let closed = false;
    const closing = h?.close().then(() => (closed = true));
    for (let i = 0; i < 600 && closing && !closed; i++) await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    h = undefined;
    vi.useRealTimers();
  });

  it('GIVEN the bot sending a chat WHEN `newsbot deliver` queues another issue for it THEN deliver sends nothing while the bot holds the chat, the bot sends every part once in order, and deliver answers once all are sent', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    h.feed.add('20250102');
    const bot = h.port;
    let calls = 0;
    bot.always('5', async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { kind: 'sent', messageId: 'bot' };
    });
    await h.service.subscribe({ platform: 'telegram', chatId: '5', threadId: null }, { by: 'telegram:1' });
    await h.service.start();
    await h.service.deliverNow('20250101', { platform: 'telegram', chatId: '5', threadId: null });
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(1);

    // Another connection, as the `newsbot deliver` process has.
    const cli = new RecordingPort('telegram');
    const { logger } = recordingLogger();
    const deliver = new Delivery({
      store: SqliteStore.open(h.dbPath),
      ownsStore: true,
      ports: [cli],
      issues: h.feed,
      logger,
      defaults: { schedule: 'off', timezone: 'UTC', mode: 'full', language: 'zh' },
      catchUpMaxAgeMs: 0,
      publishOnArrival: false,
      maxAttempts: 3,
      sendTimeoutMs: 30_000,
      rates: {},
      digests: digestBuilder(),
    });
    let answered: Awaited<ReturnType<Delivery['sendNow']>> | null = null;
    const sending = deliver.sendNow('20250102', { platform: 'telegram', chatId: '5', threadId: null }).then((r) => (answered = r));
    for (let t = 0; t < 60_000 && !answered; t += 250) await vi.advanceTimersByTimeAsync(250);
    await sending;
    await deliver.close();

    expect(cli.sends).toEqual([]);
    expect(bot.delivered('5')).toEqual(['20250101#0', '20250101#1', '20250101#2', '20250102#0', '20250102#1', '20250102#2']);
    expect(answered).toMatchObject({ issueId: '20250102', parts: 3 });
    expect(answered!.states.map((p) => p.status)).toEqual(['sent', 'sent', 'sent']);
  });
});
