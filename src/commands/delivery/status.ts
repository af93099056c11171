/** /status: the chat's subscription, its next run, the last delivery part by part, and recent failures. */
import type { ChatStatus } from '../../delivery/results.js';
import type { Language } from '../../i18n/language.js';
import type { Paragraph } from '../../rich-text.js';
import { deliveryCatalog, echo, textReply } from '../reply.js';
import type { CommandContext, CommandModule } from '../module.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { deliveryFor, isReply } from './guard.js';
import { chatOf, describeSchedule, para, partState, say, timeIn } from './text.js';

function subscriptionParagraphs(status: ChatStatus, zone: string, language: Language): Paragraph[] {
  const sub = status.subscription;
  if (!sub) return [para(language, 'status.none')];
  const out: Paragraph[] = [
    para(language, 'status.subscription', {
      schedule: sub.schedule ? describeSchedule(sub.schedule, language) : say(language, 'schedule.off'),
      zone: { text: sub.timezone, code: true },
      mode: say(language, `mode.${sub.mode}`),
      language: say(language, `language.${sub.language}`),
      by: { text: sub.updatedBy, code: true },
      at: timeIn(sub.updatedAt, zone, language),
    }),
  ];
  if (sub.paused) out.push(para(language, 'status.paused', { reason: echo(sub.pausedReason ?? '', 120) }));
  else if (status.nextRun !== null) out.push(para(language, 'status.next', { time: timeIn(status.nextRun, zone, language) }));
  else out.push(para(language, 'status.nextNone'));
  return out;
}

function deliveryParagraphs(status: ChatStatus, zone: string, language: Language): Paragraph[] {
  const last = status.lastDelivery;
  if (!last) return [para(language, 'status.noDelivery')];
  const count = last.parts[0]?.partCount ?? last.parts.length;
  const out: Paragraph[] = [para(language, 'status.lastDelivery', { issue: { text: last.issueId, code: true }, count })];
  for (const part of last.parts) {
    out.push([...para(language, 'status.part', { part: part.partIndex + 1, count: part.partCount }), ...partState(part, zone, language)]);
  }
  // Failures of the last issue are already listed above.
  const older = status.failures.filter((f) => f.issueId !== last.issueId);
  if (older.length > 0) {
    out.push(para(language, 'status.failures'));
    for (const f of older) {
      out.push(
        para(language, 'status.failure', {
          issue: { text: f.issueId, code: true },
          part: f.partIndex + 1,
          count: f.partCount,
          at: timeIn(f.updatedAt, zone, language),
          error: echo(f.lastError ?? '', 120),
        }),
      );
    }
  }
  if (status.unsent > 0) out.push(para(language, 'status.unsent', { count: status.unsent }));
  return out;
}

async function run(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const delivery = deliveryFor(ctx, access);
  if (isReply(delivery)) return delivery;
  const status = await delivery.status(chatOf(ctx.caller));
  const zone = status.subscription?.timezone ?? access.defaultTimeZone;
  return textReply(ctx.language, 'info', [...subscriptionParagraphs(status, zone, ctx.language), ...deliveryParagraphs(status, zone, ctx.language)]);
}

export function statusCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'status', description: deliveryCatalog.inEveryLanguage('describe.status'), options: [], adminOnly: true },
    run: (ctx) => run(ctx, access),
  };
}
