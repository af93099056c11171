import { afterEach, describe, expect, it } from 'vitest';
import { EN, MEMBER, openAdminBed, ZH, type AdminBed, useFridayNoonClock } from './support.js';

let bed: AdminBed;
useFridayNoonClock();
afterEach(async () => {
  await bed?.close();
});

const row = (chatId = '42') => bed.store.subscriptions.get('telegram', chatId);

describe('/subscribe', () => {
  it('GIVEN no arguments THEN the chat is subscribed with DEFAULT_SCHEDULE and DEFAULT_TIMEZONE and the reply shows the next three runs', async () => {
    bed = await openAdminBed({ DEFAULT_SCHEDULE: 'daily 08:00', DEFAULT_TIMEZONE: 'Asia/Shanghai' });
    const text = await bed.text('/subscribe', EN);
    expect(text).toBe(
      [
        'Subscribed: this chat will get the latest issue on its schedule.',
        'Schedule: daily at 08:00 (Asia/Shanghai)',
        'The next three runs (Asia/Shanghai):',
        '• 2025-03-29 Sat 08:00 GMT+8',
        '• 2025-03-30 Sun 08:00 GMT+8',
        '• 2025-03-31 Mon 08:00 GMT+8',
      ].join('\n'),
    );
    expect(await row()).toMatchObject({ schedule: '0 8 * * *', timezone: 'Asia/Shanghai', language: 'en', paused: false, createdBy: 'telegram:42' });
  });

  it('GIVEN a schedule and a time zone THEN both are stored, and the reply reads the schedule back in the chat\'s language', async () => {
    bed = await openAdminBed();
    const text = await bed.text('/subscribe weekly 周一 09:30 Europe/Berlin', ZH);
    expect(text).toContain('已订阅');
    expect(text).toContain('时间表：每周一 09:30（Europe/Berlin）');
    expect(text).toContain('• 2025-03-31 周一 09:30 GMT+2');
    expect(await row()).toMatchObject({ schedule: '30 9 * * 1', timezone: 'Europe/Berlin', language: 'zh' });
  });

  it('GIVEN a cron with a trailing zone, or a zone alone THEN the words are split into schedule and zone', async () => {
    bed = await openAdminBed({ DEFAULT_SCHEDULE: '0 8 * * *' });
    await bed.say('/subscribe 15 7 * * 1-5 America/New_York', EN);
    expect(await row()).toMatchObject({ schedule: '15 7 * * 1-5', timezone: 'America/New_York' });
    const text = await bed.text('/subscribe asia/tokyo', EN);
    expect(text).toContain('Subscription updated.');
    // The zone moved, the schedule stayed.
    expect(await row()).toMatchObject({ schedule: '15 7 * * 1-5', timezone: 'Asia/Tokyo' });
  });

  it.each([
    ['en', '/subscribe 0 25 * * *', 'Unrecognised schedule 0 25 * * *'],
    ['en', '/subscribe weekly someday 08:00', 'Unrecognised schedule weekly someday 08:00: "someday" is not a day'],
    ['zh', '/subscribe daily 8.00', '无法识别的时间表 daily 8.00：时间应为 00:00 到 23:59 之间'],
  ] as const)('GIVEN a bad schedule (%s: %s) THEN nothing is stored and the reply lists every accepted form', async (language, command, head) => {
    bed = await openAdminBed();
    const reply = await bed.say(command, { language });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    const text = reply.kind === 'text' ? reply.body.map((p) => p.map((s) => s.text).join('')).join('\n') : '';
    expect(text.startsWith(head)).toBe(true);
    for (const form of ['0 8 * * *', 'daily HH:MM', 'daily 08:00', 'weekly <', 'weekly mon 08:00', 'off']) expect(text).toContain(form);
    expect(await row()).toBeNull();
  });

  it.each([
    ['en', 'Unknown time zone Mars/Base. Use an IANA name such as Asia/Shanghai'],
    ['zh', '无法识别的时区 Mars/Base。请使用 IANA 时区名'],
  ] as const)('GIVEN a bad time zone (%s) THEN nothing is stored and the reply names it with examples', async (language, expected) => {
    bed = await openAdminBed();
    const text = await bed.text('/subscribe daily 08:00 Mars/Base', { language });
    expect(text).toContain(expected);
    expect(await row()).toBeNull();
  });

  it('GIVEN a paused subscription (the bot was blocked) WHEN an admin subscribes again THEN it is resumed and the reply says why it was paused', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe', EN);
    await bed.store.subscriptions.pause('telegram', '42', 'Forbidden: bot was blocked by the user', Date.now());
    const text = await bed.text('/subscribe', EN);
    expect(text).toContain('Subscription resumed (it was paused: Forbidden: bot was blocked by the user).');
    expect(await row()).toMatchObject({ paused: false, pausedReason: null });
  });
});

describe('/unsubscribe', () => {
  it('GIVEN a subscribed chat THEN /unsubscribe removes it, and a second /unsubscribe says there is nothing to stop', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe', EN);
    expect(await bed.text('/unsubscribe', EN)).toBe('Unsubscribed: this chat will get no more posts.');
    expect(await row()).toBeNull();
    expect(await bed.text('/unsubscribe', ZH)).toBe('这个聊天没有订阅，无需退订。');
  });
});

describe('admin-only commands', () => {
  it.each(['/subscribe', '/unsubscribe', '/schedule daily 08:00', '/status', '/broadcast latest'])(
    'GIVEN a group member who is not an admin WHEN they send %s THEN a polite refusal in en and zh, and nothing changes',
    async (command) => {
      bed = await openAdminBed({ OWNER_IDS: 'telegram:5' });
      const name = command.split(' ')[0] as string;
      expect(await bed.text(command, { ...MEMBER, language: 'en' })).toBe(`Only chat admins can use ${name}.`);
      expect(await bed.text(command, { ...MEMBER, language: 'zh' })).toBe(`只有群管理员可以使用 ${name}。`);
      expect(await bed.store.subscriptions.list()).toEqual([]);
      expect((await bed.store.parts.statusCounts()).pending).toBe(0);
    },
  );
});

describe('chats that cannot receive posts', () => {
  it('GIVEN the shell chat WHEN it sends /subscribe or /status THEN it is told timed posts need Telegram or Discord, and nothing is stored', async () => {
    bed = await openAdminBed();
    const shell = { platform: 'shell', chatId: 'shell', userId: 'local', language: 'en' } as const;
    for (const command of ['/subscribe', '/schedule daily 08:00', '/status', '/unsubscribe']) {
      expect(await bed.text(command, shell)).toBe(
        'Timed posts go to Telegram and Discord chats; this chat (shell) cannot receive them. Send /latest any time to read the latest issue.',
      );
    }
    expect(await bed.text('/subscribe', { ...shell, language: 'zh' })).toContain('定时推送只能发到 Telegram 或 Discord 的聊天');
    expect(await bed.store.subscriptions.list()).toEqual([]);
  });
});
