/**
 * Telegram renderer: digests and replies as sendMessage parameters in HTML parse mode, each
 * message within 4,096 visible UTF-16 units and 100 entities (see pack.ts).
 */
import { isWebUrl, linkKind, linkLabel, type ArchivePageView, type Digest, type DigestItem, type ItemView, type SearchPageView } from '../../src/digest/digest.js';
import type { CommandChoice, Reply } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { renderText } from '../../src/i18n/render.js';
import type { Link } from '../../src/issue/model.js';
import type { RichText, Span } from '../../src/rich-text.js';
import { cleanText, oneLine, truncate } from '../../src/text/graphemes.js';
import { bold, code, italic, join, link, text, toHtml, type Run } from './html.js';
import { packUnits, type Unit } from './pack.js';

/** An inline keyboard button: a callback or a link, never both (telegraf's own button types accept it). */
type Button = { text: string; callback_data: string } | { text: string; url: string };

/** A sendMessage parameter object, without the chat. */
export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: boolean };
  reply_markup?: { inline_keyboard: Button[][] };
}

/** callback_data of the caller's page buttons; null disables that arrow. */
interface Pager {
  prev: string | null;
  next: string | null;
}

/** callback_data of the page-label button: it does nothing; the adapter just answers the query. */
export const PAGER_NOOP = 'noop';

const t = (language: Language) => renderText[language];

function titleRuns(item: DigestItem, language: Language): Run[] {
  const title = item.title || t(language).untitledItem;
  return bold(`${item.number}. `, item.url ? link(item.url, title) : title);
}

/** Tags as 【tag】, not #tag: Telegram would make each hashtag an entity of its own. */
function metaLine(item: DigestItem, language: Language): Run[] {
  const parts = [item.source ? t(language).source(item.source) : '', item.tags.map((tag) => `【${tag}】`).join('')];
  return text(parts.filter(Boolean).join(' · '));
}

function linksLine(links: readonly Link[], language: Language): Run[] {
  return join(links.map((l) => link(l.url, linkLabel(l, language))), ' · ');
}

function itemRuns(item: DigestItem, language: Language, compact: boolean): Run[] {
  if (compact) return join([titleRuns(item, language), text(item.source ?? '')], ' · ');
  return join([titleRuns(item, language), metaLine(item, language), text(item.summary), linksLine(item.links, language)], '\n');
}

function headerRuns(digest: Digest, language: Language): Run[] {
  const title = digest.title || digest.issueId;
  return join(
    [
      bold(title),
      text(`${digest.date} · ${t(language).itemCount(digest.itemCount)}`),
      digest.intro ? italic(truncate(digest.intro, 600)) : [],
      digest.webUrl ? link(digest.webUrl, t(language).web) : [],
    ],
    '\n',
  );
}

function sectionRuns(title: string): Run[] {
  return title ? bold(`▎${title}`) : [];
}

function message(runs: Run[], previews = false): TelegramMessage {
  return { text: toHtml(runs).html, parse_mode: 'HTML', link_preview_options: { is_disabled: !previews } };
}

/** Items (with their section heading before each section's first item) as packing units. */
function digestUnits(digest: Digest, language: Language): Unit[] {
  const compact = digest.mode === 'compact';
  const units: Unit[] = [];
  for (const section of digest.sections) {
    section.items.forEach((item, i) => {
      const body = itemRuns(item, language, compact);
      const runs = i === 0 && section.title ? join([sectionRuns(section.title), body], compact ? '\n' : '\n\n') : body;
      units.push({ runs, gap: compact && i > 0 ? '\n' : '\n\n' });
    });
  }
  return units;
}

/**
 * A digest as the messages one chat receives: the header, then the items packed whole, the first
 * items in the header's message whenever they fit (a channel feels every extra message).
 */
export function renderTelegramDigest(digest: Digest, language: Language): TelegramMessage[] {
  return packUnits(telegramDigestUnits(digest, language)).map((runs) => message(runs));
}

/** The packing units of a digest: the header first, then each item (tests compare packings of them). */
export function telegramDigestUnits(digest: Digest, language: Language): Unit[] {
  return [{ runs: headerRuns(digest, language), gap: '' }, ...digestUnits(digest, language)];
}

function itemViewUnits(view: ItemView, language: Language): Unit[] {
  const context = [view.issueTitle || view.issueId, view.date, view.sectionTitle].filter(Boolean).join(' · ');
  return [
    { runs: italic(context), gap: '' },
    { runs: itemRuns(view.item, language, false), gap: '\n\n' },
  ];
}

function itemButtons(item: DigestItem, language: Language): Button[] {
  const buttons: Button[] = [];
  if (item.url) buttons.push({ text: t(language).read, url: item.url });
  const paper = item.links.find((l) => linkKind(l) === 'paper');
  const github = item.links.find((l) => linkKind(l) === 'github');
  if (github) buttons.push({ text: t(language).github, url: github.url });
  if (paper) buttons.push({ text: t(language).paper, url: paper.url });
  return buttons;
}

/** Bold where the snippet matched the query. */
function spanRuns(span: Span): Run[] {
  const value = cleanText(span.text);
  const url = isWebUrl(span.url) ? span.url : null;
  // Telegram lets neither a link nor code contain the other: a link wins.
  if (url) return span.bold || span.highlight ? bold(link(url, value)) : link(url, value);
  const runs = span.code ? code(value) : text(value);
  return span.bold || span.highlight ? bold(runs) : runs;
}

