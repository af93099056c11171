/**
 * One chat's run in the worker (worker.ts has the promises it keeps): its due parts in order, one at
 * a time, each outcome committed (and the chat's lease renewed with it) before the next send. The
 * run ends when nothing more is due, the chat waits, its lease is lost or the worker stops, and gives
 * the lease back: in its last commit when it can, else on its own.
 */
import type { Clock } from '../clock.js';
import { reportError, type Logger } from '../log.js';
import type { ChatRef, DeliveryPort, PlatformName } from '../platform.js';
import type { ChatId, Part, Store, StoreTx } from '../store/index.js';
import type { Deadlines } from './deadlines.js';
import type { HoldingCommit } from './holding-commit.js';
import type { ChatLeases } from './leases.js';
import { observeOutcome, recordOutcome, type OutcomeDeps, type Step } from './outcomes.js';
import type { RateLimiter } from './rate-limiter.js';
import { sendPart } from './send.js';

/** What a run uses: the worker's parts. */
export interface RunnerContext extends OutcomeDeps {
  store: Store;
  ports: ReadonlyMap<PlatformName, DeliveryPort>;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  holding: HoldingCommit;
  leases: ChatLeases;
  deadlines: Deadlines;
  /** Aborted when the worker stops. */
  stop: AbortSignal;
}

/** A chat leased to this worker, with when its lease was taken. */
export interface Claimed extends ChatId {
  at: number;
}

/** What one outcome's commit decided. */
interface Committed {
  step: Step;
  /** False when the lease was found lost: the chat stops at once. */
  kept: boolean;
  /** The chat's next part (read in the same transaction), or null when the run ends. */
  next: Part | null;
  /** The chat's id from now on (a migrated chat's new one). */
  chatId: string;
}

export const chatKey = (platform: string, chatId: string) => `${platform}\u0000${chatId}`;

/**
 * Runs `claimed` until it ends. `moveTo` reserves a migrated chat's new id among the worker's
 * running chats (false: another runner of ours has it).
 */
export async function runChat(c: RunnerContext, claimed: Claimed, moveTo: (to: string) => boolean): Promise<void> {
  const { store, clock, ports, limiter, logger, leases } = c;
  const { platform } = claimed;
  let chatId = claimed.chatId;
  /** When the lease was last taken or renewed; null once given back or lost. */
  let leasedAt: number | null = claimed.at;
  try {
    let head = await store.parts.head(platform, chatId);
    while (!c.stop.aborted && leasedAt !== null) {
      const port = ports.get(platform);
      if (!head || !port) return;
      const key = chatKey(platform, chatId);
      const lease = { platform, chatId };
      const where = { platform, chatId, issueId: head.issueId, part: head.partIndex };
      const what = `part ${head.partIndex + 1}/${head.partCount} of issue ${head.issueId}`;
      if (head.nextAttemptAt > clock.now()) {
        // Keep "a chat is due when its head is" true even if rows were edited by hand.
        const early = head;
        const held = await c.holding.commit(key, `the hold of ${what}`, where, async (tx) => {
          await tx.parts.retryAt(early, early.nextAttemptAt, early.lastError ?? '', false, clock.now());
          await leases.release(lease, tx);
        });
        if (held) leasedAt = null;
        return;
      }
      const chat: ChatRef = { platform, chatId, threadId: head.threadId };
      if (!(await limiter.acquire(chat, c.stop))) return;
      // A long wait (rate limits, a claim queued behind busy runners) may have run the lease down.
      if (clock.now() - leasedAt >= leases.renewAfterMs) {
        const renewed = await c.holding.commit(key, `the lease of ${what}`, where, (tx) => leases.renew(tx, lease));
        if (!renewed) return;
        if (!renewed.value) {
          leasedAt = lost(c, lease);
          return;
        }
        leasedAt = clock.now();
      }
      // From here the send runs to completion and its outcome is recorded, even when stopping.
      const sent = head;
      const outcome = await sendPart(port, chat, sent, c.deadlines, logger);
      // Resolves once committed (the chat held until then); its next part is read in the same transaction.
      const done = await c.holding.commit(key, `the outcome of ${what}`, where, (tx, later) =>
        commitOutcome(c, tx, { ...sent, attempts: sent.attempts + 1 }, outcome, later),
      );
      if (!done) return;
      const { step, kept, next } = done.value;
      if (!kept) {
        leasedAt = lost(c, lease);
        return;
      }
      if (!next) {
        // Given back in that commit.
        leasedAt = null;
        return;
      }
      leasedAt = clock.now();
      if (step.next === 'move') {
        if (!moveTo(done.value.chatId)) {
          // Another runner of ours has the new id (and its lease) and sends these parts.
          leasedAt = null;
          return;
        }
        chatId = done.value.chatId;
      }
      head = next;
    }
  } catch (err) {
    // A read failed (writes are held in HoldingCommit): nothing was sent since the last commit, so
    // the chat starts over from its committed head on a later pass.
    reportError(logger, err, { platform, chatId });
    await clock.sleep(1_000, c.stop);
  } finally {
    if (leasedAt !== null) await leases.release({ platform, chatId });
  }
}

/**
 * The lease's renewal, the outcome's writes and the next part's read, in one transaction. A
 * migrated chat's lease follows its parts to the new id; a run that ends gives its lease back here.
 * With the lease lost, only a delivered part is recorded (its message id): any other outcome would
 * put back in line or hold a part the chat's new sender may already have sent.
 */
async function commitOutcome(
  c: RunnerContext,
  tx: StoreTx,
  head: Part,
  outcome: Parameters<typeof recordOutcome>[3],
  later: Parameters<typeof recordOutcome>[4],
): Promise<Committed> {
  const { leases } = c;
  const { platform } = head;
  const lease = { platform, chatId: head.chatId };
  if (outcome.kind === 'sent') {
    // The common path, one store call (one round trip on PostgreSQL); the same writes as below.
    const now = c.clock.now();
    const { kept, next } = await tx.parts.recordSent(head, outcome.messageId, now, leases.owner, leases.until(now));
    observeOutcome(c, head, outcome, later ?? ((effect) => effect()));
    return { step: kept ? { next: 'continue' } : { next: 'stop' }, kept, next, chatId: head.chatId };
  }
  if (!(await leases.renew(tx, lease))) {
    return { step: { next: 'stop' }, kept: false, next: null, chatId: head.chatId };
  }
  const step = await recordOutcome(c, tx, head, outcome, later);
  let chatId = head.chatId;
  if (step.next === 'move') {
    await leases.release(lease, tx);
    if (!(await leases.claimOne({ platform, chatId: step.chatId }, tx))) return { step, kept: true, next: null, chatId: step.chatId };
    chatId = step.chatId;
  }
  const next = step.next === 'stop' ? null : await tx.parts.head(platform, chatId);
  if (!next) await leases.release({ platform, chatId }, tx);
  return { step, kept: true, next, chatId };
}

/** The lease lapsed and another took the chat (this instance stalled past it): the chat stops now. */
function lost(c: RunnerContext, chat: ChatId): null {
  c.logger.warn({ ...chat, owner: c.leases.owner }, "outbox: the chat's lease was lost (this instance stalled past it and another took it); this instance stops sending it");
  return null;
}
