/**
 * /broadcast <date | latest>: an owner (OWNER_IDS) pushes an issue to every active subscription now.
 * Chats that already have it get nothing twice; its failed or skipped parts are tried again.
 * Listed with the admin commands (it is `adminOnly`, so the router asks for a chat admin first),
 * and refused to anyone not in OWNER_IDS for their platform.
 */
import type { Issue } from '../../issue/model.js';
import { matchIssueRef, parseIssueRef } from '../issue-ref.js';
import type { CommandContext, CommandModule } from '../module.js';
import { ISSUE_OPTION } from '../options.js';
import { deliveryCatalog, echo, textReply } from '../reply.js';
import type { Reply } from '../types.js';
import { isOwner, type DeliveryAccess } from './access.js';
import { para, sayReply } from './text.js';
import { rpara } from './readers-text.js';

function findIssue(ctx: CommandContext, ref: string): Issue | null {
  const { issues } = ctx.deps;
  if (/^(latest|最新)$/iu.test(ref)) return issues.latest();
  const parsed = parseIssueRef(ref);
  if (parsed) {
    const id = matchIssueRef(parsed, issues.list());
    return id === null ? null : issues.get(id);
  }
  return ref.length <= 200 ? issues.get(ref) : null;
}

async function run(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const { language, caller, command } = ctx;
  if (!isOwner(access, caller)) return sayReply(language, 'error', 'error.ownerOnly', { command: { text: '/broadcast', code: true } });
  const delivery = access.delivery;
  if (!delivery) return sayReply(language, 'info', 'error.unavailable', { platform: { text: caller.platform, code: true } });
  if (command.text === '') return sayReply(language, 'error', 'broadcast.usage');
  const issue = findIssue(ctx, command.text);
  if (!issue) return textReply(language, 'error', [para(language, 'broadcast.notFound', { ref: echo(command.text) }), para(language, 'broadcast.usage')]);
  const active = await delivery.activeCount();
  const result = await delivery.broadcast(issue.id, { by: `${caller.platform}:${caller.userId}` });
  const body = [para(language, 'broadcast.queued', { issue: { text: issue.id, code: true }, chats: result.chats, parts: result.parts })];
  const already = active - result.chats - result.skipped - (result.filtered ?? 0);
  if (result.filtered) body.push(rpara(language, 'broadcast.filtered', { count: result.filtered }));
  if (already > 0) body.push(para(language, 'broadcast.already', { count: already }));
  if (result.skipped > 0) body.push(para(language, 'broadcast.skipped', { count: result.skipped }));
  return textReply(language, 'info', body);
}

export function broadcastCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'broadcast', description: deliveryCatalog.inEveryLanguage('describe.broadcast'), options: [ISSUE_OPTION], adminOnly: true },
    run: (ctx) => run(ctx, access),
  };
}
