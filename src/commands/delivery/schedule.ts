/**
 * /schedule <cron | daily HH:MM | weekly <day> HH:MM | off> [timezone]: sets when the chat gets
 * posts (subscribing it if needed) and answers with the next three runs in the chat's zone. With a
 * time zone alone it keeps the schedule and moves the zone; with nothing it shows the current
 * schedule and the accepted forms.
 */
import { nextRuns } from '../../schedule/expression.js';
import type { CommandContext, CommandModule } from '../module.js';
import { REQUIRED_SCHEDULE_OPTION, TIMEZONE_OPTION } from '../options.js';
import { deliveryCatalog, textReply } from '../reply.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { deliveryFor, isReply } from './guard.js';
import { refusedReply, scheduleParagraphs, splitScheduleArgs, subscribedReply } from './settings-reply.js';
import { byOf, chatOf, para, scheduleForms } from './text.js';

async function run(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const delivery = deliveryFor(ctx, access);
  if (isReply(delivery)) return delivery;
  const { language, caller } = ctx;
  const chat = chatOf(caller);
  const before = await delivery.subscription(chat);
  const { schedule, timezone } = splitScheduleArgs(ctx.command.args);
  if (schedule === undefined && timezone === undefined) {
    const runs = before?.schedule && !before.paused ? nextRuns(before.schedule, before.timezone, 3) : [];
    const current = before ? scheduleParagraphs(before, runs, language) : [];
    return textReply(language, 'info', [...current, para(language, 'schedule.usage'), ...scheduleForms(language, access.defaultTimeZone)]);
  }
  // A chat subscribed by /schedule reads in the caller's language, as with /subscribe.
  const result = await delivery.subscribe(chat, {
    ...(schedule !== undefined ? { schedule } : {}),
    ...(timezone !== undefined ? { timezone } : {}),
    ...(before ? {} : { language }),
    by: byOf(caller),
  });
  return result.ok ? subscribedReply(result, language) : refusedReply(result, language, access.defaultTimeZone);
}

export function scheduleCommand(access: DeliveryAccess): CommandModule {
  return {
    info: {
      name: 'schedule',
      description: deliveryCatalog.inEveryLanguage('describe.schedule'),
      options: [REQUIRED_SCHEDULE_OPTION, TIMEZONE_OPTION],
      adminOnly: true,
    },
    run: (ctx) => run(ctx, access),
  };
}
