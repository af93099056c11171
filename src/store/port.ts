/**
 * The store as the rest of newsbot sees it: one asynchronous interface, two implementations
 * (SQLite in one file for one instance, `sqlite-store.ts`; PostgreSQL for one or many instances,
 * `postgres/`). Every store passes the same contract suite (test/store/contract.ts).
 *
 * Transactions: a body gets its own handle (`tx`) and must use it, never the store, for every query
 * it makes: on PostgreSQL the store's own methods run on another pooled connection, outside the
 * transaction. A nested `tx.transaction` is a savepoint.
 */
import type { OutboundMessage, PlatformName } from '../platform.js';
import type { Part, PartState, NewPart } from './part-rows.js';
import type { Subscription, SubscriptionSettings } from './subscriptions.js';
import type { Follow, SectionFilter } from './readers.js';
import type { ChatDelivery, OutboxGauge, SubscriptionGlance } from './ops-queries.js';

/** A chat by platform and id. */
export interface ChatId {
  platform: PlatformName;
  chatId: string;
}

/** Subscriptions: which chat gets the newsletter, when, how, and whether it is paused. */
export interface Subscriptions {
  get(platform: PlatformName, chatId: string): Promise<Subscription | null>;
  list(): Promise<Subscription[]>;
  /** Subscriptions that are not paused. */
  active(): Promise<Subscription[]>;
  /** Active subscriptions on one (schedule, time zone) pair. */
  onSchedule(schedule: string, timezone: string): Promise<Subscription[]>;
  /** The distinct (schedule, time zone) pairs of active subscriptions: one cron task each. */
  schedulePairs(): Promise<Array<{ schedule: string; timezone: string }>>;
  insert(platform: PlatformName, chatId: string, settings: SubscriptionSettings, by: string, now: number): Promise<Subscription>;
  /** Replaces the settings and clears any pause (re-subscribing resumes a paused chat). */
  update(platform: PlatformName, chatId: string, settings: SubscriptionSettings, lastSlotAt: number, by: string, now: number): Promise<Subscription>;
  delete(platform: PlatformName, chatId: string): Promise<boolean>;
  pause(platform: PlatformName, chatId: string, reason: string, now: number): Promise<boolean>;
  /** Moves a subscription to a new chat id; when the new id has its own, that one wins. */
  move(platform: PlatformName, fromChatId: string, toChatId: string, now: number): Promise<void>;
  /**
   * Records that the run at `slot` was handled. True only for the caller that moved it forward, so
   * two instances firing the same run count it once.
   */
  markSlot(id: number, slot: number): Promise<boolean>;
}

