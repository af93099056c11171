/** What the admin commands need from the running app: the delivery service, when there is one. */
import type { DeliveryService } from '../../delivery/service.js';
import type { PlatformName } from '../../platform.js';
import type { Caller } from '../types.js';

export interface DeliveryAccess {
  /** The open service, or null when this process delivers nowhere (the shell chat alone). */
  service(): DeliveryService | null;
  /** Whether chats of this platform can receive timed posts here (an adapter with a delivery port). */
  canDeliver(platform: PlatformName): boolean;
  /** Whether the caller is listed in OWNER_IDS for its platform. */
  isOwner(caller: Caller): boolean;
  /** DEFAULT_TIMEZONE: how times are shown to a chat without a subscription. */
  readonly defaultTimeZone: string;
}
