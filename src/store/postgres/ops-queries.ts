/** The operator's read-only questions on PostgreSQL: the SQL of ../ops-queries.ts in PostgreSQL's dialect. */
import type { PlatformName } from '../../platform.js';
import { toChatDelivery, toLeaseView, toSubscriptionGlance, type ChatDelivery, type OutboxGauge, type SubscriptionGlance } from '../ops-queries.js';
import type { OpsQueries } from '../port.js';
import type { Sql } from './sql.js';

export class PgOpsQueries implements OpsQueries {
  constructor(private readonly sql: Sql) {}

  async outbox(): Promise<OutboxGauge> {
    const { rows } = await this.sql.query<{ n: number; oldest: number | null }>(
      'ops.outbox',
      `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries WHERE status IN ('pending', 'sending')`,
    );
    return { unsent: rows[0]?.n ?? 0, oldestQueuedAt: rows[0]?.oldest ?? null };
  }

  async pausedCount(): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>('ops.paused', 'SELECT COUNT(*) AS n FROM subscriptions WHERE paused = 1');
    return rows[0]?.n ?? 0;
  }

  async subscriptions(limit: number): Promise<{ total: number; rows: SubscriptionGlance[] }> {
    const total = await this.sql.query<{ n: number }>('ops.subscriptions', 'SELECT COUNT(*) AS n FROM subscriptions');
    const { rows } = await this.sql.query<{ platform: string; chat_id: string; thread_id: string | null; schedule: string | null; timezone: string; paused: number; paused_reason: string | null }>(
      'ops.subscriptions',
      // Paused first: the rows an operator looks for are never cut.
      'SELECT platform, chat_id, thread_id, schedule, timezone, paused, paused_reason FROM subscriptions ORDER BY paused DESC, platform, chat_id LIMIT $1',
      [limit],
    );
    return {
      total: total.rows[0]?.n ?? 0,
      rows: rows.map(toSubscriptionGlance),
    };
  }

  async recentIssues(limit: number): Promise<string[]> {
    const { rows } = await this.sql.query<{ issue_id: string }>(
      'ops.recentIssues',
      'SELECT issue_id FROM deliveries GROUP BY issue_id ORDER BY issue_id DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => r.issue_id);
  }

  async deliveriesOf(issueId: string): Promise<ChatDelivery[]> {
    const { rows } = await this.sql.query<{ platform: string; chat_id: string; sent: number; unsent: number; failed: number; skipped: number; error: string | null; queued_at: number }>(
      'ops.deliveriesOf',
      `SELECT platform, chat_id,
         COUNT(*) FILTER (WHERE status = 'sent') AS sent, COUNT(*) FILTER (WHERE status IN ('pending', 'sending')) AS unsent,
         COUNT(*) FILTER (WHERE status = 'failed') AS failed, COUNT(*) FILTER (WHERE status = 'skipped') AS skipped,
         MAX(CASE WHEN status IN ('failed', 'skipped') THEN last_error END) AS error, MIN(created_at) AS queued_at
       FROM deliveries WHERE issue_id = $1 GROUP BY platform, chat_id ORDER BY platform, chat_id`,
      [issueId],
    );
    return rows.map((r) => toChatDelivery(r, issueId));
  }

  async lateChats(issueId: string, queuedBy: number): Promise<Array<{ platform: PlatformName; chatId: string; queuedAt: number }>> {
    const { rows } = await this.sql.query<{ platform: string; chat_id: string; queued_at: number }>(
      'ops.lateChats',
      `SELECT platform, chat_id, MIN(created_at) AS queued_at FROM deliveries
       WHERE issue_id = $1 AND status IN ('pending', 'sending') GROUP BY platform, chat_id HAVING MIN(created_at) <= $2`,
      [issueId, queuedBy],
    );
    return rows.map((r) => ({ platform: r.platform as PlatformName, chatId: r.chat_id, queuedAt: r.queued_at }));
  }

  async leases(now: number, limit: number): Promise<Array<{ platform: PlatformName; chatId: string; owner: string; heldMs: number; expiresInMs: number }>> {
    const { rows } = await this.sql.query<{ platform: string; chat_id: string; owner: string; acquired_at: number; expires_at: number }>(
      'ops.leases',
      'SELECT platform, chat_id, owner, acquired_at, expires_at FROM chat_leases WHERE expires_at > $1 ORDER BY acquired_at LIMIT $2',
      [now, limit],
    );
    return rows.map((r) => toLeaseView(r, now));
  }
}