/** The outbox parts (see parts.ts for the ordering and crash rules). */
export interface Parts {
  /** Stores rendered messages once each; returns their ids for `NewPart.payloadId`. */
  savePayloads(messages: readonly OutboundMessage[]): Promise<number[]>;
  /** Inserts a chat's parts of one issue; existing rows are left alone. Returns how many were new. */
  insertParts(parts: readonly NewPart[], now: number): Promise<number>;
  /** Puts an issue's failed and skipped parts for a chat back in line. */
  reopen(platform: PlatformName, chatId: string, issueId: string, now: number): Promise<number>;
  hasIssue(platform: PlatformName, chatId: string, issueId: string): Promise<boolean>;
  /** The newest issue id this chat has any digest row for, or null. */
  latestIssue(platform: PlatformName, chatId: string): Promise<string | null>;
  /** The newest issue id up to `upTo` (inclusive) this chat has any digest row for, or null. */
  latestIssueUpTo(platform: PlatformName, chatId: string, upTo: string): Promise<string | null>;
  /** The chat's next part to send: its oldest unsent part. */
  head(platform: PlatformName, chatId: string): Promise<Part | null>;
  /** Chats with unsent parts due by `now`, platforms taking turns (no lease taken: see `claimChats`). */
  dueChats(platforms: readonly PlatformName[], now: number, limit: number): Promise<ChatId[]>;
  /** The earliest time after `now` at which some chat may become due, or null. */
  nextDueAfter(platforms: readonly PlatformName[], now: number): Promise<number | null>;
  markSent(id: number, messageId: string, now: number): Promise<void>;
  /** Puts a part back in line and holds the whole chat until `at`. */
  retryAt(record: Part, at: number, error: string, attempted: boolean, now: number): Promise<void>;
  finish(id: number, status: 'failed' | 'skipped', error: string, now: number): Promise<void>;
  skipChat(platform: PlatformName, chatId: string, reason: string, now: number): Promise<number>;
  /** Moves a chat's whole history to its new id; unsent parts the new id already has are skipped. */
  moveChat(platform: PlatformName, chatId: string, toChatId: string, now: number): Promise<number>;
  /** Parts an older newsbot left 'sending' go back in line. */
  recoverInterrupted(now: number): Promise<number>;
  forIssue(issueId: string): Promise<Part[]>;
  forChat(platform: PlatformName, chatId: string): Promise<Part[]>;
  forChatIssue(platform: PlatformName, chatId: string, issueId: string): Promise<Part[]>;
  failures(platform: PlatformName, chatId: string, limit?: number): Promise<Part[]>;
  unsentCount(platform: PlatformName, chatId: string): Promise<number>;
  statusCounts(): Promise<Record<PartState, number>>;
  /**
   * Leases due chats to `owner` until `until` (epoch ms): a chat whose lease is free or expired.
   * While the lease holds, only its owner sends that chat's parts, so per-chat order holds across
   * instances. At most `limit` chats, platforms taking turns.
   */
  claimChats(platforms: readonly PlatformName[], now: number, limit: number, owner: string, until: number): Promise<ChatId[]>;
  /**
   * Leases one chat to `owner` until `until` when its lease is free, expired or already `owner`'s
   * (due or not): `newsbot deliver`'s one chat, and a migrated chat's new id. False when another holds it.
   */
  claimChat(chat: ChatId, owner: string, now: number, until: number): Promise<boolean>;
  /** Extends `owner`'s lease on a chat; false when it no longer holds it (expired and taken). */
  renewChat(chat: ChatId, owner: string, now: number, until: number): Promise<boolean>;
  /** Gives a chat's lease back (its owner has nothing due for it). */
  releaseChat(chat: ChatId, owner: string): Promise<void>;
  /**
   * A send's common outcome in one call (one statement on PostgreSQL, where round trips are the
   * outbox's cost): marks `part` sent, then, while `owner` still holds its chat's lease, reads the
   * chat's next part and renews the lease to `until`, or gives the lease back when there is none.
   * The part is marked sent even when the lease was lost (`kept` false, `next` null).
   */
  recordSent(part: Pick<Part, 'id' | 'platform' | 'chatId'>, messageId: string, now: number, owner: string, until: number): Promise<SentRecord>;
}

/** What `Parts.recordSent` found: whether the lease was still held, and the chat's next part (null: lease given back). */
export interface SentRecord {
  kept: boolean;
  next: Part | null;
}

/** Readers' choices: section filters, saved searches and the items alerted. */
export interface Readers {
  sectionFilter(platform: PlatformName, chatId: string): Promise<SectionFilter | null>;
  setSectionFilter(platform: PlatformName, chatId: string, filter: Pick<SectionFilter, 'kind' | 'names'> | null, by: string, now: number): Promise<void>;
  follows(platform: PlatformName, chatId: string): Promise<Follow[]>;
  allFollows(): Promise<Follow[]>;
  addFollow(f: Omit<Follow, 'id' | 'createdAt'>, now: number): Promise<boolean>;
  removeFollow(id: number): Promise<boolean>;
  alerted(platform: PlatformName, chatId: string, issueId: string): Promise<{ keys: Set<string>; lowestPart: number }>;
  recordAlert(platform: PlatformName, chatId: string, issueId: string, itemKeys: readonly string[], partIndex: number, now: number): Promise<void>;
  markFilteredOut(chat: { platform: PlatformName; chatId: string; threadId: string | null }, issueId: string, now: number): Promise<number>;
  clearFilteredOut(platform: PlatformName, chatId: string, issueId: string): Promise<number>;
}

