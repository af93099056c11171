/**
 * Section filters end to end through the fake Telegram: set by a group admin and refused for a
 * member, honoured by /broadcast, and an issue filtered down to nothing recorded as skipped and shown
 * in /status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SentMessage } from '../../fakes/telegram-api.js';
import { OWNER, openReadersBed, type ReadersBed } from '../../support/readers-bed.js';

let bed: ReadersBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const ADMIN = 77;
const MEMBER = 78;

describe('/sections', () => {
  it('GIVEN a group admin and a member THEN the member is refused, the admin sets the filter (width-, case-insensitive, by prefix), and /broadcast honours it', async () => {
    bed = await openReadersBed();
    const group = -100500;
    bed.fake.setMember(group, ADMIN, 'creator');
    const [listing] = await bed.say({ chatId: group, from: { id: MEMBER }, text: '/sections', languageCode: 'en' });
    expect(listing?.plainText).toContain('This chat receives every section.');
    expect(listing?.plainText).toContain('Sections of recent issues: AI 前沿 · 有趣的开源项目 · 其他 · AI · Other');

    const [refused] = await bed.say({ chatId: group, from: { id: MEMBER }, text: '/sections only 有趣', languageCode: 'en' });
    expect(refused?.plainText).toContain('Only chat admins can use /sections.');
    expect(await bed.store.readers.sectionFilter('telegram', String(group))).toBeNull();

    const [ambiguous] = await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections only ａｉ　', languageCode: 'en' });
    // "ai" is a section of its own (AI), so the full-width spelling names it exactly, not as a prefix of "AI 前沿".
    expect(ambiguous?.plainText).toContain('This chat receives only: AI.');
    const [unknown] = await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections only 论文', languageCode: 'en' });
    expect(unknown?.plainText).toContain('No section is called 论文.');
    const [saved] = await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections only 有趣', languageCode: 'en' });
    expect(saved?.plainText).toBe('Saved.\n\nThis chat receives only: 有趣的开源项目.');
    await bed.say({ chatId: group, from: { id: ADMIN }, text: '/subscribe', languageCode: 'en' });
    const before = bed.fake.sent(group).length;

    const [queued] = await bed.say({ chatId: OWNER, from: { id: OWNER }, text: '/broadcast 20210814', languageCode: 'en' });
    expect(queued?.plainText).toContain('Issue 20210814 is queued for 1 chat(s)');
    await bed.delivery.idle();
    const posts = bed.fake.sent(group).slice(before).map((m) => m.plainText).join('\n');
    expect(posts).toContain('▎有趣的开源项目');
    expect(posts).toContain('比用Pytorch框架快200倍');
    expect(posts).not.toContain('Mobile-Former');
    expect(posts).not.toContain('▎AI 前沿');
  }, 90_000);

  it('GIVEN a filter that leaves nothing of an issue THEN /broadcast sends it nothing, records it as skipped, and /status shows why; /sections all makes the next broadcast send it', async () => {
    bed = await openReadersBed();
    const group = -100600;
    bed.fake.setMember(group, ADMIN, 'administrator');
    await bed.say({ chatId: group, from: { id: ADMIN }, text: '/subscribe', languageCode: 'en' });
    await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections only other', languageCode: 'en' });
    const before = bed.fake.sent(group).length;

    const [queued] = await bed.say({ chatId: OWNER, from: { id: OWNER }, text: '/broadcast 20210814', languageCode: 'en' });
    expect(queued?.plainText).toContain('1 chat(s) filter out every section of this issue; it is recorded as skipped for them.');
    await bed.delivery.idle();
    expect(bed.fake.sent(group)).toHaveLength(before);
    const [status] = await bed.say({ chatId: group, from: { id: ADMIN }, text: '/status', languageCode: 'en' });
    expect(status?.plainText).toContain('20210814');
    expect(status?.plainText).toContain("skipped: this chat's section filter left no item of this issue");

    await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections all', languageCode: 'en' });
    const after = bed.fake.sent(group).length;
    await bed.say({ chatId: OWNER, from: { id: OWNER }, text: '/broadcast 20210814', languageCode: 'en' });
    await bed.delivery.idle();
    const posts = bed.fake.sent(group).slice(after).map((m) => m.plainText).join('\n');
    expect(posts).toContain('Mobile-Former');
    expect((await bed.store.parts.forChatIssue('telegram', String(group), '20210814')).every((p) => p.status === 'sent')).toBe(true);
  }, 90_000);

  it('GIVEN /sections on Telegram THEN the sections come as buttons; a member pressing one is refused, an admin pressing one sets the filter', async () => {
    bed = await openReadersBed();
    const group = -100800;
    bed.fake.setMember(group, ADMIN, 'administrator');
    const press = async (listing: SentMessage, label: string, userId: number) => {
      const rows = (listing.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
      const button = rows.flat().find((b) => b.text === label);
      if (!button) throw new Error(`no button ${label}`);
      const update = bed!.fake.pushCallbackQuery({ data: button.callback_data, messageId: listing.messageId, chatId: group, from: { id: userId }, languageCode: 'en' });
      await bed!.fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === update.callback_query.id);
      return bed!.fake.sent(group).find((m) => m.messageId === listing.messageId);
    };

    const [first] = await bed.say({ chatId: group, from: { id: MEMBER }, text: '/sections', languageCode: 'en' });
    if (!first) throw new Error('no listing');
    const labels = (first.replyMarkup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(['✓ AI 前沿', '✗ AI 前沿', '✓ 有趣的开源项目', '✗ 有趣的开源项目', '✓ 其他', '✗ 其他', '✓ AI', '✗ AI', '✓ Other', '✗ Other', '✓ all']);
    expect((await press(first, '✗ 其他', MEMBER))?.plainText).toContain('Only chat admins can use /sections.');
    expect(await bed.store.readers.sectionFilter('telegram', String(group))).toBeNull();

    const [second] = await bed.say({ chatId: group, from: { id: ADMIN }, text: '/sections', languageCode: 'en' });
    if (!second) throw new Error('no listing');
    const edited = await press(second, '✗ 其他', ADMIN);
    expect(edited?.plainText).toBe('Saved.\n\nThis chat skips: 其他.');
    expect(edited?.editCount).toBe(1);
    expect(await bed.store.readers.sectionFilter('telegram', String(group))).toMatchObject({ kind: 'skip', names: ['其他'] });
  }, 90_000);
});
