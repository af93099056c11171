/**
 * Chat leases on PostgreSQL, for several instances on one database. A claim is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE` per batch: the row lock makes a second instance claiming
 * the same chat wait, then see the first one's lease (not expired, another owner) and skip it. So a
 * chat never has two owners. Each batch locks chats in one global order (platform, chat id), so two
 * instances claiming overlapping lists never deadlock.
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
      `INSERT INTO chat_leases (platform, chat_id, owner, acquired_at, expires_at)
       SELECT platform, chat_id, $3, $4, $5 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(platform, chat_id, n) ORDER BY n
       ON CONFLICT (platform, chat_id) DO UPDATE SET
         acquired_at = CASE WHEN chat_leases.owner = excluded.owner THEN chat_leases.acquired_at ELSE excluded.acquired_at END,
         owner = excluded.owner, expires_at = excluded.expires_at
       WHERE chat_leases.owner = excluded.owner OR chat_leases.expires_at <= $4
       RETURNING platform, chat_id`,
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
