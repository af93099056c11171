/**
 * Commands in and out of Telegram: which messages are commands for us, and the command menu
 * published with setMyCommands in both languages.
 */
import type { BotCommand } from 'telegraf/types';
import type { CommandInfo } from '../../src/commands/module.js';
import { parseCommandText } from '../../src/commands/parse.js';
import type { ChatType, ParsedCommand } from '../../src/commands/types.js';
import { LANGUAGES, type Language } from '../../src/i18n/language.js';
import type { BotApi } from './bot-api.js';

/** The router's answer to a bare message in a private chat: "commands start with /". */
const NOT_A_COMMAND: ParsedCommand = { name: '', args: [], text: '' };

/**
 * The command a message's text stands for, or null when the bot should stay silent.
 * `/latest@otherbot` is never ours. In a group or channel, a bare `/foo` that is none of our
 * commands (`knows`, aliases included) is most likely another bot's, so only `/foo@ourbot` gets
 * the router's "no such command, see /help"; private chats always get it. In a private chat, text
 * that is not a command at all gets the router's hint; in groups and channels it is conversation.
 */
export function commandFromText(text: string, chatType: ChatType, botUsername: string, knows: (name: string) => boolean): ParsedCommand | null {
  const parsed = parseCommandText(text, botUsername);
  if (parsed) {
    // Parsed with our username, so an @ in the command word can only name us.
    const addressed = /^\s*[/／][^\s@]*@/u.test(text);
    return chatType === 'private' || addressed || knows(parsed.name) ? parsed : null;
  }
  if (chatType === 'private' && !/^\s*[/／]/u.test(text)) return NOT_A_COMMAND;
  return null;
}

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const MAX_COMMANDS = 100;
const MAX_DESCRIPTION = 256;

function menu(infos: readonly CommandInfo[], language: Language): BotCommand[] {
  return infos
    .filter((info) => COMMAND_NAME.test(info.name))
    .slice(0, MAX_COMMANDS)
    .map((info) => ({ command: info.name, description: info.description[language].slice(0, MAX_DESCRIPTION) || info.name }));
}

/** One setMyCommands call: its scope, language ('' = every other language) and list. */
interface CommandMenu {
  scope: 'default' | 'all_group_chats' | 'all_chat_administrators';
  languageCode: '' | Language;
  commands: BotCommand[];
}

/**
 * The menus to publish. Every scope gets a list per language plus a language-less one in the
 * default language. When there are admin-only commands, group members see the readers' commands
 * and group admins (and private chats, where the user is the admin) see them all.
 */
function commandMenus(infos: readonly CommandInfo[], defaultLanguage: Language): CommandMenu[] {
  const readers = infos.filter((info) => !info.adminOnly);
  const scopes: Array<[CommandMenu['scope'], readonly CommandInfo[]]> =
    readers.length === infos.length
      ? [['default', infos]]
      : [
          ['default', infos],
          ['all_group_chats', readers],
          ['all_chat_administrators', infos],
        ];
  const menus: CommandMenu[] = [];
  for (const [scope, list] of scopes) {
    menus.push({ scope, languageCode: '', commands: menu(list, defaultLanguage) });
    for (const language of LANGUAGES) menus.push({ scope, languageCode: language, commands: menu(list, language) });
  }
  return menus;
}

/** Publishes the command menus (setMyCommands per scope and language, each within SEND_TIMEOUT). Rejects on the first failure. */
export async function publishCommands(api: BotApi, infos: readonly CommandInfo[], defaultLanguage: Language): Promise<void> {
  for (const m of commandMenus(infos, defaultLanguage)) {
    const languageCode = m.languageCode !== '' ? { language_code: m.languageCode } : {};
    await api.call('setMyCommands', { commands: m.commands, scope: { type: m.scope }, ...languageCode }, api.sendTimeoutMs);
  }
}
