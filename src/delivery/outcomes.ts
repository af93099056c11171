/**
 * What the outbox does with one send's outcome: the rows it writes (inside the worker's group
 * commit) and what that chat does next. A 429 is the platform's pacing, not a failed attempt; a
 * transient failure backs off until MAX_ATTEMPTS; a chat that is gone is paused; a migrated Telegram
 * group takes its subscription and unsent parts to the new id.
 */
import type { Clock } from '../clock.js';
import { DeliveryError } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import type { OpsObserver } from '../ops/observer.js';
import type { DeliveryOutcome } from '../platform.js';
import type { Part, StoreTx } from '../store/index.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffMs, type RetryPolicy } from './retry.js';

/** What the chat does after an outcome: send its next part, stop for now, or go on under a new id. */
export type Step = { next: 'continue' } | { next: 'stop' } | { next: 'move'; chatId: string };

export interface OutcomeDeps {
  clock: Clock;
  limiter: RateLimiter;
  retry: RetryPolicy;
  logger: Logger;
  /** Called after a subscription was paused or moved (the scheduler re-syncs its tasks). */
  onSubscriptionsChanged?: (() => void) | undefined;
  /** Told every recorded outcome, after its commit (metrics, owner alerts). */
  observer?: OpsObserver | undefined;
}

/** Tells the observer (metrics, owner alerts) of an outcome, once its commit is done. */
export function observeOutcome(deps: OutcomeDeps, head: Part, outcome: DeliveryOutcome, later: (effect: () => void) => void): void {
  if (deps.observer) later(() => deps.observer?.partOutcome(head, outcome, head.attempts >= deps.retry.maxAttempts));
}

/**
 * Records one outcome through `tx` (the caller's transaction) and says what the chat does next;
 * `head.attempts` already counts this attempt. What is not a write (log lines, the rate limiter's penalty, the
 * scheduler's re-sync) goes to `later`, so a caller whose commit may fail and be tried again runs
 * them once, after its commit (default: at once).
 */
export async function recordOutcome(
  deps: OutcomeDeps,
  tx: StoreTx,
  head: Part,
  outcome: DeliveryOutcome,
  later: (effect: () => void) => void = (effect) => effect(),
): Promise<Step> {
  const { clock, limiter, retry, logger } = deps;
  const now = clock.now();
  const where = { platform: head.platform, chatId: head.chatId, issueId: head.issueId, part: head.partIndex };
  observeOutcome(deps, head, outcome, later);
  switch (outcome.kind) {
    case 'sent':
      await tx.parts.markSent(head.id, outcome.messageId, now);
      return { next: 'continue' };
    case 'rate_limited':
      await tx.parts.retryAt(head, now + Math.max(0, outcome.retryAfterMs), outcome.reason, false, now);
      later(() => {
        // A platform-wide wait (Discord's global 429) holds every instance's share; else only this chat waits.
        if (outcome.global) limiter.holdPlatform(head.platform, outcome.retryAfterMs);
        else limiter.penalize(head.platform);
        logger.info({ ...where, retryAfterMs: outcome.retryAfterMs }, 'outbox: rate limited, same part retried after the wait');
      });
      return { next: 'stop' };
    case 'transient':
      if (head.attempts >= retry.maxAttempts) {
        await tx.parts.finish(head.id, 'failed', outcome.reason, now);
        later(() => reportError(logger, new DeliveryError(`part ${head.partIndex + 1}/${head.partCount} of issue ${head.issueId} failed after ${head.attempts} attempts: ${outcome.reason}`, where)));
        return { next: 'continue' };
      }
      await tx.parts.retryAt(head, now + backoffMs(head.attempts, retry), outcome.reason, true, now);
      later(() => logger.info({ ...where, attempts: head.attempts, reason: outcome.reason }, 'outbox: transient failure, backing off'));
      return { next: 'stop' };
    case 'gone':
      await tx.parts.finish(head.id, 'skipped', outcome.reason, now);
      await tx.parts.skipChat(head.platform, head.chatId, outcome.reason, now);
      await tx.subscriptions.pause(head.platform, head.chatId, outcome.reason, now);
      later(() => {
        reportError(logger, new DeliveryError(`chat is gone, subscription paused: ${outcome.reason}`, where));
        deps.onSubscriptionsChanged?.();
      });
      return { next: 'stop' };
    case 'migrated': {
      if (!outcome.toChatId || outcome.toChatId === head.chatId) {
        await tx.parts.finish(head.id, 'failed', `bad migration target: ${outcome.reason}`, now);
        return { next: 'continue' };
      }
      await tx.parts.retryAt(head, now, outcome.reason, false, now);
      await tx.subscriptions.move(head.platform, head.chatId, outcome.toChatId, now);
      await tx.parts.moveChat(head.platform, head.chatId, outcome.toChatId, now);
      later(() => {
        logger.info({ ...where, toChatId: outcome.toChatId }, 'outbox: chat migrated, subscription and remaining parts moved');
        deps.onSubscriptionsChanged?.();
      });
      return { next: 'move', chatId: outcome.toChatId };
    }
    case 'failed':
      await tx.parts.finish(head.id, 'failed', outcome.reason, now);
      later(() => reportError(logger, new DeliveryError(`part ${head.partIndex + 1}/${head.partCount} of issue ${head.issueId} failed: ${outcome.reason}`, where)));
      return { next: 'continue' };
  }
}
