import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRef, DeliveryOutcome } from '../../src/platform.js';
import { SqliteStore } from '../../src/store/index.js';
import { makeHarness, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';

const chat = (chatId: string, threadId: string | null = null): ChatRef => ({ platform: 'telegram', chatId, threadId });
const BY = 'telegram:1';

describe('outbox worker', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN a broadcast to three chats THEN each chat gets every part once, in order, each recorded sent with its message id', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    for (const id of ['1', '2', '3']) await h.service.subscribe(chat(id), { by: BY });
    await h.service.start();
    const queued = await h.service.broadcast('20250101', { by: BY });
    expect(queued).toMatchObject({ chats: 3, parts: 9 });
    await settle(h.service);
    for (const id of ['1', '2', '3']) {
      expect(h.port.delivered(id)).toEqual(['20250101#0', '20250101#1', '20250101#2']);
      const rows = await h.store.parts.forChatIssue('telegram', id, '20250101');
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      const ids = h.port.attempts(id).map((s) => (s.outcome.kind === 'sent' ? s.outcome.messageId : null));
      expect(rows.map((r) => r.messageId)).toEqual(ids);
    }
    // A second broadcast of the same issue sends nothing more.
    expect(await h.service.broadcast('20250101', { by: BY })).toMatchObject({ chats: 0, parts: 0 });
    await settle(h.service);
    expect(h.port.sends).toHaveLength(9);
  });

  it('GIVEN a 429 with retry_after THEN the same part is retried after that wait and the order is kept', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('7'), { by: BY });
    h.port.script('7', { kind: 'sent', messageId: 'a' }, { kind: 'rate_limited', retryAfterMs: 5_000, reason: 'Too Many Requests: retry after 5' });
    await h.service.start();
    await h.service.deliverNow('20250101', chat('7'));
    await settle(h.service);
    const attempts = h.port.attempts('7');
    expect(attempts.map((s) => `${String(s.message.part)}:${s.outcome.kind}`)).toEqual(['0:sent', '1:rate_limited', '1:sent', '2:sent']);
    expect((attempts[2] as { at: number }).at - (attempts[1] as { at: number }).at).toBeGreaterThanOrEqual(5_000);
    const part1 = (await h.store.parts.forChatIssue('telegram', '7', '20250101'))[1];
    // A 429 is pacing, not a failed attempt.
    expect(part1).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('GIVEN a part that keeps failing with 5xx THEN it is retried with backoff up to MAX_ATTEMPTS, then failed, logged and shown in status, and the next parts still go', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness({ maxAttempts: 3, random: () => 0.99 });
    await h.service.subscribe(chat('9'), { by: BY });
    const bad = { kind: 'transient', reason: '502 Bad Gateway' } as const;
    h.port.script('9', bad, bad, bad);
    await h.service.start();
    await h.service.deliverNow('20250101', chat('9'));
    await settle(h.service);
    const attempts = h.port.attempts('9');
    expect(attempts.map((s) => `${String(s.message.part)}:${s.outcome.kind}`)).toEqual(['0:transient', '0:transient', '0:transient', '1:sent', '2:sent']);
    // Full-jitter backoff with random 0.99: just under 2 s, then just under 4 s.
    const gaps = [1, 2].map((i) => (attempts[i] as { at: number }).at - (attempts[i - 1] as { at: number }).at);
    expect(gaps[0]).toBeGreaterThanOrEqual(1_900);
    expect(gaps[1]).toBeGreaterThanOrEqual(3_900);
    const status = await h.service.status(chat('9'));
    expect(status.lastDelivery?.parts.map((p) => p.status)).toEqual(['failed', 'sent', 'sent']);
    expect(status.failures).toHaveLength(1);
    expect(status.failures[0]).toMatchObject({ partIndex: 0, attempts: 3, lastError: '502 Bad Gateway' });
    const logged = h.logLines().filter((l) => l.family === 'delivery' && String(l.msg).includes('failed after 3 attempts'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ chatId: '9', issueId: '20250101', level: 40 });
  });

  it('GIVEN a chat that blocked the bot THEN its subscription is paused with the reason, its other parts skipped, and /subscribe resumes it', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('5'), { by: BY });
    await h.service.subscribe(chat('6'), { by: BY });
    h.port.script('5', { kind: 'gone', reason: 'Forbidden: bot was blocked by the user' });
    await h.service.start();
    await h.service.broadcast('20250101', { by: BY });
    await settle(h.service);
    expect(h.port.attempts('5')).toHaveLength(1);
    expect(h.port.delivered('6')).toHaveLength(3);
    const status = await h.service.status(chat('5'));
    expect(status.subscription).toMatchObject({ paused: true, pausedReason: 'Forbidden: bot was blocked by the user' });
    expect(status.lastDelivery?.parts.map((p) => p.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(status.nextRun).toBeNull();
    // Paused chats are left out of broadcasts…
    h.feed.add('20250102');
    expect(await h.service.broadcast('20250102', { by: BY })).toMatchObject({ chats: 1 });
    // …until an admin subscribes again.
    const again = await h.service.subscribe(chat('5'), { by: BY });
    expect(again).toMatchObject({ resumed: true, created: false, subscription: { paused: false, pausedReason: null } });
    expect(await h.service.broadcast('20250102', { by: BY })).toMatchObject({ chats: 1, parts: 3 });
    await settle(h.service);
    expect(h.port.delivered('5')).toEqual(['20250102#0', '20250102#1', '20250102#2']);
  });

  it('GIVEN a group upgraded to a supergroup mid-issue THEN the subscription moves to the new id and the remaining parts go there', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('-100', '42'), { by: BY, mode: 'compact' });
    h.port.script('-100', { kind: 'sent', messageId: 'x1' }, { kind: 'migrated', toChatId: '-1009', reason: 'group chat was upgraded to a supergroup chat' });
    await h.service.start();
    await h.service.deliverNow('20250101', chat('-100', '42'));
    await settle(h.service);
    expect(h.port.delivered('-100')).toEqual(['20250101#0']);
    expect(h.port.delivered('-1009')).toEqual(['20250101#1', '20250101#2']);
    expect(h.port.attempts('-1009').every((s) => s.chat.threadId === '42')).toBe(true);
    expect(await h.store.subscriptions.get('telegram', '-100')).toBeNull();
    expect(await h.store.subscriptions.get('telegram', '-1009')).toMatchObject({ mode: 'compact', threadId: '42', paused: false });
    // The history moves with the chat (the supergroup keeps the group's messages).
    expect((await h.store.parts.forChatIssue('telegram', '-1009', '20250101')).map((r) => [r.partIndex, r.status, r.messageId])).toEqual([
      [0, 'sent', 'x1'],
      [1, 'sent', 'm1'],
      [2, 'sent', 'm2'],
    ]);
    // The new id has this issue: a broadcast does not send it again.
    expect(await h.service.broadcast('20250101', { by: BY })).toMatchObject({ parts: 0 });
  });

  it('GIVEN a part an older newsbot left in sending at a crash THEN the next start sends it again, then the rest', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('3'), { by: BY });
    await h.service.deliverNow('20250101', chat('3'));
    const [first] = await h.store.parts.forChatIssue('telegram', '3', '20250101');
    const raw = new Database(h.dbPath);
    raw.prepare("UPDATE deliveries SET status = 'sending', attempts = 1 WHERE id = ?").run((first as { id: number }).id);
    raw.close();
    await h.service.start();
    await settle(h.service);
    expect(h.port.delivered('3')).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    expect(h.logLines().some((l) => l.parts === 1 && String(l.msg).includes('interrupted'))).toBe(true);
  });

  it('GIVEN many chats sending at once THEN no chat sends its next part before its previous outcome is committed, as another connection sees it', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness({ concurrency: 8 });
    // Synchronous reads on a connection of its own, from inside the port's send.
    const reader = SqliteStore.open(h.dbPath);
    const early: string[] = [];
    const chats = Array.from({ length: 20 }, (_, i) => String(500 + i));
    for (const id of chats) {
      await h.service.subscribe(chat(id), { by: BY });
      h.port.always(id, (message) => {
        // Committed rows only: outcomes still waiting in a group commit do not show here.
        const before = reader.repos.parts.forChatIssue('telegram', id, '20250101').filter((r) => r.partIndex < Number(message.part));
        if (!before.every((r) => r.status === 'sent' && r.messageId === `${id}/${r.partIndex}`)) early.push(`${id}#${String(message.part)}`);
        return { kind: 'sent', messageId: `${id}/${String(message.part)}` };
      });
    }
    await h.service.start();
    await h.service.broadcast('20250101', { by: BY });
    await settle(h.service);
    await reader.close();
    expect(h.port.sends).toHaveLength(60);
    expect(early).toEqual([]);
    for (const id of chats) expect(h.port.delivered(id)).toEqual(['20250101#0', '20250101#1', '20250101#2']);
  });

  it('GIVEN a send that never answers THEN after SEND_TIMEOUT it counts as a failed attempt and the part is sent again; its late answer changes nothing', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness({ sendTimeoutMs: 10_000, random: () => 0 });
    let answerLate: (outcome: DeliveryOutcome) => void = () => undefined;
    h.port.script('12', () => new Promise<DeliveryOutcome>((resolve) => (answerLate = resolve)));
    await h.service.subscribe(chat('12'), { by: BY });
    await h.service.start();
    await h.service.deliverNow('20250101', chat('12'));
    await settle(h.service);
    expect(h.port.delivered('12')).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    const timedOut = h.logLines().find((l) => String(l.msg).includes('transient failure'));
    expect(timedOut).toMatchObject({ chatId: '12', part: 0, reason: 'no answer within 10000 ms' });
    const rows = async () => (await h.store.parts.forChatIssue('telegram', '12', '20250101')).map((r) => [r.status, r.attempts, r.messageId]);
    const settled = await rows();
    expect(settled[0]).toEqual(['sent', 2, 'm1']);
    answerLate({ kind: 'sent', messageId: 'late' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await rows()).toEqual(settled);
  });

  it('GIVEN a send that never answers THEN the signal the port got aborts at SEND_TIMEOUT with the reason, and no answered send is aborted', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness({ sendTimeoutMs: 10_000, random: () => 0 });
    const signals: AbortSignal[] = [];
    let abortedAfter: number | null = null;
    const started = Date.now();
    // Like a real port: it drops its request when the signal fires and answers transient.
    h.port.script('13', (_message, { signal }) => {
      if (signal) signals.push(signal);
      return new Promise<DeliveryOutcome>((resolve) =>
        signal?.addEventListener('abort', () => {
          abortedAfter = Date.now() - started;
          resolve({ kind: 'transient', reason: 'aborted' });
        }),
      );
    });
    h.port.always('13', (_message, { signal }) => {
      if (signal) signals.push(signal);
      return { kind: 'sent', messageId: `ok${signals.length}` };
    });
    await h.service.subscribe(chat('13'), { by: BY });
    await h.service.start();
    await h.service.deliverNow('20250101', chat('13'));
    await settle(h.service);
    expect(signals).toHaveLength(4);
    expect(signals.map((s) => s.aborted)).toEqual([true, false, false, false]);
    expect(String((signals[0]?.reason as Error).message)).toBe('no answer within 10000 ms');
    expect(abortedAfter).toBe(10_000);
    expect((await h.store.parts.forChatIssue('telegram', '13', '20250101')).map((r) => [r.status, r.attempts, r.messageId])).toEqual([
      ['sent', 2, 'ok2'],
      ['sent', 1, 'ok3'],
      ['sent', 1, 'ok4'],
    ]);
  });

  it('GIVEN a send in flight WHEN the service stops THEN the send finishes and its outcome is recorded before stop resolves', async () => {
    useFakeTime('2025-01-01T09:00:00Z');
    h = makeHarness();
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    h.port.script('4', async () => {
      await held;
      return { kind: 'sent', messageId: 'late' };
    });
    await h.service.subscribe(chat('4'), { by: BY });
    await h.service.start();
    await h.service.deliverNow('20250101', chat('4'));
    await vi.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = h.service.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    // Nothing is written before a send: a part in flight is still pending.
    const rowsWhileHeld = await h.store.parts.forChatIssue('telegram', '4', '20250101');
    expect(rowsWhileHeld.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    release();
    await stopping;
    expect(h.port.sends).toHaveLength(1);
    // The store is closed by stop; reopen to read what was committed.
    const store = SqliteStore.open(h.dbPath);
    expect((await store.parts.forChatIssue('telegram', '4', '20250101')).map((r) => [r.status, r.messageId])).toEqual([
      ['sent', 'late'],
      ['pending', null],
      ['pending', null],
    ]);
    await store.close();
  });
});
