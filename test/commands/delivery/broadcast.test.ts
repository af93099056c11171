import { afterEach, describe, expect, it } from 'vitest';
import { EN, openAdminBed, ZH, type AdminBed } from './support.js';

let bed: AdminBed;
afterEach(async () => {
  await bed?.close();
});

const OWNER = { userId: '7', chatId: '7', language: 'en' } as const;
const parts = (issueId: string) => [0, 1, 2].map((p) => `${issueId}#${p}`);

/** Three chats subscribe (a private chat, a group, a second private chat); a fourth is paused. */
async function subscribers(): Promise<void> {
  await bed.say('/subscribe', { ...EN, chatId: '42' });
  await bed.say('/subscribe', { ...EN, chatId: '-100500', chatType: 'group', userId: '8' });
  await bed.say('/subscribe', { ...EN, chatId: '43', userId: '43' });
  await bed.say('/subscribe', { ...EN, chatId: '44', userId: '44' });
  await bed.store.subscriptions.pause('telegram', '44', 'Forbidden: bot was blocked by the user', Date.now());
}

describe('/broadcast', () => {
  it('GIVEN a chat admin who is not in OWNER_IDS (or an owner id on another platform) THEN it is refused and nothing is queued', async () => {
    bed = await openAdminBed({ OWNER_IDS: 'telegram:7,discord:42' });
    await subscribers();
    expect(await bed.text('/broadcast latest', { ...EN, userId: '42' })).toBe("Only the bot's owners (the accounts in OWNER_IDS) can use /broadcast.");
    expect(await bed.text('/broadcast latest', { ...ZH, userId: '42' })).toBe('只有机器人的所有者（OWNER_IDS 中列出的账号）可以使用 /broadcast。');
    expect((await bed.store.parts.statusCounts()).pending).toBe(0);
  });

  it('GIVEN an owner THEN the issue goes to every active subscriber now, once; a second broadcast sends nothing twice', async () => {
    bed = await openAdminBed({ OWNER_IDS: 'telegram:7' });
    await subscribers();
    expect(await bed.text('/broadcast 2021-08-14', OWNER)).toBe('Issue 20210814 is queued for 3 chat(s), 9 message(s) in all.');
    await bed.service.idle();
    for (const chat of ['42', '-100500', '43']) expect(bed.port.delivered(chat)).toEqual(parts('20210814'));
    expect(bed.port.attempts('44')).toEqual([]);

    expect(await bed.text('/broadcast 20210814', OWNER)).toBe(
      'Issue 20210814 is queued for 0 chat(s), 0 message(s) in all.\n3 chat(s) already have it and get nothing twice.',
    );
    await bed.service.idle();
    expect(bed.port.sends).toHaveLength(9);
  });

  it('GIVEN an unknown issue or no argument THEN the owner gets the usage', async () => {
    bed = await openAdminBed({ OWNER_IDS: 'telegram:7' });
    expect(await bed.text('/broadcast 19990101', OWNER)).toBe(
      'There is no issue 19990101.\nUsage: /broadcast <date>, e.g. /broadcast 20210814 or /broadcast latest',
    );
    expect(await bed.text('/broadcast', { ...OWNER, language: 'zh' })).toBe('用法：/broadcast <日期>，例如 /broadcast 20210814 或 /broadcast latest');
  });
});
