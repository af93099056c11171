/**
 * Discord renderer: digests and replies as plain JSON message payloads (a header in `content`,
 * items as embeds, link and pager buttons as components), within every Discord limit.
 * Mentions are always off (`allowed_mentions: { parse: [] }`): newsletter or user text can never ping.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, ButtonStyle, ComponentType } from 'discord.js';
import { isWebUrl, linkKind, linkLabel, type ArchivePageView, type Digest, type DigestItem, type ItemView, type SearchPageView } from '../../src/digest/digest.js';
import type { Reply } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { renderText } from '../../src/i18n/render.js';
import type { Link } from '../../src/issue/model.js';
import { oneLine, truncate } from '../../src/text/graphemes.js';
import { EMBED_COLOR, EMBED_LIMITS, linesIntoEmbeds, packEmbeds, plainLine } from './embed.js';
import { escapeDiscord, escapeWithin, linkTarget, linkText, maskedLink, strong } from './markdown.js';
import { richTextContents, spansToMarkdown } from './text.js';

/** A message payload for channel sends, interaction replies and follow-ups. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
}

/** custom_ids (≤ 100 characters) of the caller's page buttons; null disables that arrow. */
export interface Pager {
  prev: string | null;
  next: string | null;
}

/** The description of a digest item is kept to about this many characters. */
const ITEM_DESCRIPTION_TARGET = 350;
const BUTTON_URL_MAX = 512;

// Discord's numbers, typed by discord-api-types; imported as types only, so rendering never loads discord.js.
const ACTION_ROW = 1 as ComponentType.ActionRow;
const BUTTON = 2 as ComponentType.Button;
const SECONDARY = 2 as ButtonStyle.Secondary;
const LINK = 5 as ButtonStyle.Link;

const t = (language: Language) => renderText[language];
const payload = (fields: Omit<DiscordMessage, 'allowed_mentions'>): DiscordMessage => ({ ...fields, allowed_mentions: { parse: [] } });


/** `[论文](…) · [GitHub](…)`, whole links only, as many as fit in `max`. */
function linksLine(links: readonly Link[], language: Language, max: number): string {
  let line = '';
  for (const l of links) {
    const next = line ? `${line} · ${maskedLink(linkLabel(l, language), l.url)}` : maskedLink(linkLabel(l, language), l.url);
    if (next.length > max) break;
    line = next;
  }
  return line;
}

/** Summary and links: links kept whole, the summary truncated to what is left of `target`. */
function itemDescription(item: DigestItem, language: Language, target: number): string | undefined {
  const links = linksLine(item.links, language, Math.max(target, 1000));
  const budget = Math.max(80, target - links.length - 1);
  const summary = item.summary ? escapeWithin(item.summary, budget) : '';
  const description = [summary, links].filter(Boolean).join('\n');
  return description || undefined;
}

/** `N. title`: the number is ours, so only the title is escaped. */
function numberedTitle(number: number, title: string): string {
  const prefix = `${number}. `;
  return prefix + escapeWithin(title, EMBED_LIMITS.title - prefix.length);
}

function itemTitle(item: DigestItem, language: Language): string {
  return numberedTitle(item.number, item.title || t(language).untitledItem);
}

function itemFooter(item: DigestItem, sectionTitle: string): string {
  const tags = item.tags.map((tag) => `【${tag}】`).join('');
  return plainLine([item.source ?? '', sectionTitle, tags].filter(Boolean).join(' · '), 300);
}

function itemEmbed(item: DigestItem, sectionTitle: string, language: Language, target: number): APIEmbed {
  const embed: APIEmbed = { title: itemTitle(item, language), color: EMBED_COLOR };
  if (item.url) embed.url = item.url;
  const description = itemDescription(item, language, target);
  if (description) embed.description = description;
  const footer = itemFooter(item, sectionTitle);
  if (footer) embed.footer = { text: footer };
  if (item.image) embed.thumbnail = { url: item.image };
  return embed;
}

