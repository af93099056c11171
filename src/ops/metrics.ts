/**
 * newsbot's Prometheus metrics (prom-client): the process defaults plus the bot's own. Counters move
 * through the `OpsObserver` hooks; gauges (issues, outbox depth, paused subscriptions) are read from
 * the library and the store when scraped, so nothing is kept in step by hand.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Problem } from '../issue/model.js';
import type { PlatformName } from '../platform.js';
import type { OutboxGauge, OpsView } from '../store/index.js';
import { partResult, type OpsObserver, type PartRef } from './observer.js';
import type { DeliveryOutcome } from '../platform.js';

/** Where the scrape-time gauges read from; null while that part is not up (yet). */
export interface MetricSources {
  issues(): { list(): readonly unknown[]; problems(): readonly Problem[] } | null;
  store(): OpsView | null;
  /** Epoch ms, for the age of the oldest pending part. */
  now(): number;
}

/** The numbers the status page says in words. */
export interface MetricsSummary {
  issuesLoaded: number;
  issueProblems: number;
  commands: number;
  partsSent: number;
  partsFailed: number;
  partsRetried: number;
  rateLimitWaits: number;
  rateLimitSeconds: number;
  outboxDepth: number;
  oldestPendingSeconds: number;
  pausedSubscriptions: number;
  /** Epoch ms, or null when no scheduled run has been handled since start. */
  lastScheduledRun: number | null;
}

const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/**
 * Leases counted per scrape at most. A lease is taken per chat being sent (a worker's batch), so
 * thousands means something else is wrong; the gauge then reads this cap.
 */
export const LEASES_COUNTED = 10_000;

export class PromMetrics implements OpsObserver {
  readonly registry = new Registry();
  readonly #sources: MetricSources;
  readonly #commands: Counter<'command' | 'platform'>;
  readonly #commandSeconds: Histogram<'command' | 'platform'>;
  readonly #parts: Record<'sent' | 'failed' | 'retried', Counter<'platform'>>;
  readonly #waits: Counter<'platform'>;
  readonly #waitSeconds: Counter<'platform'>;
  #lastRun: number | null = null;
  /** The outbox read by this scrape's depth gauge, shared with the age gauge. */
  #outbox: Promise<OutboxGauge | null> = Promise.resolve(null);
  /** Every role any instance was seen holding: this one reports 0 for those it does not hold. */
  readonly #roles = new Set<string>();

