/**
 * What a command handler is and what it may use. The router is a table of `CommandModule`s, so
 * other areas (delivery's /subscribe, /schedule…) add commands by passing modules in, not by editing
 * a switch. Handlers depend on the small ports below, which the real IssueLibrary and SearchIndex
 * satisfy structurally.
 */
import type { DigestBuilder } from '../digest/builder.js';
import type { DigestMode, SearchHitView } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import type { Issue } from '../issue/model.js';
import type { Logger } from '../log.js';
import type { RichText } from '../rich-text.js';
import type { PageCodec } from './pager.js';
import type { Caller, ParsedCommand, Reply } from './types.js';

/** Where the issues come from (IssueLibrary). */
export interface LibraryPort {
  latest(): Issue | null;
  /** By id "20210814", date "2021-08-14" or file name. */
  get(ref: string): Issue | null;
  /** Oldest first. */
  list(): Issue[];
  /** While the archive is still loading (a cold start), how far it has got; else null. */
  loading?(): { loaded: number; total: number } | null;
}

/** A search result page, as SearchIndex returns it. */
export type SearchResult =
  | {
      ok: true;
      query: string;
      total: number;
      page: number;
      pageCount: number;
      pageSize: number;
      hits: readonly SearchHitView[];
      suggestions: readonly string[];
    }
  | { ok: false; reason: 'empty' | 'too_long'; limit?: number };

/** Full-text search over the issues (SearchIndex). */
export interface SearchPort {
  search(query: string, options?: { page?: number; pageSize?: number }): SearchResult;
}

/** What a chat has set up; filled in by delivery. Every member is optional. */
export interface ChatInfoPort {
  /** The digest mode of this chat (its subscription's), or null for the default. */
  modeFor?(caller: Caller): Promise<DigestMode | null>;
  /** Paragraphs about this chat's subscription for /start and /help, or null to say nothing. */
  describeChat?(caller: Caller, language: Language): Promise<RichText | null>;
}

/** What handlers may use. */
export interface CommandDeps {
  issues: LibraryPort;
  search: SearchPort;
  pages: PageCodec;
  logger: Logger;
  defaults: {
    language: Language;
    mode: DigestMode;
  };
  /** The core's one digest builder (its web page from ISSUE_WEB_URL). */
  digests: DigestBuilder;
  chats?: ChatInfoPort;
}

/** One argument of a command, for Discord slash options and help text. */
export interface CommandOption {
  /** 1-32 characters of [a-z0-9_-] (Discord's rule). */
  name: string;
  /** How /help shows it: `<日期>`, `[page]`. */
  placeholder: Record<Language, string>;
  description: Record<Language, string>;
  type: 'string' | 'integer';
  required: boolean;
}

/** A command as listed to the platforms (Telegram setMyCommands, Discord slash registration). */
export interface CommandInfo {
  /** 1-32 characters of [a-z0-9_]. */
  name: string;
  /** At most 100 characters each (Discord's limit; Telegram allows 256). */
  description: Record<Language, string>;
  /** In the order they are typed after the name. */
  options: CommandOption[];
  /** True for commands only chat admins may use (delivery's settings). */
  adminOnly: boolean;
}

/** Everything one invocation knows. */
export interface CommandContext {
  command: ParsedCommand;
  caller: Caller;
  /** `caller.language ?? defaults.language`. */
  language: Language;
  deps: CommandDeps;
  /** Every listed command of this router (for /help). */
  commands(): CommandInfo[];
}

/** A command handler and its listing. */
export interface CommandModule {
  info: CommandInfo;
  /** Other names that run it; not listed. */
  aliases?: string[];
  /** Returns the reply; may throw — the router turns errors into an apology. */
  run(ctx: CommandContext): Promise<Reply>;
}
