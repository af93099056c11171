/**
 * /schedule <cron | daily HH:MM | weekly <day> HH:MM | off> [timezone]: sets when the chat gets
 * posts (subscribing it if needed) and answers with the next three runs in the chat's zone. With a
 * time zone alone it keeps the schedule and moves the zone; with nothing it shows the current
 * schedule and the accepted forms.
 */
import { nextRuns } from '../../schedule/expression.js';
import { textReply } from '../reply.js';
import type { CommandContext, CommandModule } from '../module.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { isReply, serviceFor } from './guard.js';
import { describe, REQUIRED_SCHEDULE_OPTION, TIMEZONE_OPTION } from './options.js';
import { scheduleParagraphs, settingsErrorReply, splitScheduleArgs, subscribedReply } from './settings-reply.js';
import { byOf, chatOf, para, scheduleForms } from './text.js';

async function run(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = serviceFor(ctx, access);
  if (isReply(service)) return service;
  const { language, caller } = ctx;
  const chat = chatOf(caller);
  const before = service.store.subscriptions.get(chat.platform, chat.chatId);
  const { schedule, timezone } = splitScheduleArgs(ctx.command.args);
  if (schedule === undefined && timezone === undefined) {
    const runs = before?.schedule && !before.paused ? nextRuns(before.schedule, before.timezone, 3) : [];
    const current = before ? scheduleParagraphs(before, runs, language) : [];
    return textReply(language, 'info', [...current, para(language, 'schedule.usage'), ...scheduleForms(language, access.defaultTimeZone)]);
  }
  try {
    // A chat subscribed by /schedule reads in the caller's language, as with /subscribe.
    const result = service.subscribe(chat, {
      ...(schedule !== undefined ? { schedule } : {}),
      ...(timezone !== undefined ? { timezone } : {}),
      ...(before ? {} : { language }),
      by: byOf(caller),
    });
    return subscribedReply(result, language, before?.pausedReason ?? null);
  } catch (err) {
    const reply = settingsErrorReply(err, language, access.defaultTimeZone);
    if (reply) return reply;
    throw err;
  }
}

export function scheduleCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'schedule', description: describe('describe.schedule'), options: [REQUIRED_SCHEDULE_OPTION, TIMEZONE_OPTION], adminOnly: true },
    run: (ctx) => run(ctx, access),
  };
}
