/**
 * Slash-command registration at start, end to end (the real client PUTs to the fake), and the
 * definitions themselves, checked with the independent application-command validator.
 */
import { describe, expect, it } from 'vitest';
import { commandFromOptions, slashCommandsFor } from '../../../adapters/discord/slash-commands.js';
import type { CommandInfo, CommandModule } from '../../../src/commands/module.js';
import { BUILTIN_COMMANDS } from '../../../src/commands/router.js';
import { PlatformError } from '../../../src/errors.js';
import { FAKE_DISCORD, PERMISSIONS, type Json } from '../../fakes/discord-api.js';
import { checkApplicationCommands } from '../../validators/discord-commands.js';
import { startHarness } from './bot-support.js';

const adminCommand: CommandModule = {
  info: {
    name: 'subscribe_test',
    description: { zh: '订阅：每期自动发到这里', en: 'Subscribe this channel to every issue' },
    options: [{ name: 'schedule', placeholder: { zh: '时间', en: 'schedule' }, description: { zh: '何时发送', en: 'When to post' }, type: 'string', required: false }],
    adminOnly: true,
  },
  run: async ({ language }) => ({ kind: 'text', tone: 'info', body: [[{ text: 'ok' }]], language }),
};

const optionOf = (command: Json | undefined, name: string) => (command?.options as Json[] | undefined)?.find((o) => o.name === name);

describe('slash-command registration at start', () => {
  it('GIVEN no DISCORD_GUILD_ID THEN every router command is registered globally, valid, localized, admin ones behind Manage Server', async () => {
    const h = await startHarness({ commands: [adminCommand] });
    try {
      const put = h.fake.requests('PUT /applications/:app/commands');
      expect(put).toHaveLength(1);
      const body = put[0]?.body as Json[];
      expect(checkApplicationCommands(body)).toEqual([]);
      expect(body.map((c) => c.name)).toEqual(h.core.router.commands().map((c) => c.name));
      expect(h.fake.commands().map((c) => c.name)).toEqual(body.map((c) => c.name));
      expect(h.fake.commands(FAKE_DISCORD.guildId)).toEqual([]);

      for (const command of body) {
        const locales = command.description_localizations as Record<string, string>;
        expect(Object.keys(locales)).toEqual(expect.arrayContaining(['zh-CN', 'en-US']));
      }
      const byName = new Map(body.map((c) => [c.name, c]));
      const info = new Map(h.core.router.commands().map((c) => [c.name, c]));
      expect((byName.get('latest')?.description_localizations as Json)['zh-CN']).toBe(info.get('latest')?.description.zh);
      expect((byName.get('latest')?.description_localizations as Json)['en-US']).toBe(info.get('latest')?.description.en);

      const admin = byName.get('subscribe_test');
      expect(admin?.default_member_permissions).toBe(PERMISSIONS.ManageGuild.toString());
      expect(admin?.contexts).toEqual([0, 1]);
      for (const name of ['latest', 'issue', 'issues', 'search']) expect(byName.get(name)?.default_member_permissions ?? null).toBeNull();

      const date = optionOf(byName.get('issue'), 'date');
      expect(date).toMatchObject({ type: 3, autocomplete: true, required: false });
      expect((date?.name_localizations as Json)['zh-CN']).toBe('日期');
      expect(optionOf(byName.get('search'), 'query')).toMatchObject({ type: 3, required: true });
      expect(optionOf(byName.get('search'), 'page')).toMatchObject({ type: 4, required: false });
      expect(optionOf(byName.get('search'), 'query')?.autocomplete ?? false).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('GIVEN DISCORD_GUILD_ID THEN the commands are registered in that server only', async () => {
    const h = await startHarness({ env: { DISCORD_GUILD_ID: FAKE_DISCORD.guildId } });
    try {
      expect(h.fake.commands(FAKE_DISCORD.guildId).map((c) => c.name)).toEqual(h.core.router.commands().map((c) => c.name));
      expect(h.fake.requests('PUT /applications/:app/commands')).toEqual([]);
      expect(h.logs.some((l) => l.msg === 'discord: slash commands registered' && l.scope === 'guild')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a server the bot is not in THEN the start fails with a PlatformError naming DISCORD_GUILD_ID, without the token', async () => {
    const failure = startHarness({ env: { DISCORD_GUILD_ID: '1299999999999999999' } });
    await expect(failure).rejects.toBeInstanceOf(PlatformError);
    const error = (await failure.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('DISCORD_GUILD_ID');
    expect(error.message).toContain('Missing Access');
    expect(error.message).not.toContain(FAKE_DISCORD.token);
  });
});

describe('slashCommandsFor', () => {
  const infos: CommandInfo[] = BUILTIN_COMMANDS.map((m) => m.info);

  it('GIVEN the default language en THEN the unlocalized texts are English and zh-CN gets Chinese', () => {
    const [latest] = slashCommandsFor(infos.filter((i) => i.name === 'latest'), { defaultLanguage: 'en' });
    expect(latest?.description).toBe('The latest issue');
    expect(latest?.description_localizations?.['zh-CN']).toBe('最新一期简报');
  });

  it('GIVEN a placeholder Discord cannot take as a name THEN that option keeps its own name in every locale', () => {
    const [latest] = slashCommandsFor(infos.filter((i) => i.name === 'latest'), { defaultLanguage: 'zh' });
    const mode = latest?.options?.find((o) => o.name === 'mode');
    expect(mode?.name_localizations ?? {}).toEqual({});
  });

  it('GIVEN over-long descriptions THEN they are cut to 100 characters and still pass the validator', () => {
    const long: CommandInfo = { name: 'long', description: { zh: '长'.repeat(150), en: 'x'.repeat(150) }, options: [], adminOnly: false };
    const json = slashCommandsFor([long], { defaultLanguage: 'zh' });
    expect(checkApplicationCommands(json)).toEqual([]);
    expect(json[0]?.description.length).toBe(100);
  });
});

describe('commandFromOptions', () => {
  it('GIVEN Discord slash option values THEN they read as the typed command, and each value is kept under its name', () => {
    const search = BUILTIN_COMMANDS.find((m) => m.info.name === 'search')!.info;
    expect(commandFromOptions(search, { query: 'Qwen 开源', page: 2 })).toEqual({
      name: 'search',
      args: ['Qwen', '开源', '2'],
      text: 'Qwen 开源 2',
      options: { query: 'Qwen 开源', page: 2 },
    });
    expect(commandFromOptions(search, { query: ' ICCV 2021 ', page: null })).toEqual({
      name: 'search',
      args: ['ICCV', '2021'],
      text: 'ICCV 2021',
      options: { query: 'ICCV 2021' },
    });
  });
});
