/**
 * The outbox: an issue becomes parts, one per message per chat, rendered once per (platform, mode,
 * language) through the platform's own renderer and stored once (every chat's parts point at the same
 * payloads). All parts are inserted in one transaction, and the unique key (platform, chat, issue,
 * part) makes queueing the same issue twice a no-op.
 */
import type { Clock } from '../clock.js';
import type { DigestBuilder } from '../digest/builder.js';
import type { DigestMode } from '../digest/digest.js';
import { DeliveryError } from '../errors.js';
import type { Language } from '../i18n/language.js';
import type { Issue } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { ChatRef, DeliveryPort, OutboundMessage, PlatformName } from '../platform.js';
import type { NewPart, Store, StoreTx } from '../store/index.js';
import { applySectionFilter, filterKey, itemCountOf } from './filters.js';

/** One chat to queue an issue for, with how it reads it. */
export interface OutboxTarget {
  chat: ChatRef;
  mode: DigestMode;
  language: Language;
}

export interface EnqueueResult {
  /** Chats that got at least one new (or reopened) part. */
  chats: number;
  /** Parts inserted or reopened. */
  parts: number;
  /** Chats left out: no adapter for their platform, or their render failed. */
  skipped: number;
  /** Chats whose section filter left nothing of the issue (recorded as skipped for them). */
  filtered?: number;
}

export interface OutboxDeps {
  store: Store;
  ports: ReadonlyMap<PlatformName, DeliveryPort>;
  /** The core's digest builder. */
  digests: DigestBuilder;
  clock: Clock;
  logger: Logger;
}

export class Outbox {
  constructor(private readonly deps: OutboxDeps) {}

  /** The messages a chat on `platform` would receive for `issue` (what `--dry-run` shows). */
  render(issue: Issue, platform: PlatformName, mode: DigestMode, language: Language): OutboundMessage[] {
    const port = this.deps.ports.get(platform);
    if (!port) throw new DeliveryError(`no ${platform} adapter is configured`, { platform, issueId: issue.id });
    try {
      return port.renderDigest(this.deps.digests(issue, mode), language);
    } catch (err) {
      throw new DeliveryError(`rendering issue ${issue.id} for ${platform} failed: ${err instanceof Error ? err.message : String(err)}`, {
        platform,
        issueId: issue.id,
        mode,
        language,
      }, { cause: err });
    }
  }

  /**
   * Queues `issue` for every target in one transaction. With `reopen`, parts of this issue that
   * ended failed or skipped go back in line (an explicit resend: broadcast, deliver now).
   */
  enqueue(issue: Issue, targets: readonly OutboxTarget[], options: { reopen?: boolean } = {}): Promise<EnqueueResult> {
    return this.deps.store.transaction((tx) => this.enqueueIn(tx, issue, targets, options));
  }

  /** `enqueue` inside the caller's transaction (the scheduler marks its run in the same one). */
  async enqueueIn(tx: StoreTx, issue: Issue, targets: readonly OutboxTarget[], options: { reopen?: boolean } = {}): Promise<EnqueueResult> {
    const { clock, logger } = this.deps;
    /** Payload ids of each rendered (platform, mode, language, section filter), null when its render failed, 'filtered' when nothing is left. */
    const rendered = new Map<string, number[] | null | 'filtered'>();
    const result: EnqueueResult = { chats: 0, parts: 0, skipped: 0, filtered: 0 };
    const now = clock.now();
    for (const { chat, mode, language } of targets) {
      const filter = await tx.readers.sectionFilter(chat.platform, chat.chatId);
      const key = `${chat.platform}\u0000${mode}\u0000${language}\u0000${filterKey(filter)}`;
      if (!rendered.has(key)) {
        const shown = applySectionFilter(issue, filter);
        let messages: OutboundMessage[] | null = null;
        if (filter && itemCountOf(shown) === 0) {
          rendered.set(key, 'filtered');
        } else {
          try {
            messages = this.render(shown, chat.platform, mode, language);
          } catch (err) {
            reportError(logger, err);
          }
          rendered.set(key, messages && (await tx.parts.savePayloads(messages)));
        }
      }
      const payloadIds = rendered.get(key);
      if (payloadIds === 'filtered') {
        // Recorded as skipped (visible in /status) and so never owed again; not sent empty.
        if (!(await tx.parts.hasIssue(chat.platform, chat.chatId, issue.id))) await tx.readers.markFilteredOut(chat, issue.id, now);
        result.filtered = (result.filtered ?? 0) + 1;
        continue;
      }
      if (!payloadIds) {
        result.skipped++;
        continue;
      }
      // An explicit resend after the filter changed replaces the "nothing left" row.
      if (options.reopen) await tx.readers.clearFilteredOut(chat.platform, chat.chatId, issue.id);
      const parts: NewPart[] = payloadIds.map((payloadId, partIndex) => ({
        platform: chat.platform,
        chatId: chat.chatId,
        threadId: chat.threadId,
        issueId: issue.id,
        partIndex,
        partCount: payloadIds.length,
        payloadId,
      }));
      let added = await tx.parts.insertParts(parts, now);
      if (options.reopen) added += await tx.parts.reopen(chat.platform, chat.chatId, issue.id, now);
      if (added > 0) {
        result.chats++;
        result.parts += added;
      }
    }
    return result;
  }
}
