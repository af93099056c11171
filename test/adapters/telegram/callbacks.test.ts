import { afterEach, describe, expect, it } from 'vitest';
import { commandMessages } from '../../../src/i18n/commands.js';
import type { CallbackQuery, InlineKeyboardMarkup, Update } from 'telegraf/types';
import type { FakeTelegramApi, SentMessage } from '../../fakes/telegram-api.js';
import { checkEditMessageText } from '../../validators/telegram-html.js';
import { handled, say, startBot, type BotHarness } from './bot-support.js';

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** The page row of a message's keyboard, as [text, callback_data] pairs. */
function pagerOf(message: SentMessage | undefined): Array<[string, string | undefined]> {
  const rows = (message?.replyMarkup as Keyboard | null)?.inline_keyboard ?? [];
  return (rows.at(-1) ?? []).map((b) => [b.text, b.callback_data]);
}

/** Presses a button on a message and returns the answerCallbackQuery the bot made. */
async function press(h: BotHarness, data: string, message: SentMessage, languageCode = 'en') {
  const { fake } = h;
  const update = fake.pushCallbackQuery({ data, messageId: message.messageId, chatId: Number(message.chatId), languageCode });
  const answer = await fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === update.callback_query.id);
  await handled(h, update);
  return answer;
}

/** A press built by hand: the pressed message shows `keyboard` (what Telegram would include), whatever the fake stored. */
function pushPress(fake: FakeTelegramApi, data: string, message: SentMessage, keyboard: Keyboard, languageCode = 'en') {
  const from = { id: 1001, is_bot: false, first_name: 'Ada', language_code: languageCode };
  const chat = { id: Number(message.chatId), type: 'private' as const, first_name: 'Ada' };
  return fake.pushUpdate<Update.CallbackQueryUpdate<CallbackQuery.DataQuery>>({
    callback_query: {
      id: `cbq-hand-${message.messageId}-${data}`,
      from,
      chat_instance: `ci-${message.chatId}`,
      data,
      message: { message_id: message.messageId, date: 1, chat, from: fake.bot, text: message.plainText, reply_markup: keyboard as InlineKeyboardMarkup },
    },
  });
}

