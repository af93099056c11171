/** /subscribe [schedule] [timezone] and /unsubscribe: a chat's admin turns timed posts on or off. */
import type { CommandContext, CommandModule } from '../module.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { isReply, serviceFor } from './guard.js';
import { describe, SCHEDULE_OPTION, TIMEZONE_OPTION } from './options.js';
import { settingsErrorReply, splitScheduleArgs, subscribedReply } from './settings-reply.js';
import { byOf, chatOf, sayReply } from './text.js';

/**
 * Subscribes the chat, or changes its schedule or zone, or resumes it after a pause. Without
 * arguments a new subscription gets DEFAULT_SCHEDULE and DEFAULT_TIMEZONE and an existing one keeps
 * its settings. A new subscription reads in the caller's language.
 */
async function subscribe(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = serviceFor(ctx, access);
  if (isReply(service)) return service;
  const chat = chatOf(ctx.caller);
  const before = service.store.subscriptions.get(chat.platform, chat.chatId);
  const { schedule, timezone } = splitScheduleArgs(ctx.command.args);
  try {
    const result = service.subscribe(chat, {
      ...(schedule !== undefined ? { schedule } : {}),
      ...(timezone !== undefined ? { timezone } : {}),
      ...(before ? {} : { language: ctx.language }),
      by: byOf(ctx.caller),
    });
    return subscribedReply(result, ctx.language, before?.pausedReason ?? null);
  } catch (err) {
    const reply = settingsErrorReply(err, ctx.language, access.defaultTimeZone);
    if (reply) return reply;
    throw err;
  }
}

async function unsubscribe(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = serviceFor(ctx, access);
  if (isReply(service)) return service;
  const removed = service.unsubscribe(chatOf(ctx.caller));
  return sayReply(ctx.language, 'info', removed ? 'unsubscribe.done' : 'unsubscribe.none');
}

export function subscribeCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'subscribe', description: describe('describe.subscribe'), options: [SCHEDULE_OPTION, TIMEZONE_OPTION], adminOnly: true },
    run: (ctx) => subscribe(ctx, access),
  };
}

export function unsubscribeCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'unsubscribe', description: describe('describe.unsubscribe'), options: [], adminOnly: true },
    run: (ctx) => unsubscribe(ctx, access),
  };
}
