/**
 * Owner alerts: a direct message to each OWNER_IDS owner when something needs a person. Alerts are
 * grouped and rate-limited: the first one waits `groupMs` for others to join it, and an owner gets at
 * most one message per `minIntervalMs`, so a wave of 403s is one message, never one per chat.
 *
 * Kinds: a subscription paused (the chat blocked, removed or refused the bot), a part failed for
 * good, a new issue file with problems, and the latest issue not delivered an hour after its run.
 * The first two arrive as outcomes (`partOutcome`); the last two are found by `check()`, which
 * `OpsService` calls every minute. ALERTS=off: `enabled: false`, nothing is kept or sent.
 */
import type { Clock } from '../clock.js';
import type { Language } from '../i18n/language.js';
import { opsText } from '../i18n/ops.js';
import type { Issue, Problem } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { DeliveryOutcome, DeliveryPort, PlatformName } from '../platform.js';
import type { OpsView } from '../store/index.js';
import { partResult, type OpsObserver, type PartRef } from './observer.js';

export type AlertKind = 'paused' | 'failed' | 'problems' | 'late';

interface Alert {
  kind: AlertKind;
  /** Same key, same alert: a repeat replaces it. */
  key: string;
  line: string;
  /** For 'late': the issue (its heading names it). */
  issueId?: string;
}

export interface OwnerAlertsOptions {
  owners: ReadonlyArray<{ platform: PlatformName; userId: string }>;
  enabled: boolean;
  language: Language;
  /** Wall clock (epoch ms) and the waits between messages. */
  clock: Clock;
  logger: Logger;
  /** How long the first alert waits for others (default 30 s). */
  groupMs?: number;
  /** Least time between two messages to the owners (default 10 min). */
  minIntervalMs?: number;
  /** How long after its run an issue counts as late (default 1 h). */
  lateAfterMs?: number;
  /** Lines listed per kind before "…and N more" (default 10). */
  maxLines?: number;
}

/** What `check()` looks at. */
export interface AlertSources {
  issues(): { latest(): Issue | null; problems(): readonly Problem[]; loading?(): unknown } | null;
  store(): OpsView | null;
}

const KIND_ORDER: readonly AlertKind[] = ['paused', 'failed', 'late', 'problems'];
/** Telegram takes 4096 characters, Discord 2000: one message stays under both. */
const MAX_TEXT = 1900;

export class OwnerAlerts implements Pick<OpsObserver, 'partOutcome'> {
  readonly #o: Required<OwnerAlertsOptions>;
  readonly #pending = new Map<string, Alert>();
  readonly #ports = new Map<PlatformName, DeliveryPort>();
  #knownProblemFiles: Set<string> | null = null;
  readonly #lateIssues = new Set<string>();
  #lastSent = -Infinity;
  #flushing: Promise<void> | null = null;
  readonly #stop = new AbortController();
  /** Messages sent (one per owner per flush): what tests and the status page read. */
  sent = 0;

  constructor(options: OwnerAlertsOptions) {
    this.#o = { groupMs: 30_000, minIntervalMs: 600_000, lateAfterMs: 3_600_000, maxLines: 10, ...options };
  }

  get active(): boolean {
    return this.#o.enabled && this.#o.owners.length > 0;
  }

