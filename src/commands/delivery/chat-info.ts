/** The ChatInfoPort filled from the store: /start and /help show the chat's subscription; /latest uses its mode. */
import type { ChatInfoPort } from '../module.js';
import type { DeliveryAccess } from './access.js';
import { chatOf, describeSchedule, para, quoted, timeIn } from './text.js';

export function deliveryChatInfo(access: DeliveryAccess): ChatInfoPort {
  return {
    async modeFor(caller) {
      const service = access.service();
      if (!service || !access.canDeliver(caller.platform)) return null;
      return service.store.subscriptions.get(caller.platform, caller.chatId)?.mode ?? null;
    },
    async describeChat(caller, language) {
      const service = access.service();
      // Chats that cannot receive posts (the shell) hear nothing about subscriptions.
      if (!service || !access.canDeliver(caller.platform)) return null;
      const status = service.status(chatOf(caller));
      const sub = status.subscription;
      if (!sub) return [para(language, 'chat.none')];
      if (sub.paused) return [para(language, 'chat.paused', { reason: quoted(sub.pausedReason ?? '', 120) })];
      if (!sub.schedule || status.nextRun === null) return [para(language, 'chat.off')];
      return [
        para(language, 'chat.subscribed', {
          schedule: describeSchedule(sub.schedule, language),
          zone: { text: sub.timezone, code: true },
          next: timeIn(status.nextRun, sub.timezone, language),
        }),
      ];
    },
  };
}
