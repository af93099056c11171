/**
 * Which chat updates were handled already, so an update delivered again (a crashed poller's
 * unconfirmed batch, a webhook retry reaching another instance) is answered once. Backed by the
 * store when delivery is on (`Delivery.firstHandling`); without a store every update counts as first.
 */
import type { PlatformName } from './platform.js';

export interface UpdateLedger {
  /** True for the first handling of `key` (the platform's update id), false for a repeat. Rejects when the store fails. */
  firstHandling(platform: PlatformName, key: string): Promise<boolean>;
}

/** No store (the shell chat, delivery off): nothing to remember, every update is new. */
export const everyUpdateFirst: UpdateLedger = { firstHandling: async () => true };
