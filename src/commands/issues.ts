/** /issues [page]: the archive, newest first, 10 per page. */
import { buildArchivePage } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import type { CommandContext, CommandModule, LibraryPort } from './module.js';
import { PAGE_OPTION } from './options.js';
import { echo, errorReply, infoReply, inEveryLanguage, message, toInteger } from './reply.js';
import type { Reply } from './types.js';

export const ARCHIVE_PAGE_SIZE = 10;

/**
 * One archive page, newest first. A page past the end shows the last page; 0 shows the first
 * (the view says which page it is, so the reader sees where they landed).
 */
export function archiveReply(issues: LibraryPort, language: Language, requestedPage: number): Reply {
  const newestFirst = [...issues.list()].reverse();
  if (newestFirst.length === 0) return infoReply(language, 'empty.archive');
  const pageCount = Math.ceil(newestFirst.length / ARCHIVE_PAGE_SIZE);
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  return { kind: 'archive', view: buildArchivePage(newestFirst, page, ARCHIVE_PAGE_SIZE), language };
}

async function run(ctx: CommandContext): Promise<Reply> {
  const { language, command } = ctx;
  const [first, ...extra] = command.args;
  if (extra.length > 0) {
    return errorReply(language, 'extraArgs', { command: '/issues', args: echo(extra.join(' ')), usage: message(language, 'issues.usage') });
  }
  const page = first === undefined ? 1 : toInteger(first);
  if (page === null) return errorReply(language, 'issues.badPage', { page: echo(first ?? '') });
  return archiveReply(ctx.deps.issues, language, page);
}

export const issuesCommand: CommandModule = {
  info: { name: 'issues', description: inEveryLanguage('describe.issues'), options: [PAGE_OPTION], adminOnly: false },
  aliases: ['archive'],
  run,
};
