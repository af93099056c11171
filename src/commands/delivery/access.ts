/** What the delivery commands need from the running app: the delivery facade (when there is one), the owners, the default zone. */
import type { Delivery } from '../../delivery/delivery.js';
import type { Caller } from '../types.js';

export interface DeliveryAccess {
  /** Null when this process delivers nowhere (the shell chat alone). */
  readonly delivery: Delivery | null;
  /** OWNER_IDS: who may /broadcast, per platform. */
  readonly owners: ReadonlyArray<{ platform: string; userId: string }>;
  /** DEFAULT_TIMEZONE: how times are shown to a chat without a subscription. */
  readonly defaultTimeZone: string;
}

/** Whether the caller is listed in OWNER_IDS for its platform. */
export function isOwner(access: DeliveryAccess, caller: Caller): boolean {
  return access.owners.some((o) => o.platform === caller.platform && o.userId === caller.userId);
}
