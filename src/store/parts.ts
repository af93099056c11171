/**
 * The outbox parts: one per (chat, issue, part index), pointing at its rendered message in `payloads`. A
 * chat's unsent parts share one "not before" time (`next_attempt_at` of every unsent part is at least
 * its head's), so "is this chat due" is MIN(next_attempt_at) and a later part can never overtake an
 * earlier one.
 *
 * A part stays 'pending' while it is being sent; its outcome (sent with the message id, retry, failed,
 * skipped) is written with the attempt it counts, in one statement. 'sending' is only found in
 * databases written by an older newsbot, which marked a part before sending it; `recoverInterrupted`
 * puts such rows back in line.
 */
import type { OutboundMessage, PlatformName } from '../platform.js';
import { guard, type Db } from './db.js';
import { toPart, type Part, type PartState, type NewPart, type Row } from './part-rows.js';
import { PayloadRepo } from './payloads.js';

export type { Part, PartState, NewPart } from './part-rows.js';

const UNSENT = `status IN ('pending', 'sending')`;
const CHAT = 'platform = @platform AND chat_id = @chatId';
/** Digest parts; alert parts (readers.ts) have negative indexes and do not mean the chat has the issue. */
const DIGEST = 'part_index >= 0';

export class PartRepo {
  readonly #s;
  readonly #payloads: PayloadRepo;

