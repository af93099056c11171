/** What the delivery facade answers: values, so callers never read the store. */
import type { DigestMode } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import type { Part, Subscription } from '../store/index.js';
import type { EnqueueResult } from './outbox.js';
import type { SettingRefused } from './settings.js';

export interface SubscribeOptions {
  /** Any accepted form (cron, daily HH:MM, weekly <day> HH:MM, off); default: keep, or DEFAULT_SCHEDULE. */
  schedule?: string;
  timezone?: string;
  mode?: DigestMode;
  language?: Language;
  /** Who did it: "telegram:12345". */
  by: string;
}

export interface Subscribed {
  ok: true;
  subscription: Subscription;
  created: boolean;
  /** It was paused (the chat had blocked or removed the bot) and is active again. */
  resumed: boolean;
  /** Why it had been paused, when `resumed`. */
  pausedReason: string | null;
  /** The next three run times (epoch ms); empty when the schedule is off. */
  nextRuns: number[];
}

/** A subscription made or changed, or the schedule or time zone refused (nothing changed). */
export type SubscribeResult = Subscribed | SettingRefused;

/** One part as /status and the CLI show it (the payload left out). */
export type PartView = Omit<Part, 'payload'>;

export interface ChatStatus {
  subscription: Subscription | null;
  /** Epoch ms, or null (no subscription, paused, or schedule off). */
  nextRun: number | null;
  /** The newest issue queued for this chat, with every part's state. */
  lastDelivery: { issueId: string; parts: PartView[] } | null;
  /** The most recent failed parts, newest first (at most 5). */
  failures: PartView[];
  /** Parts still waiting to go. */
  unsent: number;
}

export interface BroadcastResult extends EnqueueResult {
  issueId: string;
}

/** How a chat reads an issue sent now: default its subscription's, else the defaults. */
export interface ReadAs {
  mode?: DigestMode | undefined;
  language?: Language | undefined;
}

export const withoutPayload = ({ payload: _payload, ...rest }: Part): PartView => rest;
