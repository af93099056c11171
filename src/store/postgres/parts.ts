/**
 * The outbox parts on PostgreSQL: the rules and SQL of ../parts.ts (read its header) in PostgreSQL's
 * dialect. Inserts go in batches (one statement per few thousand parts, not one per part: a broadcast
 * to 10,000 chats is 30,000 rows). Leases are in leases.ts.
 */
import type { OutboundMessage, PlatformName } from '../../platform.js';
import type { ChatId, Parts, SentRecord } from '../port.js';
import { toPart, type NewPart, type Part, type PartState, type Row } from '../part-rows.js';
import { claimChat, claimChats, releaseChat, renewChat } from './leases.js';
import { PgPayloads, type PayloadCache } from './payloads.js';
import type { QueueStats } from './queue-stats.js';
import type { Sql } from './sql.js';

const UNSENT = `status IN ('pending', 'sending')`;
const CHAT = 'platform = $1 AND chat_id = $2';
/** Digest parts; alert parts have negative indexes and do not mean the chat has the issue. */
const DIGEST = 'part_index >= 0';
/** Ids order by length, then text: numbered ids ("99" before "375") as well as dates. */
const ISSUE_ORDER = 'length(issue_id), issue_id';
/** Rows per insert statement. */
const BATCH = 2_000;

export class PgParts implements Parts {
  readonly #sql: Sql;
  readonly #payloads: PgPayloads;

  readonly #stats: QueueStats;

  constructor(sql: Sql, cache: PayloadCache, stats: QueueStats) {
    this.#sql = sql;
    this.#stats = stats;
    this.#payloads = new PgPayloads(sql, cache);
  }

  savePayloads(messages: readonly OutboundMessage[]): Promise<number[]> {
    return this.#payloads.save(messages);
  }

