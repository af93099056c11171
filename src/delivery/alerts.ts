/**
 * Saved-search alerts. When an issue file is added or edited, every chat's saved searches run
 * against its items with the same engine and rules as /search (a SearchIndex over that issue alone),
 * and each chat gets one alert holding the items it was not alerted to before.
 *
 * Promises, the outbox's: an alert is outbox parts, queued in the transaction that records which
 * items it carries (`alerts`, keyed on issue id + item url), so an item alerts a chat once however
 * many of its searches match, however often the file is edited, across restarts.
 *
 * Alerts come BEFORE the digest: their parts carry the issue's id with negative part indexes, and
 * the worker sends a chat's parts in (issue, part) order, so an issue's alert goes out ahead of that
 * issue's digest parts still waiting (and never counts as the chat having the issue).
 * Only files that arrive or change while the bot runs alert; one added while it was stopped does not.
 */
import type { Clock } from '../clock.js';
import type { Digest } from '../digest/digest.js';
import { readersText } from '../i18n/readers.js';
import type { Language } from '../i18n/language.js';
import { itemsOf, type Issue, type Item } from '../issue/model.js';
import { reportError, type Logger } from '../log.js';
import type { DeliveryPort, OutboundMessage, PlatformName } from '../platform.js';
import { SearchIndex } from '../search/index.js';
import type { Follow, NewPart, Store } from '../store/index.js';
import type { DigestBuilder } from '../digest/builder.js';

/** Saved searches one chat may keep. */
export const FOLLOW_LIMIT = 10;

/** The library events alerts follow (IssueLibrary satisfies it). */
export interface AlertFeed {
  on(event: 'added' | 'changed', listener: (issue: Issue) => void): unknown;
  off?(event: 'added' | 'changed', listener: (issue: Issue) => void): unknown;
}

/** An item's identity across edits of its file: its url, else its title. */
export function itemKey(item: Item): string {
  return item.url ?? `title:${item.title.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()}`;
}

/** What one chat's searches found in an issue. */
export interface ChatMatch {
  follow: Follow;
  /** Matched searches, in the chat's order. */
  queries: string[];
  /** 0-based item indexes across sections, in reading order. */
  items: number[];
}

/** Runs every saved search against the issue's items; each distinct query runs once. */
export function matchFollows(issue: Issue, follows: readonly Follow[]): Map<string, ChatMatch> {
  const index = SearchIndex.fromIssues([issue]);
  const byQuery = new Map<string, number[]>();
  const out = new Map<string, ChatMatch>();
  for (const follow of follows) {
    let found = byQuery.get(follow.query);
    if (!found) byQuery.set(follow.query, (found = hitsOf(index, follow.query)));
    if (found.length === 0) continue;
    const chat = `${follow.platform}\u0000${follow.chatId}`;
    let match = out.get(chat);
    if (!match) out.set(chat, (match = { follow, queries: [], items: [] }));
    match.queries.push(follow.query);
    for (const i of found) if (!match.items.includes(i)) match.items.push(i);
  }
  for (const match of out.values()) match.items.sort((a, b) => a - b);
  return out;
}

function hitsOf(index: SearchIndex, query: string): number[] {
  return index.matchingItems(query).map((m) => m.itemIndex);
}

export interface AlertsDeps {
  store: Store;
  ports: ReadonlyMap<PlatformName, DeliveryPort>;
  digests: DigestBuilder;
  issues: AlertFeed;
  clock: Clock;
  logger: Logger;
  /** Called after parts were queued (the worker's wake). */
  queued(): void;
}

export class Alerts {
  readonly #d: AlertsDeps;
  readonly #onIssue = (issue: Issue) => {
    this.alert(issue).catch((err: unknown) => reportError(this.#d.logger, err, { op: 'alerts', issueId: issue.id }));
  };

  constructor(deps: AlertsDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#d.issues.on('added', this.#onIssue);
    this.#d.issues.on('changed', this.#onIssue);
  }

  stop(): void {
    this.#d.issues.off?.('added', this.#onIssue);
    this.#d.issues.off?.('changed', this.#onIssue);
  }

  /** Queues the alerts an issue owes; returns how many chats got one and how many parts. */
  async alert(issue: Issue): Promise<{ chats: number; parts: number }> {
    const { store, clock } = this.#d;
    const result = { chats: 0, parts: 0 };
    const follows = await store.readers.allFollows();
    if (follows.length === 0) return result;
    const matches = matchFollows(issue, follows);
    if (matches.size === 0) return result;
    const all = itemsOf(issue);
    const rendered = new Map<string, OutboundMessage[] | null>();
    const now = clock.now();
    await store.transaction(async (tx) => {
      for (const { follow, queries, items } of matches.values()) {
        const { platform, chatId, threadId } = follow;
        const port = this.#d.ports.get(platform);
        if (!port) continue;
        const before = await tx.readers.alerted(platform, chatId, issue.id);
        const fresh: number[] = [];
        const keys: string[] = [];
        for (const i of items) {
          const key = itemKey((all[i] as (typeof all)[number]).item);
          if (before.keys.has(key) || keys.includes(key)) continue;
          keys.push(key);
          fresh.push(i);
        }
        if (fresh.length === 0) continue;
        const language = (await tx.subscriptions.get(platform, chatId))?.language ?? follow.language;
        const renderKey = `${platform}\u0000${language}\u0000${queries.join('\u0001')}\u0000${fresh.join(',')}`;
        if (!rendered.has(renderKey)) rendered.set(renderKey, this.#render(port, issue, fresh, queries, language));
        const messages = rendered.get(renderKey);
        if (!messages || messages.length === 0) continue;
        const payloadIds = await tx.parts.savePayloads(messages);
        const first = before.lowestPart - payloadIds.length;
        const parts: NewPart[] = payloadIds.map((payloadId, i) => ({
          platform, chatId, threadId, issueId: issue.id, partIndex: first + i, partCount: payloadIds.length, payloadId,
        }));
        const added = await tx.parts.insertParts(parts, now);
        await tx.readers.recordAlert(platform, chatId, issue.id, keys, first, now);
        result.chats++;
        result.parts += added;
      }
    });
    if (result.parts > 0) {
      this.#d.logger.info({ issueId: issue.id, ...result }, 'alerts queued');
      this.#d.queued();
    }
    return result;
  }

  #render(port: DeliveryPort, issue: Issue, items: readonly number[], queries: readonly string[], language: Language): OutboundMessage[] | null {
    const keep = new Set(items);
    let n = 0;
    const only: Issue = {
      ...issue,
      sections: issue.sections.map((s) => ({ ...s, items: s.items.filter(() => keep.has(n++)) })).filter((s) => s.items.length > 0),
    };
    const base = this.#d.digests(only, 'full');
    const text = readersText[language];
    const digest: Digest = {
      ...base,
      title: text['alert.title'].replace('{query}', queries.join(' · ')),
      intro: text['alert.intro'].replace('{issue}', issue.title || issue.id),
    };
    try {
      return port.renderDigest(digest, language);
    } catch (err) {
      reportError(this.#d.logger, err, { op: 'alerts render', platform: port.platform, issueId: issue.id });
      return null;
    }
  }
}
