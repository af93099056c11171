/**
 * Autocomplete for /sections: "all", then "only <section>" and "skip <section>" for the sections of
 * recent issues that match what the reader has typed, at most 25 (Discord's limit).
 */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { CommandInfo, CommandOption, LibraryPort } from '../../src/commands/module.js';
import { foldSection, recentSections } from '../../src/delivery/filters.js';
import { truncate } from '../../src/text/graphemes.js';

const MAX_CHOICES = 25;
const CHOICE_TEXT_MAX = 100;

/** Whether an option is /sections' setting. */
export function isSectionsOption(command: CommandInfo, option: CommandOption): boolean {
  return command.name === 'sections' && option.name === 'setting';
}

/** The settings matching `typed`: its first word narrows the verb, the rest the section name. */
export function sectionChoices(issues: LibraryPort, typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const sections = recentSections(issues.list());
  const all = ['all', ...sections.map((s) => `only ${s}`), ...sections.map((s) => `skip ${s}`)];
  const text = foldSection(typed.slice(0, 200));
  const matching = text === '' ? all : all.filter((choice) => foldSection(choice).includes(text));
  return matching.slice(0, MAX_CHOICES).map((choice) => {
    const value = truncate(choice, CHOICE_TEXT_MAX);
    return { name: value, value };
  });
}