  /**
   * Inserts parts (existing rows left alone). New rows of a chat wait behind its unsent rows: each
   * gets the later of `now` and the chat's latest unsent time, read in the same statement, once per
   * chat. `+ 0` keeps the planner off its MAX-by-backward-index-scan on deliveries_due, which walks
   * the whole platform's queue for each chat (as SQLite's, pinned off it with INDEXED BY): the chat's
   * few unsent rows come from deliveries_unsent instead.
   */
  async insertParts(parts: readonly NewPart[], now: number): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < parts.length; start += BATCH) {
      const batch = parts.slice(start, start + BATCH);
      const cols = { platform: [] as string[], chat: [] as string[], thread: [] as Array<string | null>, issue: [] as string[], index: [] as number[], count: [] as number[], payload: [] as number[] };
      for (const p of batch) {
        cols.platform.push(p.platform);
        cols.chat.push(p.chatId);
        cols.thread.push(p.threadId);
        cols.issue.push(p.issueId);
        cols.index.push(p.partIndex);
        cols.count.push(p.partCount);
        cols.payload.push('payloadId' in p ? p.payloadId : ((await this.#payloads.save([p.payload]))[0] as number));
      }
      const { rowCount } = await this.#sql.query(
        'deliveries.insertParts',
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::bigint[])
             AS t(platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id)),
         chats AS MATERIALIZED (
           SELECT c.platform, c.chat_id, GREATEST($8::bigint, (SELECT MAX(d.next_attempt_at + 0) FROM deliveries d
               WHERE d.platform = c.platform AND d.chat_id = c.chat_id AND d.status IN ('pending', 'sending'))) AS not_before
           FROM (SELECT DISTINCT platform, chat_id FROM input) c)
         INSERT INTO deliveries (platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id, status, attempts,
           next_attempt_at, created_at, updated_at)
         SELECT i.platform, i.chat_id, i.thread_id, i.issue_id, i.part_index, i.part_count, i.payload_id, 'pending', 0, c.not_before, $8, $8
         FROM input i JOIN chats c ON c.platform = i.platform AND c.chat_id = i.chat_id
         ON CONFLICT DO NOTHING`,
        [cols.platform, cols.chat, cols.thread, cols.issue, cols.index, cols.count, cols.payload, now],
      );
      inserted += rowCount;
      await this.#stats.grew(this.#sql, rowCount);
    }
    return inserted;
  }

  async reopen(platform: PlatformName, chatId: string, issueId: string, now: number): Promise<number> {
    const { rowCount } = await this.#sql.query(
      'deliveries.reopen',
      `UPDATE deliveries SET status = 'pending', attempts = 0, last_error = NULL, updated_at = $4,
         next_attempt_at = GREATEST($4, (SELECT MAX(next_attempt_at + 0) FROM deliveries WHERE ${CHAT} AND ${UNSENT}))
       WHERE ${CHAT} AND issue_id = $3 AND status IN ('failed', 'skipped')`,
      [platform, chatId, issueId, now],
    );
    return rowCount;
  }

  async hasIssue(platform: PlatformName, chatId: string, issueId: string): Promise<boolean> {
    const { rows } = await this.#sql.query('deliveries.hasIssue', `SELECT 1 FROM deliveries WHERE ${CHAT} AND issue_id = $3 AND ${DIGEST} LIMIT 1`, [platform, chatId, issueId]);
    return rows.length > 0;
  }

  async latestIssue(platform: PlatformName, chatId: string): Promise<string | null> {
    const { rows } = await this.#sql.query<{ id: string }>(
      'deliveries.latestIssue',
      `SELECT issue_id AS id FROM deliveries WHERE ${CHAT} AND ${DIGEST} ORDER BY length(issue_id) DESC, issue_id DESC LIMIT 1`,
      [platform, chatId],
    );
    return rows[0]?.id ?? null;
  }

  async latestIssueUpTo(platform: PlatformName, chatId: string, upTo: string): Promise<string | null> {
    const { rows } = await this.#sql.query<{ id: string }>(
      'deliveries.latestIssueUpTo',
      `SELECT issue_id AS id FROM deliveries WHERE ${CHAT} AND ${DIGEST}
         AND (length(issue_id) < length($3) OR (length(issue_id) = length($3) AND issue_id <= $3::text COLLATE "C"))
       ORDER BY length(issue_id) DESC, issue_id DESC LIMIT 1`,
      [platform, chatId, upTo],
    );
    return rows[0]?.id ?? null;
  }

  async head(platform: PlatformName, chatId: string): Promise<Part | null> {
    const rows = await this.#rows('deliveries.head', `SELECT * FROM deliveries WHERE ${CHAT} AND ${UNSENT} ORDER BY ${ISSUE_ORDER}, part_index LIMIT 1`, [platform, chatId]);
    return rows[0] ?? null;
  }

  /** Chats with unsent parts due by `now`, earliest first within a platform, platforms taking turns. */
  async dueChats(platforms: readonly PlatformName[], now: number, limit: number): Promise<ChatId[]> {
    const lists: ChatId[][] = [];
    for (const platform of platforms) lists.push((await this.#dueOn(platform, now, limit)).map((chatId) => ({ platform, chatId })));
    const out: ChatId[] = [];
    for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
      for (const list of lists) if (i < list.length && out.length < limit) out.push(list[i] as ChatId);
    }
    return out;
  }

  /**
   * A platform's first `limit` due chats by (earliest unsent time, chat id). Walks the due index in
   * that order and keeps each chat's first row, which is the same order: cheap, since it stops after a
   * few rows per chat. Only when that prefix holds too few chats (chats with long backlogs) does it
   * group every due row, as the exact answer needs.
   */
  async #dueOn(platform: PlatformName, now: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const cap = limit * 4 + 64;
    const { rows } = await this.#sql.query<{ chat_id: string }>(
      'deliveries.dueChats',
      `SELECT chat_id FROM deliveries WHERE ${UNSENT} AND platform = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, chat_id LIMIT $3`,
      [platform, now, cap],
    );
    const chats = [...new Set(rows.map((r) => r.chat_id))];
    if (chats.length >= limit || rows.length < cap) return chats.slice(0, limit);
    const grouped = await this.#sql.query<{ chat_id: string }>(
      'deliveries.dueChats',
      `SELECT chat_id FROM deliveries WHERE ${UNSENT} AND platform = $1 AND next_attempt_at <= $2
       GROUP BY chat_id ORDER BY MIN(next_attempt_at), chat_id LIMIT $3`,
      [platform, now, limit],
    );
    return grouped.rows.map((r) => r.chat_id);
  }

  async nextDueAfter(platforms: readonly PlatformName[], now: number): Promise<number | null> {
    const { rows } = await this.#sql.query<{ t: number | null }>(
      'deliveries.nextDue',
      `SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE ${UNSENT} AND platform = ANY($1::text[]) AND next_attempt_at > $2`,
      [platforms, now],
    );
    return rows[0]?.t ?? null;
  }

  async markSent(id: number, messageId: string, now: number): Promise<void> {
    await this.#sql.query(
      'deliveries.markSent',
      `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, message_id = $2, last_error = NULL, sent_at = $3, updated_at = $3 WHERE id = $1`,
      [id, messageId, now],
    );
  }

  /** Puts the part back in line and holds every unsent part of its chat until `at`: one statement. */
  async retryAt(record: Part, at: number, error: string, attempted: boolean, now: number): Promise<void> {
    await this.#sql.query(
      'deliveries.retryAt',
      `UPDATE deliveries SET next_attempt_at = GREATEST(next_attempt_at, $4),
         status = CASE WHEN id = $1 THEN 'pending' ELSE status END,
         last_error = CASE WHEN id = $1 THEN $5 ELSE last_error END,
         attempts = attempts + CASE WHEN id = $1 THEN $6::int ELSE 0 END,
         updated_at = CASE WHEN id = $1 THEN $7 ELSE updated_at END
       WHERE id = $1 OR (platform = $2 AND chat_id = $3 AND ${UNSENT})`,
      [record.id, record.platform, record.chatId, at, error, attempted ? 1 : 0, now],
    );
  }

  async finish(id: number, status: 'failed' | 'skipped', error: string, now: number): Promise<void> {
    await this.#sql.query(
      'deliveries.finish',
      'UPDATE deliveries SET status = $2, attempts = attempts + 1, last_error = $3, updated_at = $4 WHERE id = $1',
      [id, status, error, now],
    );
  }

  async skipChat(platform: PlatformName, chatId: string, reason: string, now: number): Promise<number> {
    const { rowCount } = await this.#sql.query(
      'deliveries.skipChat',
      `UPDATE deliveries SET status = 'skipped', last_error = $3, updated_at = $4 WHERE ${CHAT} AND ${UNSENT}`,
      [platform, chatId, reason, now],
    );
    return rowCount;
  }

  /** Moves a chat's history to its new id; rows the new id already has stay (SQLite's UPDATE OR IGNORE), unsent ones skipped. */
  async moveChat(platform: PlatformName, chatId: string, toChatId: string, now: number): Promise<number> {
    const { rowCount } = await this.#sql.query(
      'deliveries.moveChat',
      `UPDATE deliveries d SET chat_id = $3, updated_at = $4 WHERE d.platform = $1 AND d.chat_id = $2
         AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.platform = $1 AND e.chat_id = $3 AND e.issue_id = d.issue_id AND e.part_index = d.part_index)`,
      [platform, chatId, toChatId, now],
    );
    await this.skipChat(platform, chatId, `already queued for ${toChatId}`, now);
    return rowCount;
  }

  async recoverInterrupted(now: number): Promise<number> {
    const { rowCount } = await this.#sql.query('deliveries.recover', `UPDATE deliveries SET status = 'pending', updated_at = $1 WHERE status = 'sending'`, [now]);
    return rowCount;
  }

  forIssue(issueId: string): Promise<Part[]> {
    return this.#rows('deliveries.forIssue', 'SELECT * FROM deliveries WHERE issue_id = $1 ORDER BY platform, chat_id, part_index', [issueId]);
  }

  forChat(platform: PlatformName, chatId: string): Promise<Part[]> {
    return this.#rows('deliveries.forChat', `SELECT * FROM deliveries WHERE ${CHAT} ORDER BY ${ISSUE_ORDER}, part_index`, [platform, chatId]);
  }

  forChatIssue(platform: PlatformName, chatId: string, issueId: string): Promise<Part[]> {
    return this.#rows('deliveries.forChatIssue', `SELECT * FROM deliveries WHERE ${CHAT} AND issue_id = $3 ORDER BY part_index`, [platform, chatId, issueId]);
  }

  failures(platform: PlatformName, chatId: string, limit = 5): Promise<Part[]> {
    return this.#rows(
      'deliveries.failures',
      `SELECT * FROM deliveries WHERE ${CHAT} AND status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT $3`,
      [platform, chatId, limit],
    );
  }

  async unsentCount(platform: PlatformName, chatId: string): Promise<number> {
    const { rows } = await this.#sql.query<{ n: number }>('deliveries.unsentCount', `SELECT COUNT(*) AS n FROM deliveries WHERE ${CHAT} AND ${UNSENT}`, [platform, chatId]);
    return rows[0]?.n ?? 0;
  }

  async statusCounts(): Promise<Record<PartState, number>> {
    const out: Record<PartState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
    const { rows } = await this.#sql.query<{ status: string; n: number }>('deliveries.counts', 'SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');
    for (const r of rows) out[r.status as PartState] = r.n;
    return out;
  }

  claimChats(platforms: readonly PlatformName[], now: number, limit: number, owner: string, until: number): Promise<ChatId[]> {
    return claimChats(this.#sql, this, platforms, now, limit, owner, until);
  }

  claimChat(chat: ChatId, owner: string, now: number, until: number): Promise<boolean> {
    return claimChat(this.#sql, chat, owner, now, until);
  }

  renewChat(chat: ChatId, owner: string, now: number, until: number): Promise<boolean> {
    return renewChat(this.#sql, chat, owner, now, until);
  }

  releaseChat(chat: ChatId, owner: string): Promise<void> {
    return releaseChat(this.#sql, chat, owner);
  }

  /**
   * One statement, one round trip (with the group commit's savepoint piggy-backed on it): the
   * outcome's three queries were three sequential round trips, and PostgreSQL's outbox waited on
   * them. Every part of a statement sees the same snapshot, so the next part is read excluding the
   * one marked sent here; the lease is renewed when there is a next part, else given back. The lease
   * conditions are renewChat's and releaseChat's (held by `owner`, not lapsed).
   */
  async recordSent(part: Pick<Part, 'id' | 'platform' | 'chatId'>, messageId: string, now: number, owner: string, until: number): Promise<SentRecord> {
    const { rows } = await this.#sql.query<Row & { kept: boolean; found: boolean }>(
      'deliveries.recordSent',
      `WITH sent AS (
         UPDATE deliveries SET status = 'sent', attempts = attempts + 1, message_id = $4, last_error = NULL, sent_at = $5, updated_at = $5
         WHERE id = $3 RETURNING id),
       nxt AS (
         SELECT * FROM deliveries WHERE ${CHAT} AND ${UNSENT} AND id <> $3 ORDER BY ${ISSUE_ORDER}, part_index LIMIT 1),
       renewed AS (
         UPDATE chat_leases SET expires_at = $7 WHERE ${CHAT} AND owner = $6 AND expires_at > $5 AND EXISTS (SELECT 1 FROM nxt)
         RETURNING 1),
       released AS (
         DELETE FROM chat_leases WHERE ${CHAT} AND owner = $6 AND expires_at > $5 AND NOT EXISTS (SELECT 1 FROM nxt)
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM renewed) OR EXISTS (SELECT 1 FROM released) AS kept, nxt.id IS NOT NULL AS found, nxt.*
       FROM (SELECT 1) one LEFT JOIN nxt ON TRUE`,
      [part.platform, part.chatId, part.id, messageId, now, owner, until],
    );
    const row = rows[0];
    if (!row?.kept) return { kept: false, next: null };
    if (!row.found) return { kept: true, next: null };
    const payloads = await this.#payloads.get([row.payload_id]);
    return { kept: true, next: toPart(row, payloads.get(row.payload_id) as OutboundMessage) };
  }

  async #rows(op: string, text: string, values: readonly unknown[]): Promise<Part[]> {
    const { rows } = await this.#sql.query<Row>(op, text, values);
    if (rows.length === 0) return [];
    const payloads = await this.#payloads.get(rows.map((r) => r.payload_id));
    return rows.map((r) => toPart(r, payloads.get(r.payload_id) as OutboundMessage));
  }
}