function searchUnits(view: SearchPageView, language: Language): Unit[] {
  const query = oneLine(view.query);
  const head = [bold(t(language).searchHeader(query))];
  if (view.total > 0) head.push(text(`${t(language).searchTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}`));
  const units: Unit[] = [{ runs: join(head, '\n'), gap: '' }];
  if (view.hits.length === 0) {
    const none = [text(t(language).searchNone(query))];
    if (view.suggestions.length > 0) none.push(join([text(t(language).suggestions), ...view.suggestions.map((s) => code(oneLine(s)))], ' '));
    units.push({ runs: join(none, '\n'), gap: '\n\n' });
  }
  view.hits.forEach((hit, i) => {
    const number = (view.page - 1) * view.pageSize + i + 1;
    const title = oneLine(hit.title) || t(language).untitledItem;
    const where = [hit.date, oneLine(hit.sectionTitle), hit.source ? oneLine(hit.source) : ''].filter(Boolean).join(' · ');
    const url = isWebUrl(hit.url) ? hit.url : null;
    const runs = join([bold(`${number}. `, url ? link(url, title) : title), text(where), hit.snippet.flatMap(spanRuns)], '\n');
    units.push({ runs, gap: '\n\n' });
  });
  return units;
}

function archiveUnits(view: ArchivePageView, language: Language): Unit[] {
  const head = bold(t(language).archiveHeader);
  const summary = view.total > 0 ? `${t(language).archiveTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}` : t(language).archiveEmpty;
  const units: Unit[] = [{ runs: join([head, text(summary)], '\n'), gap: '' }];
  view.entries.forEach((entry, i) => {
    const runs = join([code(entry.id), text(`${oneLine(entry.title) || entry.date} · ${t(language).itemCountShort(entry.itemCount)}`)], ' ');
    units.push({ runs, gap: i === 0 ? '\n\n' : '\n' });
  });
  return units;
}

function richTextUnits(body: RichText, tone: 'info' | 'error', language: Language): Unit[] {
  return body.map((paragraph, i) => {
    const runs = paragraph.flatMap(spanRuns);
    return { runs: i === 0 && tone === 'error' ? [...text(`${t(language).errorPrefix} `), ...runs] : runs, gap: '\n\n' };
  });
}

function pagerRow(pager: Pager | undefined, label: string | null): Button[] {
  if (!pager || (!pager.prev && !pager.next)) return [];
  const row: Button[] = [];
  if (pager.prev) row.push({ text: '◀', callback_data: pager.prev });
  if (label) row.push({ text: label, callback_data: PAGER_NOOP });
  if (pager.next) row.push({ text: '▶', callback_data: pager.next });
  return row;
}

/** callback_data of a command button: this prefix, then the command as typed (without the slash). */
export const COMMAND_BUTTON_PREFIX = 'cmd:';
/** At most this many command buttons, two per row (Telegram allows 100 per keyboard). */
const MAX_CHOICES = 40;

/** Command buttons, two per row; one whose data would pass Telegram's 64 bytes is left out. */
function choiceRows(choices: readonly CommandChoice[] | undefined): Button[][] {
  const fitting = (choices ?? [])
    .map((c) => ({ text: c.label, callback_data: `${COMMAND_BUTTON_PREFIX}${c.command}` }))
    .filter((b) => Buffer.byteLength(b.callback_data, 'utf8') <= 64)
    .slice(0, MAX_CHOICES);
  const rows: Button[][] = [];
  for (let i = 0; i < fitting.length; i += 2) rows.push(fitting.slice(i, i + 2));
  return rows;
}

/** Any reply as messages; the keyboard (item links, pager, command buttons) goes on the last message. */
export function renderTelegramReply(reply: Reply, options: { pager?: Pager } = {}): TelegramMessage[] {
  const language = reply.language;
  let messages: TelegramMessage[];
  let buttons: Button[] = [];
  let label: string | null = null;
  switch (reply.kind) {
    case 'digest':
      messages = renderTelegramDigest(reply.digest, language);
      break;
    case 'item':
      messages = packUnits(itemViewUnits(reply.view, language)).map((runs) => message(runs, reply.view.item.url !== null));
      buttons = itemButtons(reply.view.item, language);
      break;
    case 'search':
      messages = packUnits(searchUnits(reply.view, language)).map((runs) => message(runs));
      label = t(language).pageShort(reply.view.page, reply.view.pageCount);
      break;
    case 'archive':
      messages = packUnits(archiveUnits(reply.view, language)).map((runs) => message(runs));
      label = t(language).pageShort(reply.view.page, reply.view.pageCount);
      break;
    case 'text':
      messages = packUnits(richTextUnits(reply.body, reply.tone, language)).map((runs) => message(runs));
      break;
  }
  if (messages.length === 0) messages = [message(text('…'))];
  const rows = [buttons, pagerRow(options.pager, label), ...(reply.kind === 'text' ? choiceRows(reply.choices) : [])].filter((row) => row.length > 0);
  if (rows.length > 0) (messages[messages.length - 1] as TelegramMessage).reply_markup = { inline_keyboard: rows };
  return messages;
}