  /** The delivery ports that can reach the owners (from the started adapters). */
  usePorts(ports: Iterable<DeliveryPort>): void {
    for (const port of ports) if (!this.#ports.has(port.platform)) this.#ports.set(port.platform, port);
  }

  partOutcome(part: PartRef, outcome: DeliveryOutcome, lastAttempt: boolean): void {
    if (outcome.kind === 'gone') {
      this.add({ kind: 'paused', key: `${part.platform}:${part.chatId}`, line: `${part.platform} ${part.chatId}: ${outcome.reason}` });
    } else if (partResult(outcome, lastAttempt) === 'failed' && 'reason' in outcome) {
      const t = opsText[this.#o.language];
      const parts = `${part.partIndex + 1}/${part.partCount}`;
      this.add({ kind: 'failed', key: `${part.platform}:${part.chatId}:${part.issueId}:${part.partIndex}`, line: `${part.platform} ${part.chatId}, ${t.part(part.issueId, parts)}: ${outcome.reason}` });
    }
  }

  /**
   * Looks for new issue files with problems (the first look only learns what is there) and for the
   * latest issue still unsent to some chats `lateAfterMs` after it was queued (once per issue).
   */
  async check(sources: AlertSources): Promise<void> {
    if (!this.active) return;
    const issues = sources.issues();
    // Not while the archive is still loading: its old broken files would all look new.
    if (issues && !issues.loading?.()) {
      const byFile = new Map<string, Problem[]>();
      for (const p of issues.problems()) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
      const known = this.#knownProblemFiles;
      if (known) {
        for (const [file, problems] of byFile) {
          if (known.has(file)) continue;
          const first = problems[0] as Problem;
          const where = first.line !== undefined ? `${file}:${first.line}` : file;
          const more = problems.length > 1 ? ` (+${problems.length - 1})` : '';
          this.add({ kind: 'problems', key: file, line: `${where}: ${first.message}${more}` });
        }
      }
      this.#knownProblemFiles = new Set(byFile.keys());
    }
    const latest = issues?.latest() ?? null;
    const store = sources.store();
    if (latest && store && !this.#lateIssues.has(latest.id)) {
      const late = await store.ops.lateChats(latest.id, this.#o.clock.now() - this.#o.lateAfterMs);
      // Two checks may overlap (a slow store); the issue is alerted once.
      if (late.length > 0 && !this.#lateIssues.has(latest.id)) {
        this.#lateIssues.add(latest.id);
        for (const chat of late) this.add({ kind: 'late', key: `${latest.id}:${chat.platform}:${chat.chatId}`, line: `${chat.platform} ${chat.chatId}`, issueId: latest.id });
      }
    }
  }

  /** Queues an alert and makes sure a grouped message will go. */
  add(alert: Alert): void {
    if (!this.active || this.#stop.signal.aborted) return;
    this.#pending.set(`${alert.kind}\u0000${alert.key}`, alert);
    this.#flushing ??= this.#flushLater().finally(() => {
      this.#flushing = null;
      if (this.#pending.size > 0 && !this.#stop.signal.aborted) this.add([...this.#pending.values()][0] as Alert);
    });
  }

  /** Stops waiting; alerts not sent yet are logged, not sent (shutdown stays quick). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#flushing;
    if (this.#pending.size > 0) this.#o.logger.warn({ alerts: this.#pending.size }, 'owner alerts not sent: stopping');
    this.#pending.clear();
  }

  async #flushLater(): Promise<void> {
    const { clock } = this.#o;
    const at = Math.max(clock.now() + this.#o.groupMs, this.#lastSent + this.#o.minIntervalMs);
    await clock.sleep(Math.max(0, at - clock.now()), this.#stop.signal);
    if (this.#stop.signal.aborted || this.#pending.size === 0) return;
    const alerts = [...this.#pending.values()];
    this.#pending.clear();
    this.#lastSent = clock.now();
    const text = this.render(alerts);
    await Promise.all(this.#o.owners.map((owner) => this.#send(owner, text)));
  }

  async #send(owner: { platform: PlatformName; userId: string }, text: string): Promise<void> {
    const { logger } = this.#o;
    const port = this.#ports.get(owner.platform);
    if (!port?.notifyUser) {
      logger.warn({ platform: owner.platform, userId: owner.userId }, 'owner alert not sent: that platform is not connected or cannot send direct messages');
      return;
    }
    try {
      const outcome = await port.notifyUser(owner.userId, text);
      if (outcome.kind === 'sent') this.sent++;
      else logger.warn({ platform: owner.platform, userId: owner.userId, outcome: outcome.kind, reason: outcome.reason }, 'owner alert not delivered (has the owner started a private chat with the bot?)');
    } catch (err) {
      reportError(logger, err, { platform: owner.platform, method: 'owner alert' });
    }
  }

  /** One message for a group of alerts: a heading, then each kind with its lines. */
  render(alerts: readonly Alert[]): string {
    const t = opsText[this.#o.language];
    const out: string[] = [t.heading(alerts.length)];
    for (const kind of KIND_ORDER) {
      const ofKind = alerts.filter((a) => a.kind === kind);
      if (ofKind.length === 0) continue;
      const groups = kind === 'late' ? groupBy(ofKind, (a) => a.issueId ?? '') : new Map([['', ofKind]]);
      for (const [issueId, group] of groups) {
        const heading = kind === 'late' ? t.late(issueId, group.length) : kind === 'paused' ? t.paused(group.length) : kind === 'failed' ? t.failed(group.length) : t.problems(group.length);
        out.push('', heading);
        for (const a of group.slice(0, this.#o.maxLines)) out.push(`• ${a.line}`);
        if (group.length > this.#o.maxLines) out.push(t.more(group.length - this.#o.maxLines));
      }
    }
    out.push('', t.footer);
    const text = out.join('\n');
    return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