/** Read-only questions of the operator's side (metrics, status page, owner alerts). */
export interface OpsQueries {
  outbox(): Promise<OutboxGauge>;
  pausedCount(): Promise<number>;
  subscriptions(limit: number): Promise<{ total: number; rows: SubscriptionGlance[] }>;
  recentIssues(limit: number): Promise<string[]>;
  deliveriesOf(issueId: string): Promise<ChatDelivery[]>;
  lateChats(issueId: string, queuedBy: number): Promise<Array<{ platform: PlatformName; chatId: string; queuedAt: number }>>;
  /** Chat leases held now, oldest first: who sends which chat, and since when (status page). */
  leases(now: number, limit: number): Promise<Array<ChatId & { owner: string; heldMs: number; expiresInMs: number }>>;
}

/** Chat updates already handled: a platform update re-delivered (after a crash, or to another instance) is answered once. */
export interface Updates {
  /**
   * Records update `key` of `platform` as handled at `now` (epoch ms); true only for the one call
   * that recorded it, across connections and instances. Keys older than 48 h are forgotten.
   */
  firstHandling(platform: PlatformName, key: string, now: number): Promise<boolean>;
}

/** What a transaction body may use. */
export interface StoreTx {
  readonly subscriptions: Subscriptions;
  readonly parts: Parts;
  readonly readers: Readers;
  /** A savepoint: `fn`'s writes are rolled back alone when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

/** How a transaction meets a write lock another connection holds. */
export interface TransactionOptions {
  /**
   * false: fail at once with an unavailable `StoreError` instead of waiting for another
   * connection's write lock (SQLite's busy wait blocks the event loop). Default true.
   */
  wait?: boolean;
}

/**
 * What only a store shared by several instances offers (PostgreSQL): roles held by one instance at
 * a time, and rate limits counted across instances. A store of one instance has none.
 */
export interface Cluster {
  /** This instance's name in leases and roles (host:pid:random). */
  readonly instance: string;
  /**
   * Tries to take `role` (the scheduler, a platform's long-polling or gateway connection) for this
   * instance. True while held; the role is freed when this instance releases it or its connection dies.
   */
  tryLead(role: string): Promise<boolean>;
  /** Gives `role` up. */
  releaseLead(role: string): Promise<void>;
  /** Roles held by this instance now. */
  readonly leading: ReadonlySet<string>;
  /**
   * Reserves `count` sends on the shared rate `key` (one send per `intervalMs`, bursts up to
   * `burst`) and returns how long to wait (ms) before the first may go. Counted on the database's
   * clock, so instances on machines with different clocks share one rate.
   */
  reserve(key: string, count: number, intervalMs: number, burst: number): Promise<number>;
  /** Instances seen alive (heartbeats), with their roles, for the status page. */
  members(): Promise<Array<{ instance: string; roles: string[]; seenAgoMs: number }>>;
}

/** The store. */
export interface Store extends StoreTx {
  readonly dialect: 'sqlite' | 'postgres';
  readonly ops: OpsQueries;
  /** Updates already handled (outside transactions: one write per update). */
  readonly updates: Updates;
  /** Present when several instances may share this store (PostgreSQL). */
  readonly cluster: Cluster | null;
  /** Runs `fn` in one transaction (IMMEDIATE on SQLite); nested calls on `tx` become savepoints. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  schemaVersion(): Promise<number>;
  /** False once closed. */
  readonly isOpen: boolean;
  close(): Promise<void>;
}
