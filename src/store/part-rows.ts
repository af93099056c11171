/**
 * The part types (one outbox part: a chat, an issue, a message index): what `PartRepo` returns (`Part`), what it inserts (`NewPart`),
 * and the mapping from a `deliveries` row (columns as in migrations.ts).
 */
import type { OutboundMessage, PlatformName } from '../platform.js';

/** 'sending' is only found in databases an older newsbot wrote (see deliveries.ts). */
export type PartState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One part of one issue for one chat, with its rendered message. */
export interface Part {
  id: number;
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
  issueId: string;
  partIndex: number;
  partCount: number;
  payload: OutboundMessage;
  status: PartState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

/** One part to insert: its message, or the id `savePayloads` gave it (cheaper for many chats). */
export type NewPart = Pick<Part, 'platform' | 'chatId' | 'threadId' | 'issueId' | 'partIndex' | 'partCount'> &
  ({ payload: OutboundMessage } | { payloadId: number });

/** A part as SQLite returns it (the table is still named `deliveries`: existing databases keep their schema). */
export interface Row {
  id: number;
  platform: string;
  chat_id: string;
  thread_id: string | null;
  issue_id: string;
  part_index: number;
  part_count: number;
  payload_id: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

/** A part from its SQL row, with its payload already looked up. */
export const toPart = (r: Row, payload: OutboundMessage): Part => ({
  id: r.id,
  platform: r.platform as PlatformName,
  chatId: r.chat_id,
  threadId: r.thread_id,
  issueId: r.issue_id,
  partIndex: r.part_index,
  partCount: r.part_count,
  payload,
  status: r.status as PartState,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  messageId: r.message_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
});
