/** Subscriptions: which chat gets the newsletter, when, how, and whether it is paused. */
import type { DigestMode } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import type { PlatformName } from '../platform.js';
import { guard, type Db } from './db.js';

export interface Subscription {
  id: number;
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
  /** Normalised 5-field cron, or null when the schedule is off (broadcasts still arrive). */
  schedule: string | null;
  timezone: string;
  mode: DigestMode;
  language: Language;
  paused: boolean;
  pausedReason: string | null;
  /** Epoch ms of the latest scheduled run already handled; catch-up only owes runs after it. */
  lastSlotAt: number;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

/** The settings a subscription carries. */
export interface SubscriptionSettings {
  threadId: string | null;
  schedule: string | null;
  timezone: string;
  mode: DigestMode;
  language: Language;
}

/** A subscription row as either store returns it (columns as in migrations.ts). */
export interface SubscriptionRow {
  id: number;
  platform: string;
  chat_id: string;
  thread_id: string | null;
  schedule: string | null;
  timezone: string;
  mode: string;
  language: string;
  paused: number;
  paused_reason: string | null;
  last_slot_at: number;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
}

/** A subscription from its row (shared by both stores). */
export const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id,
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  threadId: r.thread_id,
  schedule: r.schedule,
  timezone: r.timezone,
  mode: r.mode as DigestMode,
  language: r.language as Language,
  paused: r.paused !== 0,
  pausedReason: r.paused_reason,
  lastSlotAt: r.last_slot_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

export class SubscriptionRepo {
  readonly #s;

  constructor(db: Db) {
    this.#s = {
      get: db.prepare<[string, string], SubscriptionRow>('SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ?'),
      all: db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions ORDER BY platform, chat_id'),
      active: db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions WHERE paused = 0 ORDER BY id'),
      byPair: db.prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE paused = 0 AND schedule = ? AND timezone = ? ORDER BY id',
      ),
      pairs: db.prepare<[], { schedule: string; timezone: string }>(
        'SELECT DISTINCT schedule, timezone FROM subscriptions WHERE paused = 0 AND schedule IS NOT NULL ORDER BY schedule, timezone',
      ),
      insert: db.prepare(
        `INSERT INTO subscriptions (platform, chat_id, thread_id, schedule, timezone, mode, language, paused, paused_reason,
           last_slot_at, created_by, created_at, updated_by, updated_at)
         VALUES (@platform, @chatId, @threadId, @schedule, @timezone, @mode, @language, 0, NULL, @now, @by, @now, @by, @now)`,
      ),
      update: db.prepare(
        `UPDATE subscriptions SET thread_id = @threadId, schedule = @schedule, timezone = @timezone, mode = @mode,
           language = @language, paused = 0, paused_reason = NULL, last_slot_at = @lastSlotAt, updated_by = @by, updated_at = @now
         WHERE platform = @platform AND chat_id = @chatId`,
      ),
      delete: db.prepare<[string, string]>('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ?'),
      pause: db.prepare<[string, number, string, string]>(
        'UPDATE subscriptions SET paused = 1, paused_reason = ?, updated_at = ?, updated_by = \'newsbot\' WHERE platform = ? AND chat_id = ?',
      ),
      move: db.prepare<[string, number, string, string]>(
        'UPDATE subscriptions SET chat_id = ?, updated_at = ?, updated_by = \'newsbot\' WHERE platform = ? AND chat_id = ?',
      ),
      slot: db.prepare<[number, number, number]>('UPDATE subscriptions SET last_slot_at = ? WHERE id = ? AND last_slot_at < ?'),
    };
  }

  get(platform: PlatformName, chatId: string): Subscription | null {
    const row = guard('subscriptions.get', () => this.#s.get.get(platform, chatId));
    return row ? toSubscription(row) : null;
  }

  list(): Subscription[] {
    return guard('subscriptions.list', () => this.#s.all.all().map(toSubscription));
  }

  /** Subscriptions that are not paused. */
  active(): Subscription[] {
    return guard('subscriptions.active', () => this.#s.active.all().map(toSubscription));
  }

  /** Active subscriptions on one (schedule, time zone) pair. */
  onSchedule(schedule: string, timezone: string): Subscription[] {
    return guard('subscriptions.onSchedule', () => this.#s.byPair.all(schedule, timezone).map(toSubscription));
  }

  /** The distinct (schedule, time zone) pairs of active subscriptions: one cron task each. */
  schedulePairs(): Array<{ schedule: string; timezone: string }> {
    return guard('subscriptions.pairs', () => this.#s.pairs.all());
  }

  insert(platform: PlatformName, chatId: string, settings: SubscriptionSettings, by: string, now: number): Subscription {
    return guard('subscriptions.insert', () => {
      this.#s.insert.run({ platform, chatId, ...settings, by, now });
      return this.get(platform, chatId) as Subscription;
    });
  }

  /** Replaces the settings and clears any pause (re-subscribing resumes a paused chat). */
  update(platform: PlatformName, chatId: string, settings: SubscriptionSettings, lastSlotAt: number, by: string, now: number): Subscription {
    return guard('subscriptions.update', () => {
      this.#s.update.run({ platform, chatId, ...settings, lastSlotAt, by, now });
      return this.get(platform, chatId) as Subscription;
    });
  }

  delete(platform: PlatformName, chatId: string): boolean {
    return guard('subscriptions.delete', () => this.#s.delete.run(platform, chatId).changes > 0);
  }

  pause(platform: PlatformName, chatId: string, reason: string, now: number): boolean {
    return guard('subscriptions.pause', () => this.#s.pause.run(reason, now, platform, chatId).changes > 0);
  }

  /**
   * Moves a subscription to a new chat id (a Telegram group upgraded to a supergroup). When the new
   * id already has its own subscription, that one wins and the old one is removed.
   */
  move(platform: PlatformName, fromChatId: string, toChatId: string, now: number): void {
    guard('subscriptions.move', () => {
      if (this.#s.get.get(platform, toChatId)) this.#s.delete.run(platform, fromChatId);
      else this.#s.move.run(toChatId, now, platform, fromChatId);
    });
  }

  /** Records that the run at `slot` was handled (never moves backwards); true when this call moved it. */
  markSlot(id: number, slot: number): boolean {
    return guard('subscriptions.markSlot', () => this.#s.slot.run(slot, id, slot).changes > 0);
  }
}
