/** /search <query> [page]: full-text search of every issue, 5 hits per page. */
import type { Paragraph, RichText } from '../rich-text.js';
import type { CommandContext, CommandModule, SearchResult } from './module.js';
import { PAGE_OPTION, QUERY_OPTION } from './options.js';
import { echo, errorReply, infoReply, inEveryLanguage, line, message, textReply, toInteger } from './reply.js';
import type { ParsedCommand, Reply } from './types.js';

export const SEARCH_PAGE_SIZE = 5;

/** What to search for, and which page. */
export interface SearchRequest {
  query: string;
  page: number;
}

/**
 * How typed text may be read: always as the whole query on page 1, and, when its last word is a
 * short number (1-3 digits) after other words, also as the rest on that page ("Qwen 开源 2").
 * The handler tries the whole text first, so "ICCV 2021", "GPT 4" and "Qwen 3" search as typed;
 * the page reading is used only when the whole text finds nothing and the rest does.
 */
export function readSearchText(text: string): { whole: SearchRequest; paged: SearchRequest | null } {
  const words = text.trim().split(/\s+/u).filter(Boolean);
  const whole = { query: words.join(' '), page: 1 };
  const last = words.at(-1);
  if (words.length < 2 || last === undefined || !/^\d{1,3}$/u.test(last.normalize('NFKC'))) return { whole, paged: null };
  return { whole, paged: { query: words.slice(0, -1).join(' '), page: Math.max(1, toInteger(last) ?? 1) } };
}

/** The query and page a command names explicitly (a page button, Discord's options), or null for typed text. */
function explicitRequest(command: ParsedCommand): SearchRequest | null {
  const query = command.options?.['query'];
  if (query === undefined) return null;
  const page = command.options?.['page'];
  const asked = typeof page === 'number' ? (Number.isFinite(page) ? Math.trunc(page) : null) : page === undefined ? 1 : toInteger(page);
  return { query: String(query).trim(), page: Math.max(1, asked ?? 1) };
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
  // A cold start indexes the archive newest first: nothing found may only mean not indexed yet.
  const loading = deps.issues.loading?.();
  if (loading) body.push(line(language, 'search.indexing', { loaded: loading.loaded, total: loading.total }));
  return textReply(language, 'info', body);
}

/** One page of results; a page past the end shows the last page rather than an empty one. */
function searchPage(ctx: CommandContext, { query, page }: SearchRequest): SearchResult {
  const search = ctx.deps.search;
  const outcome = search.search(query, { page, pageSize: SEARCH_PAGE_SIZE });
  if (outcome.ok && outcome.total > 0 && outcome.hits.length === 0 && outcome.pageCount >= 1 && page > outcome.pageCount) {
    return search.search(query, { page: outcome.pageCount, pageSize: SEARCH_PAGE_SIZE });
  }
  return outcome;
}

const found = (outcome: SearchResult) => outcome.ok && outcome.total > 0;

async function run(ctx: CommandContext): Promise<Reply> {
  const { language, command } = ctx;
  const explicit = explicitRequest(command);
  const { whole, paged } = explicit ? { whole: explicit, paged: null } : readSearchText(command.text);
  if (whole.query === '') return infoReply(language, 'search.usage');
  let request = whole;
  let outcome = searchPage(ctx, whole);
  if (paged && !found(outcome)) {
    const rest = searchPage(ctx, paged);
    if (found(rest)) [request, outcome] = [paged, rest];
  }
  if (!outcome.ok) {
    if (outcome.reason === 'too_long') return errorReply(language, 'search.tooLong', { limit: outcome.limit ?? '?' });
    return infoReply(language, 'search.usage');
  }
  if (outcome.total === 0) return noHits(ctx, request.query, outcome.suggestions);
  const { total, pageCount, pageSize, hits, suggestions } = outcome;
  return {
    kind: 'search',
    view: { query: request.query, page: outcome.page, pageCount, pageSize, total, hits: [...hits], suggestions: [...suggestions] },
    language,
  };
}

export const searchCommand: CommandModule = {
  info: { name: 'search', description: inEveryLanguage('describe.search'), options: [QUERY_OPTION, PAGE_OPTION], adminOnly: false },
  aliases: ['find', 's'],
  run,
};
