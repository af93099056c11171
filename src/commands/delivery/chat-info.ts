/** The ChatInfoPort filled from delivery: /start and /help show the chat's subscription; /latest uses its mode. */
import type { ChatInfoPort } from '../module.js';
import type { DeliveryAccess } from './access.js';
import { echo } from '../reply.js';
import { chatOf, describeSchedule, para, timeIn } from './text.js';

export function deliveryChatInfo(access: DeliveryAccess): ChatInfoPort {
  return {
    async modeFor(caller) {
      const { delivery } = access;
      if (!delivery?.canDeliver(caller.platform)) return null;
      return (await delivery.subscription(caller))?.mode ?? null;
    },
    async describeChat(caller, language) {
      const { delivery } = access;
      // Chats that cannot receive posts (the shell) hear nothing about subscriptions.
      if (!delivery?.canDeliver(caller.platform)) return null;
      const status = await delivery.status(chatOf(caller));
      const sub = status.subscription;
      if (!sub) return [para(language, 'chat.none')];
      if (sub.paused) return [para(language, 'chat.paused', { reason: echo(sub.pausedReason ?? '', 120) })];
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
