/**
 * What the running bot tells the operator's side (metrics, owner alerts) as it works. The core calls
 * these hooks in one line where things happen; whoever builds the app decides what listens
 * (`fanOut`), and nothing listens by default, so the hooks cost a property read when off.
 */
import type { DeliveryOutcome, PlatformName } from '../platform.js';

/** The part an outcome belongs to (a delivery row without its payload). */
export interface PartRef {
  platform: PlatformName;
  chatId: string;
  issueId: string;
  partIndex: number;
  partCount: number;
}

export interface OpsObserver {
  /** A command was answered (`command`: its name, or "unknown"), after `seconds` of work. */
  commandHandled(command: string, platform: PlatformName, seconds: number): void;
  /**
   * The outbox recorded an outcome for a part. `lastAttempt`: a transient failure now fails the part
   * for good (MAX_ATTEMPTS reached).
   */
  partOutcome(part: PartRef, outcome: DeliveryOutcome, lastAttempt: boolean): void;
  /** A platform told us to wait (429) this long: replies (the limiter's hold) and outbox parts. */
  rateLimited(platform: PlatformName, seconds: number): void;
  /** A scheduled run (cron, catch-up or late) was handled and committed at `at` (epoch ms). */
  scheduledRun(at: number): void;
}

/** What happened to a part, for counting: sent, will be tried again, or failed for good. */
export type PartResult = 'sent' | 'retried' | 'failed';

/** Maps an outcome to what it means for the part. A chat that is gone fails its part for good. */
export function partResult(outcome: DeliveryOutcome, lastAttempt: boolean): PartResult {
  switch (outcome.kind) {
    case 'sent':
      return 'sent';
    case 'rate_limited':
    case 'migrated':
      return 'retried';
    case 'transient':
      return lastAttempt ? 'failed' : 'retried';
    case 'gone':
    case 'failed':
      return 'failed';
  }
}

/** One observer calling several; a listener that throws never breaks the caller or the others. */
export function fanOut(listeners: ReadonlyArray<Partial<OpsObserver>>, onError: (err: unknown) => void = () => {}): OpsObserver {
  const call = <K extends keyof OpsObserver>(name: K, args: Parameters<OpsObserver[K]>): void => {
    for (const listener of listeners) {
      const fn = listener[name] as ((...a: Parameters<OpsObserver[K]>) => void) | undefined;
      if (!fn) continue;
      try {
        fn.apply(listener, args);
      } catch (err) {
        onError(err);
      }
    }
  };
  return {
    commandHandled: (...args) => call('commandHandled', args),
    partOutcome: (...args) => call('partOutcome', args),
    rateLimited: (...args) => call('rateLimited', args),
    scheduledRun: (...args) => call('scheduledRun', args),
  };
}
