import { afterEach, describe, expect, it } from 'vitest';
import { createChatQueue } from '../../../adapters/telegram/chat-queue.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { textReply } from '../../../src/commands/reply.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { manualDeadlines, sendRequests, startBot, type BotHarness } from './bot-support.js';

const en = commandMessages.en;

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('createChatQueue', () => {
  it('GIVEN tasks for one chat THEN they run in order, one at a time; GIVEN another chat THEN its task runs meanwhile', async () => {
    const queue = createChatQueue(() => undefined);
    const events: string[] = [];
    const first = gate();
    const otherChatRan = gate();
    queue.run('a', async () => {
      events.push('a1 start');
      await first.opened;
      events.push('a1 end');
    });
    queue.run('a', async () => void events.push('a2'));
    queue.run('b', async () => {
      events.push('b');
      otherChatRan.open();
    });
    await otherChatRan.opened;
    expect(events).toEqual(['a1 start', 'b']);
    first.open();
    await queue.idle();
    expect(events).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('GIVEN a task that throws THEN onError gets it with its key and the chat\'s next task still runs', async () => {
    const errors: Array<[unknown, string]> = [];
    const queue = createChatQueue((err, key) => errors.push([err, key]));
    const boom = new Error('boom');
    let ranAfter = false;
    queue.run('a', async () => {
      throw boom;
    });
    queue.run('a', async () => void (ranAfter = true));
    await queue.idle();
    expect(errors).toEqual([[boom, 'a']]);
    expect(ranAfter).toBe(true);
  });

  it('GIVEN work queued while idle() is waiting THEN idle() waits for that work too', async () => {
    const queue = createChatQueue(() => undefined);
    const events: string[] = [];
    queue.run('a', async () => {
      await Promise.resolve();
      queue.run('b', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        events.push('queued later');
      });
    });
    await queue.idle();
    expect(events).toEqual(['queued later']);
  });
});

const GROUP_A = -1001555000111;
const CHAT_A = 5101;
const CHAT_B = 5202;
const ADMIN = 2002;

const settings: CommandModule = {
  info: { name: 'settings', description: { zh: '设置', en: 'Settings' }, options: [], adminOnly: true },
  run: async ({ language }) => textReply(language, 'info', [[{ text: 'settings ok' }]]),
};

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Telegram bot: a slow chat holds back only itself', () => {
  it('GIVEN chat A\'s reply hangs in sendMessage THEN chat B\'s reply arrives while A\'s still hangs; A gets an apology once its deadline passes', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ overrides: { deadline: deadlines.deadline } });
    const { fake, adapter, logs } = harness;
    fake.fault({ kind: 'hang' }, { method: 'sendMessage', chatId: CHAT_A });
    fake.pushMessage({ chatId: CHAT_A, from: { id: CHAT_A }, text: '/issue 19990101', languageCode: 'en' });
    await fake.waitFor('sendMessage', (r) => r.params.chat_id === CHAT_A && r.status === 0);

    fake.pushMessage({ chatId: CHAT_B, from: { id: CHAT_B }, text: '/issue 19990101', languageCode: 'en' });
    const replyB = await fake.waitFor('sendMessage', (r) => r.params.chat_id === CHAT_B && r.status === 200);
    // A's request never gets an answer and its deadline has not been fired: A is still hanging.
    expect(sendRequests(fake, CHAT_A)).toHaveLength(1);
    expect(fake.sent(CHAT_A)).toEqual([]);
    expect(fake.sent(CHAT_B)[0]?.messageId).toBe((replyB.response as { result: { message_id: number } }).result.message_id);

    deadlines.expire();
    await adapter.idle();
    expect(fake.sent(CHAT_A).map((m) => m.plainText)).toEqual([expect.stringContaining(en.apology)]);
    expect(logs.some((l) => l.family === 'platform' && l.method === 'sendMessage' && l.chatId === String(CHAT_A))).toBe(true);
  });

  it('GIVEN getChatMember hangs for an admin command in group A THEN chat B is answered meanwhile; A is refused once the deadline passes', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ commands: [settings], overrides: { deadline: deadlines.deadline } });
    const { fake, adapter, logs } = harness;
    fake.setMember(GROUP_A, ADMIN, 'administrator');
    fake.fault({ kind: 'hang' }, { method: 'getChatMember', chatId: GROUP_A });
    fake.pushMessage({ chatId: GROUP_A, from: { id: ADMIN }, text: '/settings', languageCode: 'en' });
    await fake.waitFor('getChatMember', (r) => r.params.chat_id === GROUP_A && r.status === 0);

    fake.pushMessage({ chatId: CHAT_B, from: { id: CHAT_B }, text: '/settings', languageCode: 'en' });
    await fake.waitFor('sendMessage', (r) => r.params.chat_id === CHAT_B && r.status === 200);
    expect(fake.sent(CHAT_B)[0]?.plainText).toContain('settings ok');
    expect(sendRequests(fake, GROUP_A)).toEqual([]);

    deadlines.expire();
    await adapter.idle();
    // No answer is no proof of admin rights.
    expect(fake.sent(GROUP_A)[0]?.plainText).toContain(en.adminOnly.replace('{command}', '/settings'));
    expect(logs.some((l) => l.method === 'getChatMember' && String(l.msg).includes('no answer within'))).toBe(true);
  });
});
