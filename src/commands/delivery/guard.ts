/** The check every admin command makes first: can this chat receive timed posts at all? */
import type { DeliveryService } from '../../delivery/service.js';
import type { CommandContext } from '../module.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { sayReply } from './text.js';

/**
 * The delivery service when the caller's platform can receive posts; otherwise a reply saying that
 * timed posts need Telegram or Discord (the shell chat has no delivery port).
 */
export function serviceFor(ctx: CommandContext, access: DeliveryAccess): DeliveryService | Reply {
  const service = access.service();
  if (service && access.canDeliver(ctx.caller.platform)) return service;
  return sayReply(ctx.language, 'info', 'error.unavailable', { platform: { text: ctx.caller.platform, code: true } });
}

export function isReply(value: DeliveryService | Reply): value is Reply {
  return 'kind' in value;
}
