/**
 * Saved-search alerts end to end through the fake Telegram: /follow, a new issue file, the alert
 * once (even with two matching searches, after an edit of the file and after a restart), nobody
 * alerted by an unrelated issue, and the per-chat cap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FOLLOW_LIMIT } from '../../src/delivery/alerts.js';
import { readersText } from '../../src/i18n/readers.js';
import { inventedIssue, openReadersBed, type ReadersBed } from '../support/readers-bed.js';

let bed: ReadersBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const NERF = { title: 'NeRF 实时渲染：一张显卡跑满 VR 头盔', summary: '神经辐射场的推理成本降了一个数量级。', slug: 'nerf-vr' };
const OTHER = { title: '表格识别的新基准', summary: '与三维重建无关的一条。', slug: 'tables' };
const LATER = { title: '端侧语音助手开源', summary: '也与三维重建无关。', slug: 'voice' };

describe('saved-search alerts', () => {
  it('GIVEN /follow nerf WHEN a new issue file has a NeRF item THEN the chat is alerted once, also after an edit of the file and a restart; an unrelated issue alerts nobody', async () => {
    bed = await openReadersBed();
    const [saved] = await bed.say({ chatId: 5005, text: '/follow nerf', languageCode: 'en' });
    expect(saved?.plainText).toContain(`Following nerf: this chat is alerted when a new issue has a matching item (1/${FOLLOW_LIMIT} used).`);
    // A second chat with two searches that both match the same item.
    await bed.say({ chatId: 5006, text: '/follow nerf', languageCode: 'zh' });
    await bed.say({ chatId: 5006, text: '/follow 神经辐射场', languageCode: 'zh' });
    const before = { a: bed.fake.sent(5005).length, b: bed.fake.sent(5006).length };

    await bed.write('AI简报20240101.md', inventedIssue('20240101', [OTHER, NERF]), '20240101', 2);
    const alertA = bed.fake.sent(5005).slice(before.a);
    const alertB = bed.fake.sent(5006).slice(before.b);
    expect(alertA).toHaveLength(1);
    expect(alertA[0]?.plainText).toContain('🔔 Saved search: nerf');
    expect(alertA[0]?.plainText).toContain(NERF.title);
    expect(alertA[0]?.plainText).not.toContain(OTHER.title);
    expect(alertB).toHaveLength(1);
    expect(alertB[0]?.plainText).toContain(`${readersText.zh['alert.title'].replace('{query}', 'nerf · 神经辐射场')}`);
    // The alert does not count as the chat having the issue: a digest of it is still owed.
    expect(await bed.store.parts.hasIssue('telegram', '5005', '20240101')).toBe(false);

    // An unrelated issue alerts nobody.
    await bed.write('AI简报20240102.md', inventedIssue('20240102', [LATER]), '20240102', 1);
    expect(await bed.store.parts.forIssue('20240102')).toEqual([]);

    // An edit of the file (the NeRF item reworded, an item added) alerts nobody again.
    await bed.write('AI简报20240101.md', inventedIssue('20240101', [OTHER, { ...NERF, summary: '改过的摘要：NeRF 依旧。' }, LATER]), '20240101', 3);
    // Nor does a restart, followed by another edit.
    await bed.restart();
    await bed.write('AI简报20240101.md', inventedIssue('20240101', [NERF, OTHER]), '20240101', 2);
    expect(bed.fake.sent(5005).slice(before.a)).toHaveLength(1);
    expect(bed.fake.sent(5006).slice(before.b)).toHaveLength(1);

    // The searches survive the restart.
    const [listed] = await bed.say({ chatId: 5005, text: '/following', languageCode: 'en' });
    expect(listed?.plainText).toBe(`Saved searches of this chat (1/${FOLLOW_LIMIT}):\n\n1. nerf\n\n/unfollow <n> removes one.`);
  }, 90_000);

  it(`GIVEN ${FOLLOW_LIMIT} saved searches THEN one more is refused with the cap; /unfollow frees a place; a group member may not follow`, async () => {
    bed = await openReadersBed();
    for (let i = 1; i <= FOLLOW_LIMIT; i++) await bed.say({ chatId: 5007, text: `/follow word${i}`, languageCode: 'en' });
    const [refused] = await bed.say({ chatId: 5007, text: '/follow nerf', languageCode: 'en' });
    expect(refused?.plainText).toContain(`This chat already has ${FOLLOW_LIMIT} saved searches, the most it may have. Remove one with /unfollow <n> first.`);
    expect(await bed.store.readers.follows('telegram', '5007')).toHaveLength(FOLLOW_LIMIT);
    const [removed] = await bed.say({ chatId: 5007, text: '/unfollow 3', languageCode: 'en' });
    expect(removed?.plainText).toBe('No longer following word3.');
    const [saved] = await bed.say({ chatId: 5007, text: '/follow nerf', languageCode: 'en' });
    expect(saved?.plainText).toContain(`(${FOLLOW_LIMIT}/${FOLLOW_LIMIT} used)`);

    const [member] = await bed.say({ chatId: -100700, from: { id: 78 }, text: '/follow nerf', languageCode: 'en' });
    expect(member?.plainText).toContain('Only chat admins can use /follow.');
    expect(await bed.store.readers.follows('telegram', '-100700')).toEqual([]);
  }, 90_000);
});