  constructor(db: Db) {
    this.#payloads = new PayloadRepo(db);
    this.#s = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO deliveries (platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id, status,
           attempts, next_attempt_at, created_at, updated_at)
         VALUES (@platform, @chatId, @threadId, @issueId, @partIndex, @partCount, @payloadId, 'pending', 0, @notBefore, @now, @now)`,
      ),
      reopen: db.prepare(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = @notBefore, last_error = NULL, updated_at = @now
         WHERE ${CHAT} AND issue_id = @issueId AND status IN ('failed', 'skipped')`,
      ),
      notBefore: db.prepare<{ platform: string; chatId: string }, { t: number | null }>(
        // Pinned: left alone, SQLite reads MAX(next_attempt_at) off deliveries_due, scanning the whole platform.
        `SELECT MAX(next_attempt_at) AS t FROM deliveries INDEXED BY deliveries_unsent WHERE ${CHAT} AND ${UNSENT}`,
      ),
      hasIssue: db.prepare<{ platform: string; chatId: string; issueId: string }, { n: number }>(
        `SELECT COUNT(*) AS n FROM deliveries WHERE ${CHAT} AND issue_id = @issueId AND ${DIGEST}`,
      ),
      latestIssue: db.prepare<{ platform: string; chatId: string }, { id: string | null }>(
        // Ids order by length, then text: numbered ids ("99" before "375") as well as dates.
        `SELECT issue_id AS id FROM deliveries WHERE ${CHAT} AND ${DIGEST} ORDER BY length(issue_id) DESC, issue_id DESC LIMIT 1`,
      ),
      latestIssueUpTo: db.prepare<{ platform: string; chatId: string; upTo: string }, { id: string | null }>(
        `SELECT issue_id AS id FROM deliveries WHERE ${CHAT} AND (length(issue_id) < length(@upTo) OR (length(issue_id) = length(@upTo) AND issue_id <= @upTo)) AND ${DIGEST}
         ORDER BY length(issue_id) DESC, issue_id DESC LIMIT 1`,
      ),
      head: db.prepare<{ platform: string; chatId: string }, Row>(
        `SELECT * FROM deliveries WHERE ${CHAT} AND ${UNSENT} ORDER BY length(issue_id), issue_id, part_index LIMIT 1`,
      ),
      // A chat is due when any unsent row is (its head's time is the smallest); walks the index in time order.
      dueChats: db.prepare<{ platform: string; now: number; limit: number }, { chat_id: string }>(
        `SELECT DISTINCT chat_id FROM (SELECT chat_id FROM deliveries INDEXED BY deliveries_due
           WHERE ${UNSENT} AND platform = @platform AND next_attempt_at <= @now ORDER BY next_attempt_at)
         LIMIT @limit`,
      ),
      nextDue: db.prepare<{ platform: string; now: number }, { t: number | null }>(
        `SELECT MIN(next_attempt_at) AS t FROM deliveries INDEXED BY deliveries_due
         WHERE ${UNSENT} AND platform = @platform AND next_attempt_at > @now`,
      ),
      sent: db.prepare<{ id: number; messageId: string; now: number }>(
        `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, message_id = @messageId, last_error = NULL, sent_at = @now,
           updated_at = @now
         WHERE id = @id`,
      ),
      retry: db.prepare<{ id: number; error: string; counted: number; now: number }>(
        `UPDATE deliveries SET status = 'pending', last_error = @error, attempts = attempts + @counted, updated_at = @now WHERE id = @id`,
      ),
      holdChat: db.prepare<{ platform: string; chatId: string; at: number }>(
        `UPDATE deliveries SET next_attempt_at = MAX(next_attempt_at, @at) WHERE ${CHAT} AND ${UNSENT}`,
      ),
      finish: db.prepare<{ id: number; status: string; error: string; now: number }>(
        `UPDATE deliveries SET status = @status, attempts = attempts + 1, last_error = @error, updated_at = @now WHERE id = @id`,
      ),
      skipChat: db.prepare<{ platform: string; chatId: string; error: string; now: number }>(
        `UPDATE deliveries SET status = 'skipped', last_error = @error, updated_at = @now WHERE ${CHAT} AND ${UNSENT}`,
      ),
      move: db.prepare<{ platform: string; chatId: string; toChatId: string; now: number }>(
        `UPDATE OR IGNORE deliveries SET chat_id = @toChatId, updated_at = @now WHERE ${CHAT}`,
      ),
      recover: db.prepare<{ now: number }>(`UPDATE deliveries SET status = 'pending', updated_at = @now WHERE status = 'sending'`),
      forIssue: db.prepare<[string], Row>('SELECT * FROM deliveries WHERE issue_id = ? ORDER BY platform, chat_id, part_index'),
      forChat: db.prepare<{ platform: string; chatId: string }, Row>(
        `SELECT * FROM deliveries WHERE ${CHAT} ORDER BY length(issue_id), issue_id, part_index`,
      ),
      forChatIssue: db.prepare<{ platform: string; chatId: string; issueId: string }, Row>(
        `SELECT * FROM deliveries WHERE ${CHAT} AND issue_id = @issueId ORDER BY part_index`,
      ),
      failures: db.prepare<{ platform: string; chatId: string; limit: number }, Row>(
        `SELECT * FROM deliveries WHERE ${CHAT} AND status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT @limit`,
      ),
      unsentCount: db.prepare<{ platform: string; chatId: string }, { n: number }>(
        `SELECT COUNT(*) AS n FROM deliveries WHERE ${CHAT} AND ${UNSENT}`,
      ),
      counts: db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status'),
      // Takes the lease when it is free, expired or already ours; `changes` says whether it did.
      claim: db.prepare<{ platform: string; chatId: string; owner: string; now: number; until: number }>(
        `INSERT INTO chat_leases (platform, chat_id, owner, acquired_at, expires_at) VALUES (@platform, @chatId, @owner, @now, @until)
         ON CONFLICT (platform, chat_id) DO UPDATE SET
           acquired_at = CASE WHEN chat_leases.owner = excluded.owner THEN chat_leases.acquired_at ELSE excluded.acquired_at END,
           owner = excluded.owner, expires_at = excluded.expires_at
         WHERE chat_leases.owner = excluded.owner OR chat_leases.expires_at <= @now`,
      ),
      renew: db.prepare<{ platform: string; chatId: string; owner: string; now: number; until: number }>(
        `UPDATE chat_leases SET expires_at = @until WHERE platform = @platform AND chat_id = @chatId AND owner = @owner AND expires_at > @now`,
      ),
      release: db.prepare<{ platform: string; chatId: string; owner: string }>(
        `DELETE FROM chat_leases WHERE platform = @platform AND chat_id = @chatId AND owner = @owner`,
      ),
    };
  }

  /**
   * Stores rendered messages once each and returns their ids for `NewPart.payloadId`: render once,
   * save once, insert for every chat. Call in the transaction that inserts the parts.
   */
  savePayloads(messages: readonly OutboundMessage[]): number[] {
    return this.#payloads.save(messages);
  }

  /**
   * Inserts a chat's parts of one issue; rows that exist are left alone (the unique key makes this
   * idempotent). New rows wait behind the chat's unsent rows. Returns how many rows were new.
   * Call inside a transaction so all parts land together.
   */
  insertParts(parts: readonly NewPart[], now: number): number {
    return guard('deliveries.insertParts', () => {
      let inserted = 0;
      let chat = '';
      let notBefore = now;
      for (const p of parts) {
        const payloadId = 'payloadId' in p ? p.payloadId : (this.#payloads.save([p.payload])[0] as number);
        // New rows of one chat wait behind the same unsent rows: look once per chat.
        if (`${p.platform}\u0000${p.chatId}` !== chat) {
          chat = `${p.platform}\u0000${p.chatId}`;
          notBefore = this.#notBefore(p.platform, p.chatId, now);
        }
        const { platform, chatId, threadId, issueId, partIndex, partCount } = p;
        inserted += this.#s.insert.run({ platform, chatId, threadId, issueId, partIndex, partCount, payloadId, notBefore, now }).changes;
      }
      return inserted;
    });
  }

  /** Puts an issue's failed and skipped parts for a chat back in line (an explicit resend). */
  reopen(platform: PlatformName, chatId: string, issueId: string, now: number): number {
    return guard('deliveries.reopen', () => {
      const notBefore = this.#notBefore(platform, chatId, now);
      return this.#s.reopen.run({ platform, chatId, issueId, notBefore, now }).changes;
    });
  }

  #notBefore(platform: string, chatId: string, now: number): number {
    return Math.max(now, this.#s.notBefore.get({ platform, chatId })?.t ?? now);
  }

  hasIssue(platform: PlatformName, chatId: string, issueId: string): boolean {
    return guard('deliveries.hasIssue', () => (this.#s.hasIssue.get({ platform, chatId, issueId })?.n ?? 0) > 0);
  }

  /** The newest issue id this chat has any row for (sent or not), or null. */
  latestIssue(platform: PlatformName, chatId: string): string | null {
    return guard('deliveries.latestIssue', () => this.#s.latestIssue.get({ platform, chatId })?.id ?? null);
  }

  /** The newest issue id up to `upTo` (inclusive) this chat has any row for, or null: the scheduler ignores ids after today. */
  latestIssueUpTo(platform: PlatformName, chatId: string, upTo: string): string | null {
    return guard('deliveries.latestIssueUpTo', () => this.#s.latestIssueUpTo.get({ platform, chatId, upTo })?.id ?? null);
  }

  /** The chat's next part to send: its oldest unsent part. */
  head(platform: PlatformName, chatId: string): Part | null {
    const row = guard('deliveries.head', () => this.#s.head.get({ platform, chatId }));
    return row ? this.#toPart(row) : null;
  }

  /** Chats with unsent parts due by `now`, earliest first within a platform, platforms taking turns. */
  dueChats(platforms: readonly PlatformName[], now: number, limit: number): Array<{ platform: PlatformName; chatId: string }> {
    return guard('deliveries.dueChats', () => {
      const lists = platforms.map((platform) => this.#s.dueChats.all({ platform, now, limit }).map((r) => ({ platform, chatId: r.chat_id })));
      const out: Array<{ platform: PlatformName; chatId: string }> = [];
      for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
        for (const list of lists) if (i < list.length && out.length < limit) out.push(list[i] as (typeof out)[number]);
      }
      return out;
    });
  }

  /**
   * The earliest time after `now` at which some chat may become due, or null: the earliest unsent
   * row after `now`. Never later than the exact answer (a chat's head is its earliest row), so the
   * worker never oversleeps; if a due chat holds later rows, it merely looks once too early.
   */
  nextDueAfter(platforms: readonly PlatformName[], now: number): number | null {
    return guard('deliveries.nextDue', () => {
      const times = platforms.map((platform) => this.#s.nextDue.get({ platform, now })?.t ?? null).filter((t): t is number => t !== null);
      return times.length > 0 ? Math.min(...times) : null;
    });
  }

  /** Marks a part sent together with its platform message id, counting the attempt: one statement. */
  markSent(id: number, messageId: string, now: number): void {
    guard('deliveries.markSent', () => this.#s.sent.run({ id, messageId, now }));
  }

  /**
   * Puts a part back in line and holds the whole chat until `at`. `attempted` counts a failed attempt
   * (false for a 429, which is the platform's pacing, not a failure of the part).
   */
  retryAt(record: Part, at: number, error: string, attempted: boolean, now: number): void {
    guard('deliveries.retryAt', () => {
      this.#s.retry.run({ id: record.id, error, counted: attempted ? 1 : 0, now });
      this.#s.holdChat.run({ platform: record.platform, chatId: record.chatId, at });
    });
  }

  /** Final state for one part after an attempt (counted). */
  finish(id: number, status: 'failed' | 'skipped', error: string, now: number): void {
    guard('deliveries.finish', () => this.#s.finish.run({ id, status, error, now }));
  }

  /** Skips every unsent part of a chat. Returns how many. */
  skipChat(platform: PlatformName, chatId: string, reason: string, now: number): number {
    return guard('deliveries.skipChat', () => this.#s.skipChat.run({ platform, chatId, error: reason, now }).changes);
  }

  /**
   * Moves a chat's whole history to its new id (a Telegram group keeps its messages when it becomes
   * a supergroup, so what was sent before still counts); unsent parts the new id already has are skipped.
   */
  moveChat(platform: PlatformName, chatId: string, toChatId: string, now: number): number {
    return guard('deliveries.moveChat', () => {
      const moved = this.#s.move.run({ platform, chatId, toChatId, now }).changes;
      this.#s.skipChat.run({ platform, chatId, error: `already queued for ${toChatId}`, now });
      return moved;
    });
  }

  /** At start: parts an older newsbot left in 'sending' (its crash window) go back in line. */
  recoverInterrupted(now: number): number {
    return guard('deliveries.recover', () => this.#s.recover.run({ now }).changes);
  }

  forIssue(issueId: string): Part[] {
    return guard('deliveries.forIssue', () => this.#s.forIssue.all(issueId).map(this.#toPart));
  }

  /** Every row of a chat, oldest issue first. */
  forChat(platform: PlatformName, chatId: string): Part[] {
    return guard('deliveries.forChat', () => this.#s.forChat.all({ platform, chatId }).map(this.#toPart));
  }

  forChatIssue(platform: PlatformName, chatId: string, issueId: string): Part[] {
    return guard('deliveries.forChatIssue', () => this.#s.forChatIssue.all({ platform, chatId, issueId }).map(this.#toPart));
  }

  /** The chat's most recent failed parts, newest first. */
  failures(platform: PlatformName, chatId: string, limit = 5): Part[] {
    return guard('deliveries.failures', () => this.#s.failures.all({ platform, chatId, limit }).map(this.#toPart));
  }

  unsentCount(platform: PlatformName, chatId: string): number {
    return guard('deliveries.unsentCount', () => this.#s.unsentCount.get({ platform, chatId })?.n ?? 0);
  }

  /**
   * Leases due chats to `owner` until `until`: those whose lease is free, expired or already its own.
   * One process at a time writes SQLite, so a due chat read here cannot be claimed by another in between.
   */
  claimChats(platforms: readonly PlatformName[], now: number, limit: number, owner: string, until: number): Array<{ platform: PlatformName; chatId: string }> {
    return guard('deliveries.claimChats', () => {
      const out: Array<{ platform: PlatformName; chatId: string }> = [];
      // Chats leased to others are skipped, so look further than `limit` for free ones.
      for (const chat of this.dueChats(platforms, now, limit * 2 + 64)) {
        if (out.length >= limit) break;
        if (this.#s.claim.run({ ...chat, owner, now, until }).changes > 0) out.push(chat);
      }
      return out;
    });
  }

  /** Leases one chat to `owner` when its lease is free, expired or already its own; false when another holds it. */
  claimChat(chat: { platform: PlatformName; chatId: string }, owner: string, now: number, until: number): boolean {
    return guard('deliveries.claimChat', () => this.#s.claim.run({ ...chat, owner, now, until }).changes > 0);
  }

  /** Extends `owner`'s lease on a chat; false when it no longer holds it. */
  renewChat(chat: { platform: PlatformName; chatId: string }, owner: string, now: number, until: number): boolean {
    return guard('deliveries.renewChat', () => this.#s.renew.run({ ...chat, owner, now, until }).changes > 0);
  }

  /** Gives a chat's lease back. */
  releaseChat(chat: { platform: PlatformName; chatId: string }, owner: string): void {
    guard('deliveries.releaseChat', () => this.#s.release.run({ ...chat, owner }));
  }

  /** See `Parts.recordSent` in port.ts: the same calls, one after the other (cheap on SQLite). */
  recordSent(part: Pick<Part, 'id' | 'platform' | 'chatId'>, messageId: string, now: number, owner: string, until: number): { kept: boolean; next: Part | null } {
    const chat = { platform: part.platform, chatId: part.chatId };
    const kept = this.renewChat(chat, owner, now, until);
    this.markSent(part.id, messageId, now);
    if (!kept) return { kept, next: null };
    const next = this.head(part.platform, part.chatId);
    if (!next) this.releaseChat(chat, owner);
    return { kept, next };
  }

  readonly #toPart = (r: Row): Part => toPart(r, this.#payloads.get(r.payload_id));

  /** Rows per status across the outbox. */
  statusCounts(): Record<PartState, number> {
    const out: Record<PartState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
    for (const r of guard('deliveries.counts', () => this.#s.counts.all())) out[r.status as PartState] = r.n;
    return out;
  }
}
