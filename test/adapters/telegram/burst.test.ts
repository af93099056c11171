/**
 * Issue 18: under a burst of commands every answer arrives, in order, within the platform's rate.
 *
 * Runs on real time with every rate scaled ×10 in both the fake Bot API and the bot (300/s global,
 * 10/s per chat with the bot's burst of 3), so the 100 × 6 burst takes a few seconds instead of ~30;
 * `npm run bench -- burst` runs the same burst at Telegram's real 30/s. Rates are compared as ratios,
 * never as absolute times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commandMessages } from '../../../src/i18n/commands.js';
import { handled, say, sendRequests, startBot, taken, type BotHarness } from './bot-support.js';
import { BURST_COMMANDS, burstChats, pushBurst, seedIssuesDir } from './burst-support.js';

const en = commandMessages.en;
const APOLOGIES = [en.apology, commandMessages.zh.apology];
const SCALE = 10;

let harness: BotHarness | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  cleanup?.();
  cleanup = undefined;
});

async function burstBot(extraEnv: Record<string, string> = {}, limited = true): Promise<BotHarness> {
  const issues = seedIssuesDir();
  cleanup = issues.cleanup;
  harness = await startBot({
    env: {
      ISSUES_DIR: issues.dir,
      // The bot paces at 90% of what the fake enforces. Scaled ×10, a chat's messages are 100 ms apart,
      // and timer and loopback jitter alone moved arrivals enough to provoke 5-8% 429s at the exact
      // limit (1 run in 3 on an idle machine). At Telegram's real rate the same jitter is under 1% of
      // the gap: `npm run bench -- burst` paces at the exact limit.
      TELEGRAM_RATE_GLOBAL: `${27 * SCALE}/1s`,
      TELEGRAM_RATE_PER_CHAT: `${0.9 * SCALE}/1s`,
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    fake: limited
      ? { rateLimit: { messagesPerSecond: 30 * SCALE }, perChatRateLimit: { messagesPerSecond: SCALE, burst: 3 }, record: 'all' }
      : {},
  });
  return harness;
}

describe('Telegram bot under a burst of commands (real telegraf, fake Bot API enforcing the rate)', () => {
  it('GIVEN 100 chats each sending the six commands at once against a fake allowing 300/s (30/s ×10) THEN every command is answered, each chat in the order asked, under 5% 429s, and no apology', async () => {
    const h = await burstBot();
    const { fake, adapter } = h;
    // What each command answers, asked one at a time in a chat of its own.
    const expected: string[][] = [];
    for (const text of BURST_COMMANDS) expected.push((await say(h, { chatId: 1999, from: { id: 1999 }, text, languageCode: 'en' })).map((m) => m.plainText));
    const perChat = expected.flat();
    expect(expected.every((answer) => answer.length > 0)).toBe(true);
    const rateLimitedBefore = fake.stats.rateLimited;
    const waitedBefore = adapter.replyStats.rateLimited;
    const sentBefore = fake.sent().length;

    const chats = burstChats(100);
    const last = pushBurst(fake, chats);
    await taken(fake, last);
    await adapter.idle();
    const replies = fake.sent().length - sentBefore;
    expect(replies).toBe(chats.length * perChat.length);
    for (const chatId of chats) {
      const got = fake.sent(chatId).map((m) => m.plainText);
      // Every answer, whole, in the order the commands were sent.
      expect(got).toEqual(perChat);
    }
    const all = fake.sent().map((m) => m.plainText);
    for (const apology of APOLOGIES) expect(all.some((t) => t.includes(apology))).toBe(false);
    const provoked = fake.stats.rateLimited - rateLimitedBefore;
    expect(provoked / replies).toBeLessThan(0.05);
    expect(adapter.replyStats.abandoned).toBe(0);
    expect(adapter.replyStats.rateLimited - waitedBefore).toBe(provoked);
  }, 60_000);

  it('GIVEN a 429 with retry_after for one chat THEN only that chat waits: the other chats are answered meanwhile, and it gets the same reply after the wait', async () => {
    const h = await burstBot({}, false);
    const { fake, adapter } = h;
    const HELD = 3001;
    const others = [3002, 3003, 3004, 3005];
    fake.fault({ kind: 'rate_limited', retryAfter: 2 }, { chatId: HELD, method: 'sendMessage', times: 1 });
    const last = pushBurst(fake, [HELD, ...others], ['/help']);
    await taken(fake, last);
    // The held chat's first try was refused; the others are answered before its wait ends.
    const refused = await fake.waitFor('sendMessage', (r) => r.status === 429);
    for (const chatId of others) await fake.waitFor('sendMessage', (r) => String(r.params.chat_id) === String(chatId) && r.status === 200);
    // A command that arrives while the held chat waits is answered at once too.
    await handled(fake, fake.pushMessage({ chatId: 3006, from: { id: 3006 }, text: '/help', languageCode: 'en' }));
    await adapter.idle();

    const held = sendRequests(fake, HELD);
    expect(held.map((r) => r.status)).toEqual([429, 200]);
    expect(held[1]?.params.text).toBe(held[0]?.params.text);
    // The resend came after retry_after, and after every other chat's answer.
    expect((held[1]?.at ?? 0) - refused.at).toBeGreaterThanOrEqual(2_000 - 50);
    const othersDone = Math.max(...[...others, 3006].map((c) => sendRequests(fake, c).at(-1)?.seq ?? Infinity));
    expect(othersDone).toBeLessThan(held[1]?.seq ?? 0);
    expect(fake.sent(HELD).map((m) => m.plainText).join('\n')).toContain(en['help.intro']);
    expect(adapter.replyStats).toMatchObject({ rateLimited: 1, abandoned: 0 });
  }, 30_000);

  it('GIVEN a chat still rate-limited at REPLY_DEADLINE THEN its reply is abandoned, logged and counted, and no apology is sent into it', async () => {
    const h = await burstBot({ REPLY_DEADLINE: '1s' }, false);
    const { fake, adapter, logs } = h;
    fake.fault({ kind: 'rate_limited', retryAfter: 5 }, { chatId: 3101, method: 'sendMessage', times: 1 });
    await handled(h, fake.pushMessage({ chatId: 3101, from: { id: 3101 }, text: '/help', languageCode: 'en' }));
    expect(sendRequests(fake, 3101).map((r) => r.status)).toEqual([429]);
    expect(fake.sent(3101)).toEqual([]);
    expect(adapter.replyStats).toMatchObject({ rateLimited: 1, abandoned: 1 });
    expect(logs.some((l) => l.chatId === '3101' && l.outcome === 'abandoned')).toBe(true);
    expect(logs.some((l) => typeof l.msg === 'string' && l.msg.includes('no apology sent'))).toBe(true);
  }, 30_000);

  it('GIVEN a reply failing with a non-429 error THEN today\'s handling stands: the chat gets the apology', async () => {
    const h = await burstBot({}, false);
    const { fake } = h;
    fake.fault({ kind: 'server_error', status: 500 }, { chatId: 3201, method: 'sendMessage', times: 1 });
    const got = await say(h, { chatId: 3201, from: { id: 3201 }, text: '/help', languageCode: 'en' });
    expect(got.map((m) => m.plainText)).toEqual([expect.stringContaining(en.apology)]);
  }, 30_000);

  it('GIVEN a user tapping /latest five times at once THEN the chat gets one answer and four duplicates are dropped', async () => {
    const h = await burstBot({}, false);
    const { fake, adapter } = h;
    const single = (await say(h, { chatId: 3301, from: { id: 3301 }, text: '/latest', languageCode: 'en' })).length;
    // The seed issue is one message now: a 429 on it keeps the first answer waiting while the taps arrive.
    fake.fault({ kind: 'rate_limited', retryAfter: 1 }, { chatId: 3302, method: 'sendMessage', times: 1 });
    let last = fake.pushMessage({ chatId: 3302, from: { id: 3302 }, text: '/latest', languageCode: 'en' });
    for (let i = 0; i < 4; i++) last = fake.pushMessage({ chatId: 3302, from: { id: 3302 }, text: '/latest', languageCode: 'en' });
    await handled(h, last);
    expect(fake.sent(3302)).toHaveLength(single);
    expect(adapter.replyStats.deduplicated).toBe(4);
    // Once answered, the same command is answered again.
    expect(await say(h, { chatId: 3302, from: { id: 3302 }, text: '/latest', languageCode: 'en' })).toHaveLength(single);
  }, 30_000);

  it('GIVEN a page button whose edit gets a 429 THEN the edit waits retry_after, is made once more, and the press is answered without an apology', async () => {
    const h = await burstBot({}, false);
    const { fake, adapter } = h;
    const [results] = await say(h, { chatId: 3401, from: { id: 3401 }, text: '/search github', languageCode: 'en' });
    const keyboard = results?.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
    const next = keyboard?.inline_keyboard.at(-1)?.find((b) => b.text === '▶')?.callback_data;
    if (!results || !next) throw new Error('a two-page search with a ▶ button');
    fake.fault({ kind: 'rate_limited', retryAfter: 1 }, { chatId: 3401, method: 'editMessageText', times: 1 });
    const update = fake.pushCallbackQuery({ data: next, messageId: results.messageId, chatId: 3401, languageCode: 'en' });
    const answer = await fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === update.callback_query.id);
    await handled(h, update);
    expect(fake.requests.filter((r) => r.method === 'editMessageText').map((r) => r.status)).toEqual([429, 200]);
    expect(answer.params.text).toBeUndefined();
    expect(fake.sent(3401)).toHaveLength(1);
    expect(fake.sent(3401)[0]?.editCount).toBe(1);
    expect(adapter.replyStats.rateLimited).toBe(1);
  }, 30_000);
});
