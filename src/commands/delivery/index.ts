/** The delivery commands, built in `createCore` from the delivery facade. */
import type { CommandModule } from '../module.js';
import type { DeliveryAccess } from './access.js';
import { broadcastCommand } from './broadcast.js';
import { deliveryChatInfo } from './chat-info.js';
import { followCommands } from './follow.js';
import { sectionsCommand } from './sections.js';
import { scheduleCommand } from './schedule.js';
import { statusCommand } from './status.js';
import { subscribeCommand, unsubscribeCommand } from './subscribe.js';

export type { DeliveryAccess } from './access.js';

/** /subscribe, /unsubscribe, /schedule, /status (chat admins), /broadcast (owners), then /sections, /follow, /following, /unfollow, in listing order. */
export function deliveryCommands(access: DeliveryAccess): CommandModule[] {
  return [
    subscribeCommand(access),
    unsubscribeCommand(access),
    scheduleCommand(access),
    statusCommand(access),
    broadcastCommand(access),
    // The readers' choices: section filters and saved-search alerts.
    sectionsCommand(access),
    ...followCommands(access),
  ];
}

export { deliveryChatInfo };