describe('Telegram page buttons (◀ n/m ▶)', () => {
  it('GIVEN a 3-page search WHEN ▶ is pressed twice and ◀ once THEN the same message is edited in place each time and every press is answered', async () => {
    harness = await startBot();
    const { fake, core } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const page = (n: number) => {
      const found = core.search.search('model', { page: n });
      if (!found.ok) throw new Error('search failed');
      return found.hits.map((h) => h.title);
    };

    const next = pagerOf(results).find(([text]) => text === '▶')?.[1];
    const answer = await press(harness, next ?? '', results);
    expect(answer.params.text).toBeUndefined();
    const afterFirst = fake.sent(results.chatId).find((m) => m.messageId === results.messageId);
    expect(afterFirst?.editCount).toBe(1);
    for (const title of page(2)) expect(afterFirst?.plainText).toContain(title.slice(0, 15));
    expect(pagerOf(afterFirst).map(([text]) => text)).toEqual(['◀', '2/3', '▶']);

    await press(harness, pagerOf(afterFirst).find(([text]) => text === '▶')?.[1] ?? '', results);
    const last = fake.sent(results.chatId).find((m) => m.messageId === results.messageId);
    expect(pagerOf(last).map(([text]) => text)).toEqual(['◀', '3/3']);
    await press(harness, pagerOf(last)[0]?.[1] ?? '', results);

    const back = fake.sent(results.chatId).find((m) => m.messageId === results.messageId);
    expect(back?.editCount).toBe(3);
    for (const title of page(2)) expect(back?.plainText).toContain(title.slice(0, 15));
    // Still one message in the chat: edits, not new messages.
    expect(fake.sent(results.chatId)).toHaveLength(1);
    for (const edit of fake.requests.filter((r) => r.method === 'editMessageText')) expect(checkEditMessageText(edit.params)).toEqual([]);
  });

  it('GIVEN the archive (/issues) THEN its ▶ button pages to the older issues', async () => {
    harness = await startBot();
    const { fake, core } = harness;
    const [archive] = await say(harness, { text: '/issues', languageCode: 'en' });
    if (!archive) throw new Error('no reply');
    await press(harness, pagerOf(archive).find(([text]) => text === '▶')?.[1] ?? '', archive);
    const oldest = [...core.library.list()].sort((a, b) => a.date.localeCompare(b.date))[0];
    const edited = fake.sent(archive.chatId).find((m) => m.messageId === archive.messageId);
    expect(edited?.plainText).toContain(oldest?.id ?? '?');
  });

  it.each([
    ['forged', 'pg:k:2:NoSuchKey123'],
    ['malformed', 'pg:s:0:'],
    ['not ours', 'vote:up'],
  ])('GIVEN %s callback data the message does not carry THEN the press is answered "not on this message" and nothing is edited', async (_kind, data) => {
    harness = await startBot();
    const { fake } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const answer = await press(harness, data, results);
    expect(answer.params.text).toBe(commandMessages.en['page.notOnMessage']);
    expect(answer.status).toBe(200);
    expect(fake.requests.some((r) => r.method === 'editMessageText')).toBe(false);
    // The bot is still fine.
    const [next] = await say(harness, { text: '/issue 19990101', languageCode: 'en' });
    expect(next?.plainText).toContain('19990101');
  });

  it.each([
    ['forged', 'pg:k:2:NoSuchKey123'],
    ['malformed', 'pg:s:0:'],
    ['not ours', 'vote:up'],
  ])('GIVEN a message that does carry %s callback data THEN the press is answered "expired" and nothing is edited', async (_kind, data) => {
    harness = await startBot();
    const { fake } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const update = pushPress(fake, data, results, { inline_keyboard: [[{ text: '▶', callback_data: data }]] });
    const answer = await fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === update.callback_query.id);
    await handled(harness, update);
    expect(answer.params.text).toBe(commandMessages.en['page.expired']);
    expect(fake.requests.some((r) => r.method === 'editMessageText')).toBe(false);
  });

  it('GIVEN a channel post WHEN a forged press carries page data that decodes (attacker text as the query) THEN the post is not edited and the press gets one answer (zh)', async () => {
    harness = await startBot();
    const { fake } = harness;
    const channel = -1009876543210;
    await handled(harness, fake.pushChannelPost({ chatId: channel, text: '/latest' }));
    const post = fake.sent(channel)[0];
    if (!post) throw new Error('no post');
    const before = post.plainText;
    const update = fake.pushCallbackQuery({ data: 'pg:s:1:FREE CRYPTO visit evil.example', messageId: post.messageId, chatId: channel, languageCode: 'zh' });
    await handled(harness, update);
    const answers = fake.requests.filter((r) => r.method === 'answerCallbackQuery' && r.params.callback_query_id === update.callback_query.id);
    expect(answers.map((r) => r.params.text)).toEqual([commandMessages.zh['page.notOnMessage']]);
    expect(fake.requests.filter((r) => r.method === 'editMessageText')).toEqual([]);
    expect(fake.sent(channel)[0]?.plainText).toBe(before);
    expect(fake.sent(channel)[0]?.editCount ?? 0).toBe(0);
  });

  it("GIVEN page 2 of a search WHEN a press carries another page's data (a page button this message no longer shows) THEN nothing is edited", async () => {
    harness = await startBot();
    const { fake } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const next = pagerOf(results).find(([text]) => text === '▶')?.[1] ?? '';
    await press(harness, next, results);
    const page2 = fake.sent(results.chatId).find((m) => m.messageId === results.messageId);
    expect(pagerOf(page2).map(([, data]) => data)).not.toContain(next);
    // The same ▶ again, as a second tap racing the first edit would send it.
    const answer = await press(harness, next, results);
    expect(answer.params.text).toBe(commandMessages.en['page.notOnMessage']);
    expect(fake.sent(results.chatId).find((m) => m.messageId === results.messageId)?.editCount).toBe(1);
  });

  it('GIVEN a long query kept in memory WHEN its button is pressed after the TTL THEN "expired"; before it THEN the next page', async () => {
    let now = 1_000_000;
    harness = await startBot({ coreOptions: { now: () => now } });
    const { fake } = harness;
    // Too long to travel inside 64 bytes of callback_data, so the codec keeps it under a key.
    const query = Array.from({ length: 12 }, () => '模型').join(' ');
    const [results] = await say(harness, { text: `/search ${query}`, languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const next = pagerOf(results).find(([text]) => text === '▶')?.[1] ?? '';
    expect(next).toMatch(/^pg:k:2:/);
    now += 60_000;
    await press(harness, next, results);
    expect(fake.sent(results.chatId)[0]?.editCount).toBe(1);
    now += 25 * 3_600_000;
    const back = pagerOf(fake.sent(results.chatId)[0]).find(([text]) => text === '◀')?.[1] ?? '';
    expect(back).toMatch(/^pg:k:1:/);
    const answer = await press(harness, back, results);
    expect(answer.params.text).toBe(commandMessages.en['page.expired']);
    expect(fake.sent(results.chatId)[0]?.editCount).toBe(1);
  });

  it('GIVEN a page button whose message was deleted THEN the press is answered "expired" (zh) without an error', async () => {
    harness = await startBot();
    const { fake, logs } = harness;
    const [results] = await say(harness, { text: '/search model' });
    if (!results) throw new Error('no reply');
    const next = pagerOf(results).find(([text]) => text === '▶')?.[1] ?? '';
    // The press arrives with the message as it was; the message is gone by the time of the edit.
    const update = pushPress(fake, next, { ...results, messageId: results.messageId + 100 }, results.replyMarkup as Keyboard, 'zh');
    const answer = await fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === update.callback_query.id);
    expect(answer.params.text).toBe(commandMessages.zh['page.expired']);
    await handled(harness, update);
    expect(logs.filter((l) => l.level === 50)).toEqual([]);
  });

  it('GIVEN the page label button THEN the press is answered silently', async () => {
    harness = await startBot();
    const { fake } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    const label = pagerOf(results).find(([text]) => text === '1/3')?.[1] ?? '';
    const answer = await press(harness, label, results);
    expect(answer.status).toBe(200);
    expect(answer.params.text).toBeUndefined();
    expect(fake.requests.some((r) => r.method === 'editMessageText')).toBe(false);
  });

  it('GIVEN editMessageText fails with a 500 THEN the press is still answered (with the apology) and logged', async () => {
    harness = await startBot();
    const { fake, logs } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    fake.fault({ kind: 'server_error' }, { method: 'editMessageText' });
    const answer = await press(harness, pagerOf(results).find(([text]) => text === '▶')?.[1] ?? '', results);
    expect(answer.params.text).toBe(commandMessages.en.apology);
    expect(logs.some((l) => l.update === 'callback_query' && l.family === 'platform')).toBe(true);
  });
});
