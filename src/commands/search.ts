/** /search <query> [page]: full-text search of every issue, 5 hits per page. */
import type { Paragraph, RichText } from '../rich-text.js';
import type { CommandContext, CommandModule } from './module.js';
import { PAGE_OPTION, QUERY_OPTION } from './options.js';
import { echo, errorReply, infoReply, inEveryLanguage, line, message, textReply, toInteger } from './reply.js';
import type { Reply } from './types.js';

export const SEARCH_PAGE_SIZE = 5;

/**
 * Splits "Qwen 开源 2" into query "Qwen 开源" and page 2: a trailing whole number is the page,
 * unless it is the only word (then it is what to search for).
 */
export function splitSearchText(text: string): { query: string; page: number } {
  const words = text.trim().split(/\s+/u).filter(Boolean);
  const last = words.at(-1);
  const page = words.length >= 2 && last !== undefined ? toInteger(last) : null;
  const queryWords = page === null ? words : words.slice(0, -1);
  return { query: queryWords.join(' '), page: Math.max(1, page ?? 1) };
}

function noHits(ctx: CommandContext, query: string, suggestions: readonly string[]): Reply {
  const { language, deps } = ctx;
  const body: RichText = [line(language, 'search.noHits', { query: echo(query) })];
  if (suggestions.length > 0) {
    const tries: Paragraph = suggestions.slice(0, 5).flatMap((s, i) => [...(i > 0 ? [{ text: ' · ' }] : []), { text: `/search ${s}`, code: true }]);
    body.push([{ text: `${message(language, 'search.suggest')} ` }, ...tries]);
  }
  const latest = deps.issues.latest();
  if (latest) body.push(line(language, 'search.latest', { date: latest.date, title: latest.title }));
  return textReply(language, 'info', body);
}

async function run(ctx: CommandContext): Promise<Reply> {
  const { language, command, deps } = ctx;
  const { query, page } = splitSearchText(command.text);
  if (query === '') return infoReply(language, 'search.usage');
  let outcome = deps.search.search(query, { page, pageSize: SEARCH_PAGE_SIZE });
  // A page past the end shows the last page rather than an empty one.
  if (outcome.ok && outcome.total > 0 && outcome.hits.length === 0 && outcome.pageCount >= 1 && page > outcome.pageCount) {
    outcome = deps.search.search(query, { page: outcome.pageCount, pageSize: SEARCH_PAGE_SIZE });
  }
  if (!outcome.ok) {
    if (outcome.reason === 'too_long') return errorReply(language, 'search.tooLong', { limit: outcome.limit ?? '?' });
    return infoReply(language, 'search.usage');
  }
  if (outcome.total === 0) return noHits(ctx, query, outcome.suggestions);
  const { total, pageCount, pageSize, hits, suggestions } = outcome;
  return {
    kind: 'search',
    view: { query, page: outcome.page, pageCount, pageSize, total, hits: [...hits], suggestions: [...suggestions] },
    language,
  };
}

export const searchCommand: CommandModule = {
  info: { name: 'search', description: inEveryLanguage('describe.search'), options: [QUERY_OPTION, PAGE_OPTION], adminOnly: false },
  aliases: ['find', 's'],
  run,
};
