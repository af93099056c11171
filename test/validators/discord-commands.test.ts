import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkApplicationCommands } from './discord-commands.js';

describe('checkApplicationCommands', () => {
  it('GIVEN builder-made commands with zh-CN names, autocomplete and ManageGuild THEN there is no issue', () => {
    const issue = new SlashCommandBuilder()
      .setName('issue').setNameLocalizations({ 'zh-CN': '期刊' }).setDescription('Show an issue').setDescriptionLocalizations({ 'zh-CN': '查看一期' })
      .addStringOption((o) => o.setName('id').setDescription('Issue id').setRequired(true).setAutocomplete(true));
    const subscribe = new SlashCommandBuilder().setName('subscribe').setDescription('Subscribe this channel').setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
    expect(checkApplicationCommands([issue.toJSON(), subscribe.toJSON()])).toEqual([]);
  });

  it.each([
    ['an upper-case name', [{ name: 'Latest', description: 'x' }], '[0].name'],
    ['a 101-character description', [{ name: 'latest', description: 'd'.repeat(101) }], '[0].description'],
    ['an unknown locale', [{ name: 'latest', description: 'x', name_localizations: { zh: '最新' } }], '[0].name_localizations.zh: Not a Discord locale'],
    ['a required option after an optional one', [{ name: 's', description: 'x', options: [{ name: 'a', description: 'a', type: 3 }, { name: 'b', description: 'b', type: 3, required: true }] }], 'Required options must come before'],
    ['26 options', [{ name: 's', description: 'x', options: Array.from({ length: 26 }, (_, i) => ({ name: `o${i}`, description: 'o', type: 3 })) }], '[0].options: Must be 25 or fewer'],
    ['a numeric permission bitset', [{ name: 's', description: 'x', default_member_permissions: 32 }], 'default_member_permissions'],
    ['duplicate names', [{ name: 's', description: 'x' }, { name: 's', description: 'y' }], '[1].name: Command names must be unique'],
  ])('GIVEN %s THEN it is reported', (_what, commands, expected) => {
    const issues = checkApplicationCommands(commands);
    expect(issues.some((i) => i.includes(expected)), issues.join('\n')).toBe(true);
  });
});
