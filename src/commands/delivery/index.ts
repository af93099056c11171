/** The admin commands of delivery, for `createCore(config, logger, { commands, chats })`. */
import type { ChatInfoPort, CommandModule } from '../module.js';
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
export function adminCommands(access: DeliveryAccess): CommandModule[] {
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

/** What /start, /help and /latest learn about a chat from its subscription. */
export function adminChatInfo(access: DeliveryAccess): ChatInfoPort {
  return deliveryChatInfo(access);
}
