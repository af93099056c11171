/**
 * Inline mode: typing `@ourbot nerf` in any chat offers matching items as articles; picking one
 * posts the item (title link, summary, links) into that chat. An empty query offers the latest
 * issue's items. Results come in pages of 20, continued through Telegram's `offset`.
 */
import { createHash } from 'node:crypto';
import type { InlineQuery, InlineQueryResultArticle } from 'telegraf/types';
import { buildItemView, type ItemView } from '../../src/digest/digest.js';
import type { LibraryPort, SearchPort } from '../../src/commands/module.js';
import { languageFromLocale, type Language } from '../../src/i18n/language.js';
import { renderText } from '../../src/i18n/render.js';
import { itemsOf } from '../../src/issue/model.js';
import { spansToPlain } from '../../src/rich-text.js';
import { oneLine, truncate } from '../../src/text/graphemes.js';
import type { BotApi } from './bot-api.js';
import { renderTelegramReply } from './render.js';

/** Short, so a new issue shows up in inline results within a minute. */
const INLINE_CACHE_SECONDS = 30;
const INLINE_PAGE_SIZE = 20;
const MAX_TITLE = 100;
const MAX_DESCRIPTION = 160;
const MAX_RESULT_ID_BYTES = 64;

interface InlineDeps {
  api: BotApi;
  issues: LibraryPort;
  search: SearchPort;
  defaultLanguage: Language;
}

/** What answerInlineQuery gets. */
interface InlineAnswer {
  results: InlineQueryResultArticle[];
  /** '' when there are no more results. */
  nextOffset: string;
}

function resultId(issueId: string, itemIndex: number): string {
  const id = `${issueId}:${itemIndex}`;
  return Buffer.byteLength(id, 'utf8') <= MAX_RESULT_ID_BYTES ? id : createHash('sha256').update(id).digest('base64url').slice(0, 32);
}

/** One item as an article: the title, a line of context, and the item as its message. */
function itemArticle(view: ItemView, language: Language, snippet?: string): InlineQueryResultArticle {
  const messages = renderTelegramReply({ kind: 'item', view, language });
  // An item too long to share a message with its context line starts on the second message.
  const content = (messages.length > 1 ? messages[1] : messages[0]) ?? messages[0];
  const where = [view.date, view.sectionTitle].filter(Boolean).join(' · ');
  const detail = oneLine(snippet ?? view.item.summary);
  const description = truncate([where, detail].filter(Boolean).join(' — '), MAX_DESCRIPTION);
  return {
    type: 'article',
    id: resultId(view.issueId, view.item.number - 1),
    title: truncate(oneLine(view.item.title), MAX_TITLE) || renderText[language].untitledItem,
    ...(description ? { description } : {}),
    input_message_content: {
      message_text: content?.text ?? '…',
      parse_mode: 'HTML',
      link_preview_options: content?.link_preview_options ?? { is_disabled: true },
    },
    ...(content?.reply_markup ? { reply_markup: content.reply_markup } : {}),
  };
}

/** A 1-based page number from Telegram's offset ('' is the first page). */
function pageFromOffset(offset: string): number {
  return /^[1-9]\d{0,5}$/.test(offset) ? Number(offset) : 1;
}

/** The results for a query and offset: search hits, or the latest issue's items when the query is empty. */
function inlineAnswer(query: string, offset: string, language: Language, deps: InlineDeps): InlineAnswer {
  const page = pageFromOffset(offset);
  const trimmed = query.trim();
  if (trimmed === '') {
    const latest = deps.issues.latest();
    if (!latest) return { results: [], nextOffset: '' };
    const all = itemsOf(latest);
    const slice = all.slice((page - 1) * INLINE_PAGE_SIZE, page * INLINE_PAGE_SIZE);
    const results = slice.flatMap(({ index }) => {
      const view = buildItemView(latest, index);
      return view ? [itemArticle(view, language)] : [];
    });
    return { results, nextOffset: page * INLINE_PAGE_SIZE < all.length ? String(page + 1) : '' };
  }
  const found = deps.search.search(trimmed, { page, pageSize: INLINE_PAGE_SIZE });
  // A page past the end is clamped by the index; Telegram asked for more than there is.
  if (!found.ok || found.page !== page) return { results: [], nextOffset: '' };
  const results = found.hits.flatMap((hit) => {
    const issue = deps.issues.get(hit.issueId);
    const view = issue ? buildItemView(issue, hit.itemIndex) : null;
    return view ? [itemArticle(view, language, spansToPlain(hit.snippet))] : [];
  });
  return { results, nextOffset: found.page < found.pageCount ? String(found.page + 1) : '' };
}

/** Answers one inline query (always, even with no results, so the client stops waiting). */
export async function handleInlineQuery(query: InlineQuery, deps: InlineDeps): Promise<void> {
  const language = languageFromLocale(query.from.language_code) ?? deps.defaultLanguage;
  const answer = inlineAnswer(query.query, query.offset, language, deps);
  await answerInline(deps.api, query, answer.results, { cache_time: INLINE_CACHE_SECONDS, next_offset: answer.nextOffset });
}

/** answerInlineQuery (with the interactive deadline). */
export async function answerInline(api: BotApi, query: InlineQuery, results: InlineQueryResultArticle[], extra: { cache_time: number; next_offset?: string }): Promise<void> {
  await api.call('answerInlineQuery', { inline_query_id: query.id, results, ...extra });
}
