/** /issue <date> [item]: one issue (or one of its items); no date shows the archive. */
import { buildItemView } from '../digest/digest.js';
import { itemsOf, type Issue } from '../issue/model.js';
import type { Paragraph } from '../rich-text.js';
import { archiveReply } from './issues.js';
import { matchIssueRef, nearestIssueIds, parseIssueRef } from './issue-ref.js';
import { chatMode } from './latest.js';
import type { CommandContext, CommandModule } from './module.js';
import { ITEM_OPTION, OPTIONAL_DATE_OPTION } from './options.js';
import { echo, errorReply, inEveryLanguage, line, message, textReply, toInteger } from './reply.js';
import type { Reply } from './types.js';

type Lookup = { issue: Issue } | { nearest: string[] } | { invalid: true };

function lookUp(ctx: CommandContext, raw: string): Lookup {
  const { issues } = ctx.deps;
  const ref = parseIssueRef(raw);
  if (ref) {
    const all = issues.list();
    const id = matchIssueRef(ref, all);
    const issue = id === null ? null : issues.get(id);
    return issue ? { issue } : { nearest: nearestIssueIds(ref, all) };
  }
  // A file name ("AI简报20210814.md") is also a reference the library understands.
  const byName = raw.length <= 200 ? issues.get(raw) : null;
  return byName ? { issue: byName } : { invalid: true };
}

async function run(ctx: CommandContext): Promise<Reply> {
  const { language, command, deps } = ctx;
  const [raw, itemArg, ...extra] = command.args;
  if (raw === undefined) return archiveReply(deps.issues, language, 1);
  // A file name may hold spaces ("AI 简报20201030.md").
  const byFileName = /\.md$/i.test(command.text) && command.text.length <= 200 ? deps.issues.get(command.text) : null;
  if (byFileName) return digestReply(ctx, byFileName);
  if (extra.length > 0) {
    return errorReply(language, 'extraArgs', { command: '/issue', args: echo(extra.join(' ')), usage: message(language, 'issue.usage') });
  }
  const found = lookUp(ctx, raw);
  if ('invalid' in found) return errorReply(language, 'issue.badRef', { ref: echo(raw) });
  if ('nearest' in found) {
    const body = [line(language, 'issue.notFound', { ref: echo(raw) })];
    if (found.nearest.length > 0) {
      const ids: Paragraph = found.nearest.flatMap((id, i) => [...(i > 0 ? [{ text: ' · ' }] : []), { text: `/issue ${id}`, code: true }]);
      body.push([{ text: `${message(language, 'issue.nearest')} ` }, ...ids]);
    }
    return textReply(language, 'error', body);
  }
  const { issue } = found;
  if (itemArg !== undefined) {
    const n = toInteger(itemArg);
    const view = n === null ? null : buildItemView(issue, n - 1);
    if (!view) return errorReply(language, 'issue.badItem', { item: echo(itemArg), count: itemsOf(issue).length });
    return { kind: 'item', view, language };
  }
  return digestReply(ctx, issue);
}

async function digestReply(ctx: CommandContext, issue: Issue): Promise<Reply> {
  const mode = await chatMode(ctx);
  return { kind: 'digest', digest: ctx.deps.digests(issue, mode), language: ctx.language };
}

export const issueCommand: CommandModule = {
  info: { name: 'issue', description: inEveryLanguage('describe.issue'), options: [OPTIONAL_DATE_OPTION, ITEM_OPTION], adminOnly: false },
  run,
};
