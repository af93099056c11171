/**
 * What the operator's status page shows, gathered in one place (the HTML is the HTTP adapter's job):
 * every issue with its item count and problems, the subscriptions with their next run and paused
 * state, each of the last issues' delivery per chat, the instances sharing the store (with their
 * roles and chat leases), and the metrics. Long lists are cut at `limit` rows, with the total, so
 * the page stays readable with thousands of chats.
 */
import { itemsOf, type Issue, type Problem } from '../issue/model.js';
import type { PlatformName } from '../platform.js';
import { nextRuns } from '../schedule/expression.js';
import type { ChatDelivery, OpsView } from '../store/index.js';
import type { MetricsSummary } from './metrics.js';
import type { ReadinessReport } from './readiness.js';

export interface IssueRow {
  id: string;
  date: string;
  title: string;
  file: string;
  items: number;
  problems: string[];
}

export interface SubscriptionRow {
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
  schedule: string | null;
  timezone: string;
  /** Epoch ms, or null (paused, or no schedule). */
  nextRun: number | null;
  paused: boolean;
  pausedReason: string | null;
}

/** Chat leases listed on the page (the oldest: a lease held long is the one to look at). */
export const LEASES_SHOWN = 20;

/** The instances behind the store: one (SQLite), or several sharing PostgreSQL. */
export type InstancesView =
  | { shared: false }
  | {
      shared: true;
      /** This instance's name (host:pid:random). */
      self: string;
      /** Instances seen alive, this one first, with the roles each holds. */
      members: Array<{ instance: string; roles: string[]; seenAgoMs: number }>;
      /** The oldest chat leases held now, at most `LEASES_SHOWN`. */
      leases: Array<{ platform: PlatformName; chatId: string; owner: string; heldMs: number; expiresInMs: number }>;
      /** More leases are held than listed. */
      moreLeases: boolean;
    };

export interface StatusView {
  generatedAt: number;
  readiness: ReadinessReport;
  metrics: MetricsSummary;
  issues: { total: number; rows: IssueRow[] };
  /** Files with problems that serve no issue (unreadable, refused, no items, duplicate id). */
  unserved: Problem[];
  subscriptions: { total: number; rows: SubscriptionRow[] };
  deliveries: Array<{ issueId: string; total: number; chats: ChatDelivery[] }>;
  /** Null while the store is not open. */
  instances: InstancesView | null;
}

export interface StatusSources {
  issues(): { list(): Issue[]; problems(): readonly Problem[] } | null;
  store(): OpsView | null;
  readiness(): ReadinessReport;
  metrics(): Promise<MetricsSummary>;
  now(): number;
}

/** Gathers the page's data; `limit` rows per list (default 200), `issuesDelivered` last issues (default 3). */
export async function statusView(sources: StatusSources, options: { limit?: number; issuesDelivered?: number } = {}): Promise<StatusView> {
  const limit = options.limit ?? 200;
  const library = sources.issues();
  const served = library ? library.list().reverse() : [];
  const servedFiles = new Set(served.map((i) => i.file));
  const store = sources.store()?.isOpen ? sources.store() : null;
  const subs = store ? await store.ops.subscriptions(limit) : { total: 0, rows: [] };
  // One next-run computation per (schedule, time zone): chats mostly share a few.
  const next = new Map<string, number | null>();
  const nextRun = (schedule: string, timezone: string) => {
    const key = `${schedule}\u0000${timezone}`;
    if (!next.has(key)) next.set(key, nextRuns(schedule, timezone, 1)[0] ?? null);
    return next.get(key) ?? null;
  };
  return {
    generatedAt: sources.now(),
    readiness: sources.readiness(),
    metrics: await sources.metrics(),
    issues: {
      total: served.length,
      rows: served.slice(0, limit).map((i) => ({ id: i.id, date: i.date, title: i.title, file: i.file, items: itemsOf(i).length, problems: i.problems.map(describe) })),
    },
    unserved: library ? library.problems().filter((p) => !servedFiles.has(p.file)).slice(0, limit) : [],
    subscriptions: {
      total: subs.total,
      rows: subs.rows.map((s) => ({
        platform: s.platform,
        chatId: s.chatId,
        threadId: s.threadId,
        schedule: s.schedule,
        timezone: s.timezone,
        nextRun: s.paused || !s.schedule ? null : nextRun(s.schedule, s.timezone),
        paused: s.paused,
        pausedReason: s.pausedReason,
      })),
    },
    deliveries: store ? await deliveries(store, options.issuesDelivered ?? 3, limit) : [],
    instances: store ? await instances(store, sources.now()) : null,
  };
}

async function deliveries(store: OpsView, issues: number, limit: number): Promise<StatusView['deliveries']> {
  const ids = await store.ops.recentIssues(issues);
  return Promise.all(
    ids.map(async (issueId) => {
      const chats = await store.ops.deliveriesOf(issueId);
      // Chats with trouble first, so the cut never hides them.
      const ranked = [...chats].sort((a, b) => trouble(b) - trouble(a));
      return { issueId, total: chats.length, chats: ranked.slice(0, limit) };
    }),
  );
}

/** Who runs what: one line on SQLite; on a shared store the instances seen and the chat leases. */
async function instances(store: OpsView, now: number): Promise<InstancesView> {
  const { cluster } = store;
  if (!cluster) return { shared: false };
  const [members, leases] = await Promise.all([cluster.members(), store.ops.leases(now, LEASES_SHOWN + 1)]);
  return {
    shared: true,
    self: cluster.instance,
    // This instance first, then by name, so the page reads the same on every reload.
    members: [...members].sort((a, b) => Number(b.instance === cluster.instance) - Number(a.instance === cluster.instance) || a.instance.localeCompare(b.instance)),
    leases: leases.slice(0, LEASES_SHOWN),
    moreLeases: leases.length > LEASES_SHOWN,
  };
}

function trouble(c: ChatDelivery): number {
  return (c.failed + c.skipped > 0 ? 2 : 0) + (c.unsent > 0 ? 1 : 0);
}

function describe(p: Problem): string {
  return p.line !== undefined ? `line ${p.line}: ${p.message}` : p.message;
}
