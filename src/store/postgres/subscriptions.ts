/** Subscriptions on PostgreSQL: the SQL of ../subscriptions.ts in PostgreSQL's dialect. */
import type { PlatformName } from '../../platform.js';
import type { Subscriptions } from '../port.js';
import { toSubscription, type Subscription, type SubscriptionRow, type SubscriptionSettings } from '../subscriptions.js';
import type { Sql } from './sql.js';

export class PgSubscriptions implements Subscriptions {
  constructor(private readonly sql: Sql) {}

  async get(platform: PlatformName, chatId: string): Promise<Subscription | null> {
    const { rows } = await this.sql.query<SubscriptionRow>('subscriptions.get', 'SELECT * FROM subscriptions WHERE platform = $1 AND chat_id = $2', [platform, chatId]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async list(): Promise<Subscription[]> {
    const { rows } = await this.sql.query<SubscriptionRow>('subscriptions.list', 'SELECT * FROM subscriptions ORDER BY platform, chat_id');
    return rows.map(toSubscription);
  }

  async active(): Promise<Subscription[]> {
    const { rows } = await this.sql.query<SubscriptionRow>('subscriptions.active', 'SELECT * FROM subscriptions WHERE paused = 0 ORDER BY id');
    return rows.map(toSubscription);
  }

  async onSchedule(schedule: string, timezone: string): Promise<Subscription[]> {
    const { rows } = await this.sql.query<SubscriptionRow>(
      'subscriptions.onSchedule',
      'SELECT * FROM subscriptions WHERE paused = 0 AND schedule = $1 AND timezone = $2 ORDER BY id',
      [schedule, timezone],
    );
    return rows.map(toSubscription);
  }

  async schedulePairs(): Promise<Array<{ schedule: string; timezone: string }>> {
    const { rows } = await this.sql.query<{ schedule: string; timezone: string }>(
      'subscriptions.pairs',
      // "C": the same order as SQLite's binary comparison.
      'SELECT DISTINCT schedule COLLATE "C" AS schedule, timezone COLLATE "C" AS timezone FROM subscriptions WHERE paused = 0 AND schedule IS NOT NULL ORDER BY 1, 2',
    );
    return rows;
  }

  async insert(platform: PlatformName, chatId: string, settings: SubscriptionSettings, by: string, now: number): Promise<Subscription> {
    const { rows } = await this.sql.query<SubscriptionRow>(
      'subscriptions.insert',
      `INSERT INTO subscriptions (platform, chat_id, thread_id, schedule, timezone, mode, language, paused, paused_reason,
         last_slot_at, created_by, created_at, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, NULL, $9, $8, $9, $8, $9) RETURNING *`,
      [platform, chatId, settings.threadId, settings.schedule, settings.timezone, settings.mode, settings.language, by, now],
    );
    return toSubscription(rows[0] as SubscriptionRow);
  }

  async update(platform: PlatformName, chatId: string, settings: SubscriptionSettings, lastSlotAt: number, by: string, now: number): Promise<Subscription> {
    const { rows } = await this.sql.query<SubscriptionRow>(
      'subscriptions.update',
      `UPDATE subscriptions SET thread_id = $3, schedule = $4, timezone = $5, mode = $6, language = $7, paused = 0, paused_reason = NULL,
         last_slot_at = $8, updated_by = $9, updated_at = $10
       WHERE platform = $1 AND chat_id = $2 RETURNING *`,
      [platform, chatId, settings.threadId, settings.schedule, settings.timezone, settings.mode, settings.language, lastSlotAt, by, now],
    );
    // Like the SQLite store: null (typed as a subscription) when there was none to update.
    return (rows[0] ? toSubscription(rows[0]) : null) as Subscription;
  }

  async delete(platform: PlatformName, chatId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('subscriptions.delete', 'DELETE FROM subscriptions WHERE platform = $1 AND chat_id = $2', [platform, chatId]);
    return rowCount > 0;
  }

  async pause(platform: PlatformName, chatId: string, reason: string, now: number): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      'subscriptions.pause',
      `UPDATE subscriptions SET paused = 1, paused_reason = $1, updated_at = $2, updated_by = 'newsbot' WHERE platform = $3 AND chat_id = $4`,
      [reason, now, platform, chatId],
    );
    return rowCount > 0;
  }

  /** When the new id already has its own subscription, that one wins and the old one is removed. */
  async move(platform: PlatformName, fromChatId: string, toChatId: string, now: number): Promise<void> {
    if (await this.get(platform, toChatId)) await this.delete(platform, fromChatId);
    else {
      await this.sql.query(
        'subscriptions.move',
        `UPDATE subscriptions SET chat_id = $1, updated_at = $2, updated_by = 'newsbot' WHERE platform = $3 AND chat_id = $4`,
        [toChatId, now, platform, fromChatId],
      );
    }
  }

  /** Compare-and-set on the row: of two instances firing one run, only the first moves it. */
  async markSlot(id: number, slot: number): Promise<boolean> {
    const { rowCount } = await this.sql.query('subscriptions.markSlot', 'UPDATE subscriptions SET last_slot_at = $1 WHERE id = $2 AND last_slot_at < $1', [slot, id]);
    return rowCount > 0;
  }
}
