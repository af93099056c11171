/**
 * Read-only questions the operator's side asks the store (metrics at scrape time, the status page,
 * owner alerts). Each is one indexed query; none writes.
 */
import type { PlatformName } from '../platform.js';
import { guard, type Db } from './db.js';
import type { Cluster, OpsQueries } from './port.js';

/** The outbox at a glance. */
export interface OutboxGauge {
  /** Parts not sent yet (pending, or left sending by an older newsbot). */
  unsent: number;
  /** When the oldest of them was queued (epoch ms), or null when none waits. */
  oldestQueuedAt: number | null;
}

/** One chat's parts of one issue, by state. */
export interface ChatDelivery {
  platform: PlatformName;
  chatId: string;
  issueId: string;
  sent: number;
  unsent: number;
  failed: number;
  skipped: number;
  /** The last error of a failed or skipped part, else of a part being retried. */
  error: string | null;
  /** When its first part was queued (epoch ms). */
  queuedAt: number;
}

/** A subscription as the status page lists it. */
export interface SubscriptionGlance {
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
  schedule: string | null;
  timezone: string;
  paused: boolean;
  pausedReason: string | null;
}

/** What the operator's side (metrics, status page, owner alerts) may see of a store: whether it is open, and the read-only questions. */
export interface OpsView {
  readonly isOpen: boolean;
  readonly ops: OpsQueries;
  /** Instances and their roles when the store is shared (PostgreSQL), else null. */
  readonly cluster: Pick<Cluster, 'instance' | 'members'> | null;
}

/** One chat's tally of an issue as both stores' queries name its columns. */
export interface ChatDeliveryRow {
  platform: string;
  chat_id: string;
  sent: number;
  unsent: number;
  failed: number;
  skipped: number;
  error: string | null;
  queued_at: number;
}

/** A `ChatDelivery` from its row (SQLite and PostgreSQL alike). */
export const toChatDelivery = (r: ChatDeliveryRow, issueId: string): ChatDelivery => ({
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  issueId,
  sent: r.sent,
  unsent: r.unsent,
  failed: r.failed,
  skipped: r.skipped,
  error: r.error,
  queuedAt: r.queued_at,
});

/** A subscription as the status page lists it, from its row (SQLite and PostgreSQL alike). */
export const toSubscriptionGlance = (r: { platform: string; chat_id: string; thread_id: string | null; schedule: string | null; timezone: string; paused: number; paused_reason: string | null }): SubscriptionGlance => ({
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  threadId: r.thread_id,
  schedule: r.schedule,
  timezone: r.timezone,
  paused: r.paused === 1,
  pausedReason: r.paused_reason,
});

/** A lease as the status page shows it, from its row and the time asked. */
export const toLeaseView = (r: { platform: string; chat_id: string; owner: string; acquired_at: number; expires_at: number }, now: number) => ({
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  owner: r.owner,
  heldMs: now - r.acquired_at,
  expiresInMs: r.expires_at - now,
});

/** The SQLite answers to `OpsQueries`. */
export class OpsQueryRepo {
  readonly #s;

  constructor(db: Db) {
    this.#s = {
      outbox: db.prepare<[], { n: number; oldest: number | null }>(
        `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries INDEXED BY deliveries_unsent WHERE status IN ('pending', 'sending')`,
      ),
      paused: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM subscriptions WHERE paused = 1`),
      subscriptionCount: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM subscriptions`),
      // Paused first: the rows an operator looks for are never cut.
      subscriptions: db.prepare<[number], { platform: string; chat_id: string; thread_id: string | null; schedule: string | null; timezone: string; paused: number; paused_reason: string | null }>(
        `SELECT platform, chat_id, thread_id, schedule, timezone, paused, paused_reason FROM subscriptions ORDER BY paused DESC, platform, chat_id LIMIT ?`,
      ),
      recentIssues: db.prepare<[number], { issue_id: string }>(`SELECT DISTINCT issue_id FROM deliveries ORDER BY issue_id DESC LIMIT ?`),
      byChat: db.prepare<[string], { platform: string; chat_id: string; sent: number; unsent: number; failed: number; skipped: number; error: string | null; queued_at: number }>(
        `SELECT platform, chat_id,
           SUM(status = 'sent') AS sent, SUM(status IN ('pending', 'sending')) AS unsent,
           SUM(status = 'failed') AS failed, SUM(status = 'skipped') AS skipped,
           MAX(CASE WHEN status IN ('failed', 'skipped') THEN last_error END) AS error, MIN(created_at) AS queued_at
         FROM deliveries INDEXED BY deliveries_issue WHERE issue_id = ? GROUP BY platform, chat_id ORDER BY platform, chat_id`,
      ),
      lateChats: db.prepare<[string, number], { platform: string; chat_id: string; queued_at: number }>(
        `SELECT platform, chat_id, MIN(created_at) AS queued_at FROM deliveries INDEXED BY deliveries_issue
         WHERE issue_id = ? AND status IN ('pending', 'sending') GROUP BY platform, chat_id HAVING MIN(created_at) <= ?`,
      ),
      leases: db.prepare<[number, number], { platform: string; chat_id: string; owner: string; acquired_at: number; expires_at: number }>(
        `SELECT platform, chat_id, owner, acquired_at, expires_at FROM chat_leases WHERE expires_at > ? ORDER BY acquired_at LIMIT ?`,
      ),
    };
  }

  outbox(): OutboxGauge {
    const row = guard('ops.outbox', () => this.#s.outbox.get());
    return { unsent: row?.n ?? 0, oldestQueuedAt: row?.oldest ?? null };
  }

  pausedCount(): number {
    return guard('ops.paused', () => this.#s.paused.get()?.n ?? 0);
  }

  /** The first `limit` subscriptions, paused first, and how many there are. */
  subscriptions(limit: number): { total: number; rows: SubscriptionGlance[] } {
    return guard('ops.subscriptions', () => ({
      total: this.#s.subscriptionCount.get()?.n ?? 0,
      rows: this.#s.subscriptions.all(limit).map(toSubscriptionGlance),
    }));
  }

  /** The newest issue ids the outbox holds, newest first. */
  recentIssues(limit: number): string[] {
    return guard('ops.recentIssues', () => this.#s.recentIssues.all(limit).map((r) => r.issue_id));
  }

  /** Each chat's parts of `issueId`, by state. */
  deliveriesOf(issueId: string): ChatDelivery[] {
    return guard('ops.deliveriesOf', () => this.#s.byChat.all(issueId).map((r) => toChatDelivery(r, issueId)));
  }

  /** Chats with parts of `issueId` queued at or before `queuedBy` (epoch ms) and still unsent. */
  lateChats(issueId: string, queuedBy: number): Array<{ platform: PlatformName; chatId: string; queuedAt: number }> {
    return guard('ops.lateChats', () =>
      this.#s.lateChats.all(issueId, queuedBy).map((r) => ({ platform: r.platform as PlatformName, chatId: r.chat_id, queuedAt: r.queued_at })),
    );
  }

  /** Chat leases held at `now`, oldest first. */
  leases(now: number, limit: number): Array<{ platform: PlatformName; chatId: string; owner: string; heldMs: number; expiresInMs: number }> {
    return guard('ops.leases', () => this.#s.leases.all(now, limit).map((r) => toLeaseView(r, now)));
  }
}
