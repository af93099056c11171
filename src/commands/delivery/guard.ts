/** The check every delivery command makes first: can this chat receive timed posts at all? */
import type { Delivery } from '../../delivery/delivery.js';
import type { CommandContext } from '../module.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { sayReply } from './text.js';

/**
 * The delivery facade when the caller's platform can receive posts; otherwise a reply saying that
 * timed posts need Telegram or Discord (the shell chat has no delivery port).
 */
export function deliveryFor(ctx: CommandContext, access: DeliveryAccess): Delivery | Reply {
  const { delivery } = access;
  if (delivery?.canDeliver(ctx.caller.platform)) return delivery;
  return sayReply(ctx.language, 'info', 'error.unavailable', { platform: { text: ctx.caller.platform, code: true } });
}

export function isReply(value: Delivery | Reply): value is Reply {
  return 'kind' in value;
}