  constructor(sources: MetricSources, options: { processMetrics?: boolean } = {}) {
    this.#sources = sources;
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#commands = new Counter({ name: 'newsbot_commands_total', help: 'Commands answered, by command and platform', labelNames: ['command', 'platform'], registers });
    this.#commandSeconds = new Histogram({
      name: 'newsbot_command_duration_seconds',
      help: 'Time to answer a command, by command and platform',
      labelNames: ['command', 'platform'],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.#parts = {
      sent: new Counter({ name: 'newsbot_parts_sent_total', help: 'Outbox parts the platform accepted', labelNames: ['platform'], registers }),
      failed: new Counter({ name: 'newsbot_parts_failed_total', help: 'Outbox parts failed for good (MAX_ATTEMPTS, refused, or the chat is gone)', labelNames: ['platform'], registers }),
      retried: new Counter({ name: 'newsbot_parts_retried_total', help: 'Outbox sends that will be tried again (429, 5xx, timeout, migration)', labelNames: ['platform'], registers }),
    };
    this.#waits = new Counter({ name: 'newsbot_rate_limited_total', help: '429 answers (replies and outbox parts)', labelNames: ['platform'], registers });
    this.#waitSeconds = new Counter({ name: 'newsbot_rate_limited_wait_seconds_total', help: 'Seconds the platform told us to wait (retry_after), summed', labelNames: ['platform'], registers });
    const gauge = (name: string, help: string, read: () => Promise<number | null> | number | null) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A store closing under a scrape leaves the gauge at its last value rather than failing the scrape.
          const value = await safely(read);
          if (value !== null) this.set(value);
        },
      });
    const store = () => sources.store();
    gauge('newsbot_issues_loaded', 'Issues served', () => sources.issues()?.list().length ?? 0);
    gauge('newsbot_issue_problems', 'Problems found in issue files (parse, limits, duplicates)', () => sources.issues()?.problems().length ?? 0);
    // One outbox query per scrape serves both gauges: prom-client calls every collect() before awaiting any, depth's first.
    gauge('newsbot_outbox_depth', 'Outbox parts not sent yet', async () => (await (this.#outbox = readOutbox(store())))?.unsent ?? 0);
    gauge('newsbot_outbox_oldest_pending_age_seconds', 'Age of the oldest unsent part (0 when none)', async () => this.#ageOf(await this.#outbox));
    gauge('newsbot_subscriptions_paused', 'Subscriptions paused because the chat blocked, removed or refused the bot', async () => (await store()?.ops.pausedCount()) ?? 0);
    gauge('newsbot_last_scheduled_run_timestamp_seconds', 'When the last scheduled run was handled (0: none since start)', () => (this.#lastRun ?? 0) / 1000);
    gauge('newsbot_chat_leases', 'Chat leases held now, by any instance (a chat being sent)', async () => (await store()?.ops.leases(sources.now(), LEASES_COUNTED))?.length ?? 0);
    const roles = this.#roles;
    new Gauge({
      name: 'newsbot_roles_held',
      help: 'Roles this instance holds (1) or another instance holds (0): the scheduler, a platform\'s polling or gateway. None on SQLite: one instance holds every role',
      labelNames: ['role'],
      registers,
      async collect() {
        const cluster = store()?.cluster;
        if (!cluster) return;
        const members = await safely(() => cluster.members());
        if (!members) return;
        for (const m of members) for (const role of m.roles) roles.add(role);
        const mine = new Set(members.find((m) => m.instance === cluster.instance)?.roles ?? []);
        for (const role of roles) this.set({ role }, mine.has(role) ? 1 : 0);
      },
    });
  }

  #ageOf(outbox: OutboxGauge | null): number {
    const oldest = outbox?.oldestQueuedAt ?? null;
    return oldest === null ? 0 : Math.max(0, (this.#sources.now() - oldest) / 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for GET /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  commandHandled(command: string, platform: PlatformName, seconds: number): void {
    this.#commands.inc({ command, platform });
    this.#commandSeconds.observe({ command, platform }, seconds);
  }

  partOutcome(part: PartRef, outcome: DeliveryOutcome, lastAttempt: boolean): void {
    this.#parts[partResult(outcome, lastAttempt)].inc({ platform: part.platform });
    if (outcome.kind === 'rate_limited') this.rateLimited(part.platform, outcome.retryAfterMs / 1000);
  }

  rateLimited(platform: PlatformName, seconds: number): void {
    this.#waits.inc({ platform });
    this.#waitSeconds.inc({ platform }, Math.max(0, seconds));
  }

  scheduledRun(at: number): void {
    this.#lastRun = Math.max(this.#lastRun ?? 0, at);
  }

  /** The same numbers as GET /metrics, summed over labels, for the status page. */
  async summary(): Promise<MetricsSummary> {
    const total = async (metric: Counter<string>) => (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
    const store = this.#sources.store();
    const issues = this.#sources.issues();
    const outbox = await readOutbox(store);
    return {
      issuesLoaded: issues?.list().length ?? 0,
      issueProblems: issues?.problems().length ?? 0,
      commands: await total(this.#commands),
      partsSent: await total(this.#parts.sent),
      partsFailed: await total(this.#parts.failed),
      partsRetried: await total(this.#parts.retried),
      rateLimitWaits: await total(this.#waits),
      rateLimitSeconds: await total(this.#waitSeconds),
      outboxDepth: outbox?.unsent ?? 0,
      oldestPendingSeconds: this.#ageOf(outbox),
      pausedSubscriptions: (await store?.ops.pausedCount()) ?? 0,
      lastScheduledRun: this.#lastRun,
    };
  }
}

async function safely<T>(read: () => Promise<T | null> | T | null): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

function readOutbox(store: OpsView | null): Promise<OutboxGauge | null> {
  return store ? store.ops.outbox() : Promise.resolve(null);
}
