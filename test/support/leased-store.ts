/**
 * For the operator's views of several instances: a real SQLite store in a temp folder whose chats
 * were leased through `parts.claimChats` (as two workers would), and a test `Cluster` whose members
 * the test sets and which counts how often it was asked.
 */
import type { MetricsSummary } from '../../src/ops/metrics.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, OpsView } from '../../src/store/index.js';
import { SqliteStore } from '../../src/store/index.js';

export type Member = Awaited<ReturnType<Cluster['members']>>[number];

/** The part of a `Cluster` the operator's side reads, answering what the test set. */
export class TestCluster implements Pick<Cluster, 'instance' | 'members'> {
  membersAsked = 0;

  constructor(
    readonly instance: string,
    public answer: Member[],
  ) {}

  async members(): Promise<Member[]> {
    this.membersAsked++;
    return this.answer.map((m) => ({ ...m, roles: [...m.roles] }));
  }
}

export interface LeasedStore {
  store: SqliteStore;
  /** The store seen through `cluster` (null: as on SQLite). */
  view(cluster: Pick<Cluster, 'instance' | 'members'> | null): OpsView;
  close(): Promise<void>;
}

/**
 * A store with one pending part in each of `chats` Telegram chats, claimed at `now`: the first
 * `byFirst` by `owners[0]` until `now + 60 s`, the rest by `owners[1]` until `now + 30 s`.
 */
export async function leasedStore(now: number, chats: number, byFirst: number, owners: readonly [string, string]): Promise<LeasedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-leases-'));
  const store = SqliteStore.open(join(dir, 'newsbot.db'));
  const parts = Array.from({ length: chats }, (_, i) => ({ platform: 'telegram', chatId: String(1000 + i), threadId: null, issueId: '20250101', partIndex: 0, partCount: 1, payload: { text: `x${i}` } }));
  if (chats > 0) await store.parts.insertParts(parts, now - 10_000);
  if (byFirst > 0) await store.parts.claimChats(['telegram'], now - 5_000, byFirst, owners[0], now + 60_000);
  if (chats > byFirst) await store.parts.claimChats(['telegram'], now - 2_000, chats - byFirst, owners[1], now + 30_000);
  return {
    store,
    view: (cluster) => ({
      get isOpen() {
        return store.isOpen;
      },
      ops: store.ops,
      cluster,
    }),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The clock and the two owners the leased-store tests use. */
export const LEASED_AT = Date.parse('2025-06-02T08:00:00Z');
export const OWNER_A = 'host-a:101:x1';
export const OWNER_B = 'host-b:202:y2';

/** Metrics with nothing counted yet (the status view needs one). */
export const EMPTY_SUMMARY: MetricsSummary = {
  issuesLoaded: 0, issueProblems: 0, commands: 0, partsSent: 0, partsFailed: 0, partsRetried: 0, rateLimitWaits: 0,
  rateLimitSeconds: 0, outboxDepth: 0, oldestPendingSeconds: 0, pausedSubscriptions: 0, lastScheduledRun: null,
};
