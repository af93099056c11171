import { afterEach, describe, expect, it } from 'vitest';
import { commandFromText } from '../../../adapters/telegram/commands.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { textReply } from '../../../src/commands/reply.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { handled, say, sendRequests, startBot, type BotHarness } from './bot-support.js';

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const subscribe: CommandModule = {
  info: { name: 'subscribe', description: { zh: '订阅', en: 'Subscribe this chat' }, options: [], adminOnly: true },
  run: async ({ language }) => textReply(language, 'info', [[{ text: 'subscribed' }]]),
};

type Listed = Array<{ command: string; description: string }>;

describe('Telegram command menu (setMyCommands)', () => {
  it('GIVEN the readers\' commands THEN the menu is set in zh and en by language_code, and in the default language for others', async () => {
    harness = await startBot({ env: { DEFAULT_LANGUAGE: 'en' } });
    const { fake, core } = harness;
    const names = core.router.commands().map((c) => c.name);
    const en = fake.myCommands('en') as Listed;
    const zh = fake.myCommands('zh') as Listed;
    expect(en.map((c) => c.command)).toEqual(names);
    expect(zh.map((c) => c.command)).toEqual(names);
    expect(en.find((c) => c.command === 'search')?.description).toBe(commandMessages.en['describe.search']);
    expect(zh.find((c) => c.command === 'search')?.description).toBe(commandMessages.zh['describe.search']);
    expect(fake.myCommands('')).toEqual(en);
  });

  it('GIVEN an admin-only command THEN group members\' menu leaves it out and admins\' and private menus include it', async () => {
    harness = await startBot({ commands: [subscribe] });
    const { fake } = harness;
    const listed = (language: string, scope: string) => (fake.myCommands(language, scope) as Listed).map((c) => c.command);
    for (const language of ['', 'zh', 'en']) {
      expect(listed(language, 'default')).toContain('subscribe');
      expect(listed(language, 'all_chat_administrators')).toContain('subscribe');
      expect(listed(language, 'all_group_chats')).not.toContain('subscribe');
      expect(listed(language, 'all_group_chats')).toContain('latest');
    }
    // Default language zh for clients in other languages.
    expect((fake.myCommands('', 'default') as Listed).find((c) => c.command === 'subscribe')?.description).toBe('订阅');
  });

  it('GIVEN setMyCommands fails THEN the bot still starts and answers', async () => {
    harness = await startBot({ beforeStart: (fake) => fake.fault({ kind: 'server_error' }, { method: 'setMyCommands' }) });
    const { fake, logs } = harness;
    expect(logs.some((l) => l.method === 'setMyCommands')).toBe(true);
    const [reply] = await say(harness, { text: '/issue 19990101', languageCode: 'en' });
    expect(reply?.plainText).toContain('19990101');
  });
});

describe('Telegram: commands that are not ours', () => {
  const GROUP = -1001888000222;
  const CHANNEL = -1002888000333;
  const unknownFoo = commandMessages.en.unknown.replace('{command}', '/foo');

  it('GIVEN a bare unknown /foo in a group THEN no reply at all; our commands and aliases there still answer', async () => {
    harness = await startBot();
    expect(await say(harness, { chatId: GROUP, text: '/foo', languageCode: 'en' })).toEqual([]);
    expect(sendRequests(harness.fake, GROUP)).toEqual([]);
    const [alias] = await say(harness, { chatId: GROUP, text: '/s nerf', languageCode: 'en' });
    expect(alias?.plainText).toContain('nerf');
    const [own] = await say(harness, { chatId: GROUP, text: '/issue 19990101', languageCode: 'en' });
    expect(own?.plainText).toContain('19990101');
  });

  it('GIVEN /foo@ourbot in a group THEN the "unknown command, see /help" hint', async () => {
    harness = await startBot();
    const [hint] = await say(harness, { chatId: GROUP, text: `/foo@${harness.fake.bot.username}`, languageCode: 'en' });
    expect(hint?.plainText).toContain(unknownFoo);
  });

  it('GIVEN a bare unknown /foo posted in a channel THEN no reply; /latest there still answers', async () => {
    harness = await startBot();
    await handled(harness, harness.fake.pushChannelPost({ chatId: CHANNEL, text: '/foo' }));
    expect(sendRequests(harness.fake, CHANNEL)).toEqual([]);
    await handled(harness, harness.fake.pushChannelPost({ chatId: CHANNEL, text: '/latest' }));
    expect(harness.fake.sent(CHANNEL).length).toBeGreaterThan(0);
  });

  it('GIVEN a bare unknown /foo in a private chat THEN the hint', async () => {
    harness = await startBot();
    const [hint] = await say(harness, { text: '/foo', languageCode: 'en' });
    expect(hint?.plainText).toContain(unknownFoo);
  });
});

describe('commandFromText', () => {
  const bot = 'newsbot_test_bot';
  const ours = new Set(['latest', 'search', 's']);
  const command = (text: string, chatType: 'private' | 'group' | 'channel') => commandFromText(text, chatType, bot, (name) => ours.has(name));

  it('GIVEN commands addressed to us, to nobody, or to another bot THEN ours and unaddressed ones run, others are ignored', () => {
    expect(command('/latest@Newsbot_Test_Bot compact', 'group')).toEqual({ name: 'latest', args: ['compact'], text: 'compact' });
    expect(command('/search nerf', 'channel')).toMatchObject({ name: 'search', args: ['nerf'] });
    expect(command('/s nerf', 'group')).toMatchObject({ name: 's', args: ['nerf'] });
    expect(command('/latest@otherbot', 'group')).toBeNull();
    expect(command('/latest@otherbot', 'private')).toBeNull();
  });

  it('GIVEN a name that is none of ours THEN groups and channels run it only when addressed @ourbot; private chats always do', () => {
    expect(command('/foo', 'group')).toBeNull();
    expect(command('/foo a@b', 'channel')).toBeNull();
    expect(command('/foo@newsbot_test_bot', 'group')).toMatchObject({ name: 'foo' });
    expect(command('／foo@newsbot_test_bot x', 'channel')).toMatchObject({ name: 'foo', args: ['x'] });
    expect(command('/foo', 'private')).toMatchObject({ name: 'foo' });
  });

  it('GIVEN non-command text THEN a private chat gets the hint (empty name) and groups and channels stay silent', () => {
    expect(command('hello', 'private')).toEqual({ name: '', args: [], text: '' });
    expect(command('hello', 'group')).toBeNull();
    expect(command('new issue is out!', 'channel')).toBeNull();
    expect(command('/ not a command', 'private')).toBeNull();
  });
});
