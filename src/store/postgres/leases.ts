/**
 * Chat leases on PostgreSQL, for several instances on one database. A claim never waits on a lease
 * another instance holds, and so never deadlocks with its outcome commits (which renew that
 * instance's leases in the order its sends finish): chats with no lease row are inserted
 * (`ON CONFLICT DO NOTHING`, in one global order so two claims inserting overlapping lists cannot
 * wait on each other; only chats with no row in the statement's snapshot, because the conflict
 * check waits for a transaction that is updating the existing row: the renewal, which may itself
 * wait for this claim's lock on another of its chats), and lapsed or own leases are taken with `FOR UPDATE SKIP LOCKED`: a lease
 * row another transaction has locked (its owner renewing it) is skipped, not waited for. A chat
 * never has two owners: both paths take a row only by inserting it or by updating it under its lock.
 * (A claim by `INSERT … ON CONFLICT DO UPDATE … WHERE` locked the rows of leases held by others
 * too, and deadlocked against their renewals: 1,484 "deadlock detected" in one failover bench.)
 */
import type { PlatformName } from '../../platform.js';
import type { ChatId, Parts } from '../port.js';
import type { Sql } from './sql.js';

export async function claimChats(
  sql: Sql,
  parts: Pick<Parts, 'dueChats'>,
  platforms: readonly PlatformName[],
  now: number,
  limit: number,
  owner: string,
  until: number,
): Promise<ChatId[]> {
  if (limit <= 0) return [];
  // Chats leased to others are skipped, so look further than `limit` for free ones.
  const candidates = await parts.dueChats(platforms, now, limit * 2 + 64);
  const claimed = new Set<string>();
  const key = (c: { platform: string; chatId: string }) => `${c.platform}\u0000${c.chatId}`;
  for (let start = 0; start < candidates.length && claimed.size < limit; ) {
    const batch = candidates.slice(start, start + (limit - claimed.size));
    start += batch.length;
    const ordered = [...batch].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const { rows } = await sql.query<{ platform: string; chat_id: string }>(
      'deliveries.claimChats',
      `WITH cand AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(platform, chat_id, n)),
       fresh AS (
         INSERT INTO chat_leases (platform, chat_id, owner, acquired_at, expires_at)
         SELECT platform, chat_id, $3, $4, $5 FROM cand
         WHERE NOT EXISTS (SELECT 1 FROM chat_leases x WHERE x.platform = cand.platform AND x.chat_id = cand.chat_id)
         ORDER BY n
         ON CONFLICT (platform, chat_id) DO NOTHING
         RETURNING platform, chat_id),
       lapsed AS (
         UPDATE chat_leases l SET owner = $3, expires_at = $5, acquired_at = CASE WHEN l.owner = $3 THEN l.acquired_at ELSE $4 END
         FROM (SELECT cl.platform, cl.chat_id FROM chat_leases cl JOIN cand ON cand.platform = cl.platform AND cand.chat_id = cl.chat_id
               WHERE cl.owner = $3 OR cl.expires_at <= $4 ORDER BY cand.n FOR UPDATE OF cl SKIP LOCKED) free
         WHERE l.platform = free.platform AND l.chat_id = free.chat_id
         RETURNING l.platform, l.chat_id)
       SELECT platform, chat_id FROM fresh UNION ALL SELECT platform, chat_id FROM lapsed`,
      [ordered.map((c) => c.platform), ordered.map((c) => c.chatId), owner, now, until],
    );
    for (const r of rows) claimed.add(key({ platform: r.platform, chatId: r.chat_id }));
  }
  // In the order dueChats gave (platforms taking turns, earliest first).
  return candidates.filter((c) => claimed.has(key(c)));
}

/** Leases one chat (due or not) when its lease is free, expired or already `owner`'s. */
export async function claimChat(sql: Sql, chat: ChatId, owner: string, now: number, until: number): Promise<boolean> {
  const { rowCount } = await sql.query(
    'deliveries.claimChat',
    `INSERT INTO chat_leases (platform, chat_id, owner, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (platform, chat_id) DO UPDATE SET
       acquired_at = CASE WHEN chat_leases.owner = excluded.owner THEN chat_leases.acquired_at ELSE excluded.acquired_at END,
       owner = excluded.owner, expires_at = excluded.expires_at
     WHERE chat_leases.owner = excluded.owner OR chat_leases.expires_at <= $4`,
    [chat.platform, chat.chatId, owner, now, until],
  );
  return rowCount > 0;
}

/** Extends `owner`'s lease; false when it no longer holds it (expired, or taken by another). */
export async function renewChat(sql: Sql, chat: ChatId, owner: string, now: number, until: number): Promise<boolean> {
  const { rowCount } = await sql.query(
    'deliveries.renewChat',
    'UPDATE chat_leases SET expires_at = $4 WHERE platform = $1 AND chat_id = $2 AND owner = $3 AND expires_at > $5',
    [chat.platform, chat.chatId, owner, until, now],
  );
  return rowCount > 0;
}

export async function releaseChat(sql: Sql, chat: ChatId, owner: string): Promise<void> {
  await sql.query('deliveries.releaseChat', 'DELETE FROM chat_leases WHERE platform = $1 AND chat_id = $2 AND owner = $3', [chat.platform, chat.chatId, owner]);
}
