import { afterEach, describe, expect, it } from 'vitest';
import { EN, openAdminBed, ZH, type AdminBed, useFridayNoonClock } from './support.js';

let bed: AdminBed;
useFridayNoonClock();
afterEach(async () => {
  await bed?.close();
});

describe('/start and /help with delivery', () => {
  it('GIVEN a subscribed chat THEN /help shows its schedule and next post, and lists the admin commands with their arguments', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe daily 08:00 Asia/Shanghai', EN);
    const text = await bed.text('/help', EN);
    expect(text).toContain('This chat is subscribed: daily at 08:00 (Asia/Shanghai); next post 2025-03-29 Sat 08:00 GMT+8.');
    const admin = text.slice(text.indexOf('For chat admins:'));
    for (const usage of ['/subscribe [schedule] [timezone]', '/unsubscribe', '/schedule <schedule> [timezone]', '/status', '/broadcast <date>']) {
      expect(admin).toContain(usage);
    }
  });

  it('GIVEN an unsubscribed chat, or a paused one THEN /start says how to subscribe, or why it is paused', async () => {
    bed = await openAdminBed();
    expect(await bed.text('/start', ZH)).toContain('这个聊天还没有订阅；管理员发送 /subscribe 后，每一期都会按时送到这里。');
    await bed.say('/subscribe', ZH);
    await bed.store.subscriptions.pause('telegram', '42', 'Forbidden: bot was blocked by the user', Date.now());
    expect(await bed.text('/start', ZH)).toContain('这个聊天的订阅已暂停：Forbidden: bot was blocked by the user。');
  });

  it('GIVEN the shell chat THEN /help says nothing about subscriptions', async () => {
    bed = await openAdminBed();
    const text = await bed.text('/help', { platform: 'shell', chatId: 'shell', language: 'en' });
    expect(text).not.toMatch(/subscribed/i);
    expect(text).toContain('For chat admins:');
  });

  it("GIVEN a chat whose subscription is compact THEN /latest uses that mode, and another chat gets the default", async () => {
    bed = await openAdminBed({ DEFAULT_MODE: 'full' });
    await bed.service.subscribe({ platform: 'telegram', chatId: '42', threadId: null }, { mode: 'compact', by: 'telegram:42' });
    expect(await bed.say('/latest', EN)).toMatchObject({ kind: 'digest', digest: { mode: 'compact' } });
    expect(await bed.say('/latest', { ...EN, chatId: '43' })).toMatchObject({ kind: 'digest', digest: { mode: 'full' } });
  });
});
