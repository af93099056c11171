import { afterEach, describe, expect, it } from 'vitest';
import { commandFromText } from '../../../adapters/telegram/commands.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { textReply } from '../../../src/commands/reply.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { say, startBot, type BotHarness } from './bot-support.js';

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
    const [reply] = await say(fake, { text: '/issue 19990101', languageCode: 'en' });
    expect(reply?.plainText).toContain('19990101');
  });
});

describe('commandFromText', () => {
  const bot = 'newsbot_test_bot';

  it('GIVEN commands addressed to us, to nobody, or to another bot THEN ours and unaddressed ones run, others are ignored', () => {
    expect(commandFromText('/latest@Newsbot_Test_Bot compact', 'group', bot)).toEqual({ name: 'latest', args: ['compact'], text: 'compact' });
    expect(commandFromText('/search nerf', 'channel', bot)).toMatchObject({ name: 'search', args: ['nerf'] });
    expect(commandFromText('/latest@otherbot', 'group', bot)).toBeNull();
    expect(commandFromText('/latest@otherbot', 'private', bot)).toBeNull();
  });

  it('GIVEN non-command text THEN a private chat gets the hint (empty name) and groups and channels stay silent', () => {
    expect(commandFromText('hello', 'private', bot)).toEqual({ name: '', args: [], text: '' });
    expect(commandFromText('hello', 'group', bot)).toBeNull();
    expect(commandFromText('new issue is out!', 'channel', bot)).toBeNull();
    expect(commandFromText('/ not a command', 'private', bot)).toBeNull();
  });
});