function compactLine(item: DigestItem, language: Language): string {
  const title = item.title || t(language).untitledItem;
  const linked = item.url ? `[${linkText(title, 200)}](${linkTarget(item.url)})` : escapeWithin(title, 200);
  const source = item.source ? ` · ${escapeWithin(item.source, 60)}` : '';
  return `**${item.number}.** ${linked}${source}`;
}

/**
 * Compact mode: the whole issue as a list, `**1.** [title](url) · source`, sections as bold
 * headings, in as few embeds as fit (a section heading always travels with its first item).
 */
function compactMessages(digest: Digest, language: Language): APIEmbed[][] {
  const blocks = digest.sections.flatMap((section, s) =>
    section.items.map((item, i) => {
      const line = compactLine(item, language);
      if (i > 0 || !section.title) return line;
      return `${s > 0 ? '\n' : ''}${strong(escapeWithin(section.title, 200))}\n${line}`;
    }),
  );
  return linesIntoEmbeds(blocks);
}

function headerContent(digest: Digest, language: Language): string {
  const lines = [strong(escapeWithin(digest.title || digest.issueId, 256)), `${digest.date} · ${t(language).itemCount(digest.itemCount)}`];
  if (digest.intro) lines.push(`> ${escapeWithin(digest.intro, 600)}`);
  if (digest.webUrl) lines.push(`${t(language).web}: <${digest.webUrl}>`);
  return truncate(lines.join('\n'), EMBED_LIMITS.content);
}

/**
 * A digest as the messages one channel receives: the header as the first message's content, with
 * the first group of item embeds under it (content and embeds have separate limits, so they always
 * fit together), then the other groups.
 */
export function renderDiscordDigest(digest: Digest, language: Language): DiscordMessage[] {
  const groups =
    digest.mode === 'compact'
      ? compactMessages(digest, language)
      : packEmbeds(digest.sections.flatMap((section) => section.items.map((item) => itemEmbed(item, section.title, language, ITEM_DESCRIPTION_TARGET))));
  const [first, ...rest] = groups;
  const content = headerContent(digest, language);
  return [payload(first ? { content, embeds: first } : { content }), ...rest.map((group) => payload({ embeds: group }))];
}

type Row = APIActionRowComponent<APIButtonComponent>;

function linkButton(label: string, url: string): APIButtonComponent {
  return { type: BUTTON, style: LINK, label: truncate(label, 80), url };
}

/** Read, Paper, GitHub, then the other links: at most 5, each a URL Discord accepts on a button. */
function itemButtons(item: DigestItem, language: Language): Row[] {
  const candidates: Array<[string, string]> = [];
  if (item.url) candidates.push([t(language).read, item.url]);
  const paper = item.links.find((l) => linkKind(l) === 'paper');
  const github = item.links.find((l) => linkKind(l) === 'github');
  if (paper) candidates.push([t(language).paper, paper.url]);
  if (github) candidates.push([t(language).github, github.url]);
  for (const l of item.links) if (l !== paper && l !== github) candidates.push([linkLabel(l, language), l.url]);
  const buttons = candidates.filter(([, url]) => url.length <= BUTTON_URL_MAX).slice(0, 5).map(([label, url]) => linkButton(label, url));
  return buttons.length > 0 ? [{ type: ACTION_ROW, components: buttons }] : [];
}

function pagerRow(pager: Pager | undefined, label: string | null): Row[] {
  if (!pager || (!pager.prev && !pager.next)) return [];
  const arrow = (text: string, id: string | null, fallback: string): APIButtonComponent => ({
    type: BUTTON,
    style: SECONDARY,
    label: text,
    custom_id: id ?? fallback,
    disabled: id === null,
  });
  const buttons = [arrow('◀', pager.prev, 'noop:prev')];
  if (label) buttons.push({ type: BUTTON, style: SECONDARY, label, custom_id: 'noop:page', disabled: true });
  buttons.push(arrow('▶', pager.next, 'noop:next'));
  return [{ type: ACTION_ROW, components: buttons }];
}

