/**
 * Shell renderer: digests and replies as plain text for a terminal, URLs written out in full
 * (terminals make them clickable), wrapped to a width. Emphasis is off unless asked for.
 */
import { isWebUrl, linkLabel, type ArchivePageView, type Digest, type DigestItem, type ItemView, type SearchPageView } from '../../src/digest/digest.js';
import type { Reply } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { renderText } from '../../src/i18n/render.js';
import type { RichText } from '../../src/rich-text.js';
import { cleanText, oneLine } from '../../src/text/graphemes.js';
import { wrap, type Emphasis, type Piece } from './wrap.js';

export interface ShellRenderOptions {
  /** Columns to wrap at; default 80. */
  width?: number;
  /** How bold text and search matches show; default 'plain'. */
  emphasis?: Emphasis;
}

const t = (language: Language) => renderText[language];
const INDENT = '   ';


function itemLines(item: DigestItem, language: Language, compact: boolean, width: number, emphasis: Emphasis): string[] {
  const title = `${item.number}. ${item.title || t(language).untitledItem}${compact && item.source ? ` — ${item.source}` : ''}`;
  const lines = wrap([{ text: title, strong: true }], width, '', emphasis);
  if (!compact) {
    const meta = [item.source ? t(language).source(item.source) : '', item.tags.map((tag) => `【${tag}】`).join('')].filter(Boolean).join(' · ');
    if (meta) lines.push(...wrap([{ text: meta }], width, INDENT));
  }
  if (item.url) lines.push(`${INDENT}${item.url}`);
  if (item.summary) lines.push(...wrap([{ text: item.summary }], width, INDENT));
  // The URL is written out, so it tells links apart by itself: the label goes without its suffix.
  for (const l of item.links) lines.push(`${INDENT}${linkLabel({ label: l.label, url: l.url }, language)}: ${l.url}`);
  return lines;
}

function headerLines(digest: Digest, language: Language, width: number, emphasis: Emphasis): string[] {
  const lines = wrap([{ text: digest.title || digest.issueId, strong: true }], width, '', emphasis);
  lines.push(`${digest.date} · ${t(language).itemCount(digest.itemCount)}`);
  if (digest.intro) lines.push(...wrap([{ text: digest.intro }], width));
  if (digest.webUrl) lines.push(`${t(language).web}: ${digest.webUrl}`);
  return lines;
}

function digestText(digest: Digest, language: Language, width: number, emphasis: Emphasis): string {
  const compact = digest.mode === 'compact';
  const blocks = [headerLines(digest, language, width, emphasis).join('\n')];
  for (const section of digest.sections) {
    const items = section.items.map((item) => itemLines(item, language, compact, width, emphasis).join('\n'));
    const heading = section.title ? [`━━ ${section.title} ━━`] : [];
    blocks.push([...heading, items.join(compact ? '\n' : '\n\n')].join('\n\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** A digest as terminal text. */
export function renderShellDigest(digest: Digest, language: Language, options: ShellRenderOptions = {}): string {
  return digestText(digest, language, options.width ?? 80, options.emphasis ?? 'plain');
}

function itemViewText(view: ItemView, language: Language, width: number, emphasis: Emphasis): string {
  const context = [view.issueTitle || view.issueId, view.date, view.sectionTitle].filter(Boolean).join(' · ');
  return `${[...wrap([{ text: context }], width), '', ...itemLines(view.item, language, false, width, emphasis)].join('\n')}\n`;
}

function searchText(view: SearchPageView, language: Language, width: number, emphasis: Emphasis): string {
  const query = oneLine(view.query);
  const lines = wrap([{ text: t(language).searchHeader(query), strong: true }], width, '', emphasis);
  if (view.total > 0) lines.push(`${t(language).searchTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}`);
  else {
    lines.push(...wrap([{ text: t(language).searchNone(query) }], width));
    if (view.suggestions.length > 0) lines.push(...wrap([{ text: `${t(language).suggestions} ${view.suggestions.map(oneLine).join(' · ')}` }], width));
  }
  view.hits.forEach((hit, i) => {
    const number = (view.page - 1) * view.pageSize + i + 1;
    lines.push('', ...wrap([{ text: `${number}. ${oneLine(hit.title) || t(language).untitledItem}`, strong: true }], width, '', emphasis));
    const where = [hit.date, oneLine(hit.sectionTitle), hit.source ? oneLine(hit.source) : ''].filter(Boolean).join(' · ');
    lines.push(...wrap([{ text: where }], width, INDENT));
    if (isWebUrl(hit.url)) lines.push(`${INDENT}${hit.url}`);
    const snippet: Piece[] = hit.snippet.map((s) => ({ text: s.text, strong: s.highlight === true || s.bold === true }));
    if (snippet.length > 0) lines.push(...wrap(snippet, width, INDENT, emphasis));
  });
  return `${lines.join('\n')}\n`;
}

function archiveText(view: ArchivePageView, language: Language, width: number, emphasis: Emphasis): string {
  const lines = wrap([{ text: t(language).archiveHeader, strong: true }], width, '', emphasis);
  lines.push(view.total > 0 ? `${t(language).archiveTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}` : t(language).archiveEmpty);
  if (view.entries.length > 0) lines.push('');
  for (const entry of view.entries) {
    lines.push(...wrap([{ text: `${entry.id} · ${oneLine(entry.title) || entry.date} · ${t(language).itemCountShort(entry.itemCount)}` }], width));
  }
  return `${lines.join('\n')}\n`;
}

function richText(body: RichText, tone: 'info' | 'error', language: Language, width: number, emphasis: Emphasis): string {
  const paragraphs = body.map((paragraph, i) => {
    const pieces: Piece[] = paragraph.map((span) => {
      const text = cleanText(span.text);
      // Code spans hold what the reader typed or should type: backticks set it apart from the
      // sentence around it ("Nothing matches `*`."), as the search header's quotes do.
      const shown = span.code ? `\`${text}\`` : text;
      const withUrl = isWebUrl(span.url) && span.url !== text ? `${shown} (${span.url})` : shown;
      return { text: withUrl, strong: span.bold === true || span.highlight === true };
    });
    if (i === 0 && tone === 'error') pieces.unshift({ text: `${t(language).errorPrefix} ` });
    return wrap(pieces, width, '', emphasis).join('\n');
  });
  return `${paragraphs.join('\n\n')}\n`;
}

/** Any reply as terminal text. */
export function renderShellReply(reply: Reply, options: ShellRenderOptions = {}): string {
  const width = options.width ?? 80;
  const emphasis = options.emphasis ?? 'plain';
  switch (reply.kind) {
    case 'digest':
      return digestText(reply.digest, reply.language, width, emphasis);
    case 'item':
      return itemViewText(reply.view, reply.language, width, emphasis);
    case 'search':
      return searchText(reply.view, reply.language, width, emphasis);
    case 'archive':
      return archiveText(reply.view, reply.language, width, emphasis);
    case 'text':
      return richText(reply.body, reply.tone, reply.language, width, emphasis);
  }
}
