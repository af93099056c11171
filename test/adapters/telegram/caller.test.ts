import { afterEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { commandMessages } from '../../../src/i18n/commands.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { textReply } from '../../../src/commands/reply.js';
import { commandEntities } from '../../fakes/telegram-api.js';
import { handled, say, startBot, type BotHarness } from './bot-support.js';

const GROUP = -1001777000111;
const ADMIN = 2002;
const MEMBER = 3003;

/** An admin-only command that says who ran it, where, and in which language. */
const settings: CommandModule = {
  info: { name: 'settings', description: { zh: '设置', en: 'Settings' }, options: [], adminOnly: true },
  run: async ({ caller, language }) =>
    textReply(language, 'info', [[{ text: `settings ok: ${caller.chatType} ${caller.chatId} ${caller.userId} ${caller.language ?? '-'}` }]]),
};

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const memberLookups = (h: BotHarness) => h.fake.requests.filter((r) => r.method === 'getChatMember');
const refused = commandMessages.en.adminOnly.replace('{command}', '/settings');

describe('Telegram callers and the chat-admin check', () => {
  it('GIVEN a group administrator sending two admin commands THEN both run and getChatMember is asked once', async () => {
    let now = 0;
    harness = await startBot({ commands: [settings], overrides: { now: () => now } });
    const { fake } = harness;
    fake.setMember(GROUP, ADMIN, 'administrator');
    const [first] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    now += 30_000;
    const [second] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    expect(first?.plainText).toContain(`settings ok: group ${GROUP} ${ADMIN} en`);
    expect(second?.plainText).toContain('settings ok');
    expect(memberLookups(harness)).toHaveLength(1);
    expect(memberLookups(harness)[0]?.params).toMatchObject({ chat_id: GROUP, user_id: ADMIN });
  });

  it('GIVEN the cached answer is older than 60 s THEN it asks again, and a demoted admin is refused', async () => {
    let now = 0;
    harness = await startBot({ commands: [settings], overrides: { now: () => now } });
    const { fake } = harness;
    fake.setMember(GROUP, ADMIN, 'creator');
    await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    fake.setMember(GROUP, ADMIN, 'member');
    now += 61_000;
    const [after] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    expect(after?.plainText).toContain(refused);
    expect(memberLookups(harness)).toHaveLength(2);
  });

  it('GIVEN a plain group member THEN the admin command is refused politely', async () => {
    harness = await startBot({ commands: [settings] });
    const [reply] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: MEMBER }, languageCode: 'en' });
    expect(reply?.plainText).toContain(refused);
  });

  it('GIVEN a private chat or a channel post THEN the sender is the admin without asking Telegram', async () => {
    harness = await startBot({ commands: [settings] });
    const { fake } = harness;
    const [own] = await say(harness, { text: '/settings', from: { id: MEMBER }, languageCode: 'en' });
    expect(own?.plainText).toContain(`settings ok: private ${MEMBER} ${MEMBER} en`);
    const post = fake.pushChannelPost({ chatId: -1002000000001, text: '/settings' });
    await handled(harness, post);
    expect(fake.sent(-1002000000001)[0]?.plainText).toContain('settings ok: channel -1002000000001 chat:-1002000000001 -');
    expect(memberLookups(harness)).toHaveLength(0);
  });

  it('GIVEN an anonymous group admin (posting as the group) THEN they are an admin', async () => {
    harness = await startBot({ commands: [settings] });
    const { fake } = harness;
    const chat = { id: GROUP, type: 'supergroup' as const, title: 'Team' };
    const message = {
      message_id: 900,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
      sender_chat: chat,
      text: '/settings',
      entities: commandEntities('/settings'),
    } as unknown as Update.MessageUpdate['message'];
    const update = fake.pushUpdate<Update.MessageUpdate>({ message });
    await handled(harness, update);
    expect(fake.sent(GROUP)[0]?.plainText).toContain(`settings ok: group ${GROUP} chat:${GROUP}`);
    expect(memberLookups(harness)).toHaveLength(0);
  });

  it('GIVEN getChatMember fails THEN the command is refused, the failure logged, and the next check asks again', async () => {
    harness = await startBot({ commands: [settings] });
    const { fake, logs } = harness;
    fake.setMember(GROUP, ADMIN, 'administrator');
    fake.fault({ kind: 'server_error' }, { method: 'getChatMember' });
    const [first] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    expect(first?.plainText).toContain(refused);
    expect(logs.some((l) => l.method === 'getChatMember' && l.family === 'platform')).toBe(true);
    const [second] = await say(harness, { chatId: GROUP, text: '/settings', from: { id: ADMIN }, languageCode: 'en' });
    expect(second?.plainText).toContain('settings ok');
    expect(memberLookups(harness)).toHaveLength(2);
  });
});