function itemReply(view: ItemView, language: Language): DiscordMessage[] {
  const embed = itemEmbed(view.item, view.sectionTitle, language, 1500);
  embed.author = { name: plainLine(`${view.issueTitle || view.issueId} · ${view.date}`, EMBED_LIMITS.author) };
  if (view.item.image) {
    delete embed.thumbnail;
    embed.image = { url: view.item.image };
  }
  return [payload({ embeds: [embed], components: itemButtons(view.item, language) })];
}

function searchReply(view: SearchPageView, language: Language): DiscordMessage[] {
  const query = oneLine(view.query);
  const lines = [strong(escapeWithin(t(language).searchHeader(truncate(query, 200)), 300))];
  if (view.total > 0) lines.push(`${t(language).searchTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}`);
  else {
    lines.push(escapeWithin(t(language).searchNone(truncate(query, 200)), 300));
    const suggestions = view.suggestions.map((s) => escapeWithin(oneLine(s), 60)).join(' · ');
    if (suggestions) lines.push(`${t(language).suggestions} ${suggestions}`);
  }
  const embeds = view.hits.map((hit, i): APIEmbed => {
    const number = (view.page - 1) * view.pageSize + i + 1;
    const embed: APIEmbed = { title: numberedTitle(number, oneLine(hit.title) || t(language).untitledItem), color: EMBED_COLOR };
    if (isWebUrl(hit.url)) embed.url = hit.url;
    const snippet = spansToMarkdown(hit.snippet, 1000);
    if (snippet) embed.description = snippet;
    const footer = plainLine([hit.date, hit.sectionTitle, hit.source ?? ''].filter(Boolean).join(' · '), 300);
    if (footer) embed.footer = { text: footer };
    return embed;
  });
  const groups = packEmbeds(embeds);
  const first = payload({ content: truncate(lines.join('\n'), EMBED_LIMITS.content) });
  if (groups.length > 0) first.embeds = groups[0];
  return [first, ...groups.slice(1).map((group) => payload({ embeds: group }))];
}

function archiveReply(view: ArchivePageView, language: Language): DiscordMessage[] {
  const head = strong(escapeDiscord(t(language).archiveHeader));
  const summary = view.total > 0 ? `${t(language).archiveTotal(view.total)} · ${t(language).page(view.page, view.pageCount)}` : t(language).archiveEmpty;
  const lines = view.entries.map(
    (entry) => `\`${entry.id.replace(/`/g, '')}\` · ${escapeWithin(oneLine(entry.title) || entry.date, 200)} · ${t(language).itemCountShort(entry.itemCount)}`,
  );
  const groups = linesIntoEmbeds(lines);
  const first = payload({ content: `${head}\n${summary}` });
  if (groups.length > 0) first.embeds = groups[0];
  return [first, ...groups.slice(1).map((group) => payload({ embeds: group }))];
}

/** Any reply as messages; buttons (item links, pager) go on the last message. */
export function renderDiscordReply(reply: Reply, options: { pager?: Pager } = {}): DiscordMessage[] {
  const language = reply.language;
  let messages: DiscordMessage[];
  let label: string | null = null;
  switch (reply.kind) {
    case 'digest':
      messages = renderDiscordDigest(reply.digest, language);
      break;
    case 'item':
      messages = itemReply(reply.view, language);
      break;
    case 'search':
      messages = searchReply(reply.view, language);
      label = t(language).pageShort(reply.view.page, reply.view.pageCount);
      break;
    case 'archive':
      messages = archiveReply(reply.view, language);
      label = t(language).pageShort(reply.view.page, reply.view.pageCount);
      break;
    case 'text':
      messages = richTextContents(reply.body, reply.tone === 'error' ? t(language).errorPrefix : null).map((content) => payload({ content }));
      break;
  }
  if (messages.length === 0) messages = [payload({ content: '…' })];
  const last = messages[messages.length - 1] as DiscordMessage;
  const rows = [...(last.components ?? []), ...pagerRow(options.pager, label)];
  if (rows.length > 0) last.components = rows;
  else delete last.components;
  return messages;
}
