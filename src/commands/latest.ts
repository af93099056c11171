/** /latest [full|compact]: the latest issue's digest, in this chat's mode unless one is asked for. */
import type { DigestMode } from '../digest/digest.js';
import type { CommandContext, CommandModule } from './module.js';
import { MODE_OPTION } from './options.js';
import { echo, errorReply, infoReply, inEveryLanguage, message } from './reply.js';
import type { Reply } from './types.js';

// A Map, not an object literal: "constructor" or "__proto__" must not read as a mode.
const MODES = new Map<string, DigestMode>([
  ['full', 'full'],
  ['compact', 'compact'],
  ['完整', 'full'],
  ['简洁', 'compact'],
]);


/** The mode for this chat: its own setting, else the configured default. */
export async function chatMode(ctx: CommandContext): Promise<DigestMode> {
  return (await ctx.deps.chats?.modeFor?.(ctx.caller)) ?? ctx.deps.defaults.mode;
}

async function run(ctx: CommandContext): Promise<Reply> {
  const { language, command, deps } = ctx;
  const [first, ...extra] = command.args;
  const asked = first === undefined ? undefined : MODES.get(first.normalize('NFKC').toLowerCase());
  if ((first !== undefined && asked === undefined) || extra.length > 0) {
    return errorReply(language, 'extraArgs', { command: '/latest', args: echo(command.text), usage: message(language, 'latest.usage') });
  }
  const issue = deps.issues.latest();
  if (!issue) return infoReply(language, 'empty.archive');
  const mode = asked ?? (await chatMode(ctx));
  const digest = deps.digests(issue, mode);
  return { kind: 'digest', digest, language };
}

export const latestCommand: CommandModule = {
  info: { name: 'latest', description: inEveryLanguage('describe.latest'), options: [MODE_OPTION], adminOnly: false },
  run,
};
