/** The contract between the adapters and the commands core. */
import type { ArchivePageView, Digest, ItemView, SearchPageView } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import type { PlatformName } from '../platform.js';
import type { RichText } from '../rich-text.js';

/** The kind of conversation a command came from. */
export type ChatType = 'private' | 'group' | 'channel' | 'guild';

/** Who asked, and where. */
export interface Caller {
  platform: PlatformName;
  userId: string;
  chatId: string;
  /** Telegram forum topic or Discord thread, else null. */
  threadId: string | null;
  chatType: ChatType;
  /** From the platform locale (Telegram `language_code`, Discord locale); null when unknown or unsupported. */
  language: Language | null;
  /**
   * Whether the caller may change this chat's subscription. Lazy because Telegram must ask
   * getChatMember; adapters cache the answer briefly.
   */
  isChatAdmin(): Promise<boolean>;
}

/** A command as typed: `/search Qwen 开源 2` → `{ name: 'search', args: ['Qwen', '开源', '2'], text: 'Qwen 开源 2' }`. */
export interface ParsedCommand {
  /** Lower-case, without the slash and without any `@botname`. */
  name: string;
  /** Whitespace-separated arguments. */
  args: string[];
  /** Everything after the command name, trimmed. */
  text: string;
  /**
   * The argument values by option name, when the command came as named values rather than typed
   * text: a Discord slash command (`query:"ICCV 2021" page:2`) or a page button. Handlers whose
   * typed text would be ambiguous read these instead (a trailing number is a year, not a page).
   */
  options?: Readonly<Record<string, string | number>>;
}

/** What a reply shows, platform-neutral; adapters render it with their renderer. */
export type ReplyBody =
  | { kind: 'digest'; digest: Digest }
  | { kind: 'item'; view: ItemView }
  | { kind: 'search'; view: SearchPageView }
  | { kind: 'archive'; view: ArchivePageView }
  | { kind: 'text'; tone: 'info' | 'error'; body: RichText; choices?: CommandChoice[] };

/**
 * A button under a text reply that runs a command as whoever presses it (so the command's own
 * checks, such as "admins only", apply to the presser). Platforms without buttons leave it out.
 */
export interface CommandChoice {
  label: string;
  /** The command as typed, without the slash: "sections only AI 前沿". */
  command: string;
}

/** A reply with the language it was written in. */
export type Reply = ReplyBody & { language: Language };
