/**
 * Slash-command definitions built from the router's command list, so every command module (the
 * readers' and delivery's admin ones) appears on Discord without being named here, and their
 * registration (PUT, which replaces the whole set: commands removed from the code disappear).
 *
 * Command names stay the same in every language (they are what /help and the replies print);
 * descriptions and option names are localized for Chinese and English clients.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  type LocalizationMap,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandInfo, CommandOption } from '../../src/commands/module.js';
import type { ParsedCommand } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { truncate } from '../../src/text/graphemes.js';

export type SlashCommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The Discord locales each of our languages is shown in. */
export const DISCORD_LOCALES: Readonly<Record<Language, readonly ('zh-CN' | 'zh-TW' | 'en-US' | 'en-GB')[]>> = {
  zh: ['zh-CN', 'zh-TW'],
  en: ['en-US', 'en-GB'],
};

const DESCRIPTION_MAX = 100;
// Discord's rule for option names (lowercase where the script has case), as the builders check it.
const OPTION_NAME = /^[-_\p{Ll}\p{Lm}\p{Lo}\p{N}\p{sc=Devanagari}\p{sc=Thai}]{1,32}$/u;

export interface SlashCommandOptions {
  /** The language of the default (unlocalized) texts, shown to clients in other locales. */
  defaultLanguage: Language;
  /** Whether an option offers autocomplete (e.g. /issue's date). */
  autocomplete?: (command: CommandInfo, option: CommandOption) => boolean;
}

const description = (text: string) => truncate(text.trim() || '—', DESCRIPTION_MAX);

function localized(texts: Record<Language, string>, accept: (text: string) => string | null): LocalizationMap {
  const map: LocalizationMap = {};
  for (const language of Object.keys(DISCORD_LOCALES) as Language[]) {
    const text = accept(texts[language]);
    if (text === null) continue;
    for (const locale of DISCORD_LOCALES[language]) map[locale] = text;
  }
  return map;
}

/** An option's shown name: its placeholder ("关键词", "page") when Discord accepts it as a name. */
function optionNameLocalizations(option: CommandOption): LocalizationMap {
  return localized(option.placeholder, (text) => {
    const name = text.trim().toLowerCase();
    return OPTION_NAME.test(name) ? name : null;
  });
}

/** The slash command for one router command. */
function slashCommandFor(info: CommandInfo, options: SlashCommandOptions): SlashCommandJson {
  const builder = new SlashCommandBuilder()
    .setName(info.name)
    .setDescription(description(info.description[options.defaultLanguage]))
    .setDescriptionLocalizations(localized(info.description, description))
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    // Servers and the bot's DMs: in a DM the reader is the admin of their own chat.
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  // Hidden from members without Manage Server by default; server admins may widen it in Server
  // Settings › Integrations, which is why the router checks again at run time.
  if (info.adminOnly) builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  for (const option of info.options) {
    const configure = <T extends { setName(n: string): T; setDescription(d: string): T; setNameLocalizations(m: LocalizationMap): T; setDescriptionLocalizations(m: LocalizationMap): T; setRequired(r: boolean): T }>(o: T): T =>
      o
        .setName(option.name)
        .setDescription(description(option.description[options.defaultLanguage]))
        .setNameLocalizations(optionNameLocalizations(option))
        .setDescriptionLocalizations(localized(option.description, description))
        .setRequired(option.required);
    if (option.type === 'integer') builder.addIntegerOption((o) => configure(o));
    else builder.addStringOption((o) => configure(o).setAutocomplete(options.autocomplete?.(info, option) ?? false));
  }
  return builder.toJSON();
}

/** Every router command as a slash command (Discord requires required options first; the router's are). */
export function slashCommandsFor(infos: readonly CommandInfo[], options: SlashCommandOptions): SlashCommandJson[] {
  return infos.map((info) => slashCommandFor(info, options));
}

/**
 * Replaces the application's commands: in one server when `guildId` is given (visible at once,
 * for trying a deployment), else globally (Discord may take a while to show changes everywhere).
 */
export async function registerSlashCommands(rest: REST, target: { applicationId: string; guildId?: string | undefined }, commands: readonly SlashCommandJson[]): Promise<void> {
  const route = target.guildId ? Routes.applicationGuildCommands(target.applicationId, target.guildId) : Routes.applicationCommands(target.applicationId);
  await rest.put(route, { body: commands });
}

/**
 * Builds the `ParsedCommand` a Discord slash invocation stands for: `text` and `args` are the option
 * values in the declared order, joined by spaces, as if typed (`/search query:nerf page:2` →
 * `nerf 2`), and `options` keeps each value under its name, so a handler can tell
 * `query:"ICCV 2021"` from `query:ICCV page:2021`.
 */
export function commandFromOptions(info: CommandInfo, values: Readonly<Record<string, string | number | undefined | null>>): ParsedCommand {
  const options: Record<string, string | number> = {};
  const parts: string[] = [];
  for (const o of info.options) {
    const value = values[o.name];
    if (value === undefined || value === null) continue;
    const trimmed = typeof value === 'string' ? value.trim() : value;
    if (trimmed === '') continue;
    options[o.name] = trimmed;
    parts.push(String(trimmed));
  }
  const text = parts.join(' ');
  return { name: info.name, args: text === '' ? [] : text.split(/\s+/u), text, options };
}
