/** /subscribe [schedule] [timezone] and /unsubscribe: a chat's admin turns timed posts on or off. */
import type { CommandContext, CommandModule } from '../module.js';
import { SCHEDULE_OPTION, TIMEZONE_OPTION } from '../options.js';
import { deliveryCatalog } from '../reply.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { deliveryFor, isReply } from './guard.js';
import { refusedReply, splitScheduleArgs, subscribedReply } from './settings-reply.js';
import { byOf, chatOf, sayReply } from './text.js';

/**
 * Subscribes the chat, or changes its schedule or zone, or resumes it after a pause. Without
 * arguments a new subscription gets DEFAULT_SCHEDULE and DEFAULT_TIMEZONE and an existing one keeps
 * its settings. A new subscription reads in the caller's language.
 */
async function subscribe(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const delivery = deliveryFor(ctx, access);
  if (isReply(delivery)) return delivery;
  const chat = chatOf(ctx.caller);
  const { schedule, timezone } = splitScheduleArgs(ctx.command.args);
  const existing = await delivery.subscription(chat);
  const result = await delivery.subscribe(chat, {
    ...(schedule !== undefined ? { schedule } : {}),
    ...(timezone !== undefined ? { timezone } : {}),
    ...(existing ? {} : { language: ctx.language }),
    by: byOf(ctx.caller),
  });
  return result.ok ? subscribedReply(result, ctx.language) : refusedReply(result, ctx.language, access.defaultTimeZone);
}

async function unsubscribe(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const delivery = deliveryFor(ctx, access);
  if (isReply(delivery)) return delivery;
  const removed = await delivery.unsubscribe(chatOf(ctx.caller));
  return sayReply(ctx.language, 'info', removed ? 'unsubscribe.done' : 'unsubscribe.none');
}

export function subscribeCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'subscribe', description: deliveryCatalog.inEveryLanguage('describe.subscribe'), options: [SCHEDULE_OPTION, TIMEZONE_OPTION], adminOnly: true },
    run: (ctx) => subscribe(ctx, access),
  };
}

export function unsubscribeCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'unsubscribe', description: deliveryCatalog.inEveryLanguage('describe.unsubscribe'), options: [], adminOnly: true },
    run: (ctx) => unsubscribe(ctx, access),
  };
}
