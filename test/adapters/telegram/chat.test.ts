import type { Update } from 'telegraf/types';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/digest.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import type { CommandModule } from '../../../src/commands/module.js';
import { itemsOf } from '../../../src/issue/model.js';
import { checkSendMessage } from '../../validators/telegram-html.js';
import { handled, say, sendRequests, startBot, type BotHarness } from './bot-support.js';

const en = commandMessages.en;
const zh = commandMessages.zh;
const USER = 1001;

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function bot(options: Parameters<typeof startBot>[0] = {}): Promise<BotHarness> {
  harness = await startBot(options);
  return harness;
}

const textOf = (messages: Array<{ plainText: string }>) => messages.map((m) => m.plainText).join('\n');

describe('Telegram bot: reader commands end to end (real telegraf, fake Bot API, real core)', () => {
  it('GIVEN /start and /help in a private chat THEN each gets the intro and the command list in the user\'s language', async () => {
    const h = await bot();
    const { fake } = h;
    const start = textOf(await say(h, { text: '/start', languageCode: 'en' }));
    expect(start).toContain(en['help.intro']);
    for (const name of ['/latest', '/issue', '/issues', '/search']) expect(start).toContain(name);
    const help = textOf(await say(h, { text: '/help', languageCode: 'zh-hans' }));
    expect(help).toContain(zh['help.intro']);
    expect(help).toContain(zh['describe.search']);
  });

  it('GIVEN /latest THEN the latest issue arrives as HTML messages, header first, every item in order', async () => {
    const h = await bot();
    const { fake, core } = h;
    const latest = core.library.latest();
    if (!latest) throw new Error('fixtures hold issues');
    const messages = await say(h, { text: '/latest', languageCode: 'en' });
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(messages[0]?.plainText).toContain(latest.date);
    expect(messages.every((m) => m.parseMode === 'HTML')).toBe(true);
    for (const request of sendRequests(fake, USER)) expect(checkSendMessage(request.params)).toEqual([]);
    const all = textOf(messages);
    let at = 0;
    for (const { item } of itemsOf(latest)) {
      const found = all.indexOf(item.title.slice(0, 12), at);
      expect(found, item.title).toBeGreaterThanOrEqual(at);
      at = found;
    }
  });

  it('GIVEN /issue 20210814 THEN that issue is sent; GIVEN an unknown id THEN a polite "no such issue"', async () => {
    const h = await bot();
    const { fake, core } = h;
    const seed = core.library.get('20210814');
    if (!seed) throw new Error('fixtures hold 20210814');
    const firstTitle = buildDigest(seed, 'full').sections[0]?.items[0]?.title ?? '';
    const issue = await say(h, { text: '/issue 20210814', languageCode: 'en' });
    expect(issue[0]?.plainText).toContain('2021-08-14');
    expect(textOf(issue)).toContain(firstTitle.slice(0, 20));

    const missing = await say(h, { text: '/issue 19990101', languageCode: 'en' });
    expect(missing).toHaveLength(1);
    expect(missing[0]?.plainText).toContain(en['issue.notFound'].replace('{ref}', '19990101'));
  });

  it('GIVEN /search nerf THEN the hit is listed with its link; a multi-page search gets ◀ n/m ▶ buttons', async () => {
    const h = await bot();
    const { fake, core } = h;
    const found = core.search.search('nerf');
    if (!found.ok || !found.hits[0]) throw new Error('fixtures mention NeRF');
    const [nerf] = await say(h, { text: '/search nerf', languageCode: 'en' });
    expect(nerf?.plainText).toContain(found.hits[0].title.slice(0, 20));
    if (found.hits[0].url) expect(nerf?.text).toContain(`href="${found.hits[0].url.replaceAll('&', '&amp;')}"`);

    const many = await say(h, { text: '/search model', languageCode: 'en' });
    const keyboard = (many.at(-1)?.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> }).inline_keyboard;
    const pager = keyboard.at(-1) ?? [];
    expect(pager.map((b) => b.text)).toEqual(['1/3', '▶']);
    expect(Buffer.byteLength(pager[1]?.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
  });

  it('GIVEN a channel post /latest THEN it replies in the channel with the digest', async () => {
    const h = await bot();
    const { fake, core } = h;
    const update = fake.pushChannelPost({ chatId: -1009876543210, text: '/latest' });
    await handled(h, update);
    const posted = fake.sent(-1009876543210);
    expect(posted.length).toBeGreaterThan(0);
    // A channel post has no user language: the configured default (zh) is used.
    expect(posted[0]?.plainText).toContain(core.library.latest()?.date ?? '?');
    expect(textOf(posted)).toContain('共');
  });

  it('GIVEN a group command for @ourbot THEN it answers; GIVEN one for @otherbot THEN it stays silent', async () => {
    const h = await bot();
    const { fake, adapter } = h;
    expect(adapter.username).toBe(fake.bot.username);
    const group = -1001234567890;
    const ours = await say(h, { chatId: group, text: `/issue@${fake.bot.username} 19990101`, languageCode: 'en' });
    expect(ours[0]?.plainText).toContain(en['issue.notFound'].replace('{ref}', '19990101'));
    const theirs = await say(h, { chatId: group, text: '/latest@otherbot', languageCode: 'en' });
    expect(theirs).toEqual([]);
    const chatter = await say(h, { chatId: group, text: 'just talking', languageCode: 'en' });
    expect(chatter).toEqual([]);
  });

  it('GIVEN a command in a forum topic THEN the reply goes to the same topic', async () => {
    const h = await bot();
    const { fake } = h;
    const [reply] = await say(h, { chatId: -1005550001, text: '/issue 19990101', messageThreadId: 42 });
    expect(reply?.threadId).toBe(42);
  });

  it('GIVEN plain text in a private chat THEN the "commands start with /" hint', async () => {
    const h = await bot();
    const { fake } = h;
    const [hint] = await say(h, { text: 'hello', languageCode: 'en' });
    expect(hint?.plainText).toContain(en.notCommand);
  });

  it('GIVEN two commands arriving in one batch THEN their replies are not interleaved', async () => {
    // Queued before the bot polls, so its first getUpdates hands both over at once.
    let second: Update | undefined;
    const h = await bot({
      beforeStart: (f) => {
        f.pushMessage({ text: '/latest', languageCode: 'en' });
        second = f.pushMessage({ text: '/issue 19990101', languageCode: 'en' });
      },
    });
    const { fake } = h;
    if (!second) throw new Error('queued before start');
    await handled(h, second);
    expect(fake.requests.find((r) => r.method === 'getUpdates')?.response).toMatchObject({ result: [{}, {}] });
    const texts = fake.sent(USER).map((m) => m.plainText);
    const missingAt = texts.findIndex((t) => t.includes('19990101'));
    expect(missingAt).toBe(texts.length - 1);
  });
});

describe('Telegram bot: failures', () => {
  const failing: CommandModule = {
    info: { name: 'boom', description: { zh: '炸', en: 'Explodes' }, options: [], adminOnly: false },
    run: async () => {
      throw new Error('handler exploded');
    },
  };

  it('GIVEN a command handler that throws THEN the user gets an apology, it is logged, and the next command works', async () => {
    const h = await bot({ commands: [failing] });
    const { fake, logs } = h;
    const [apology] = await say(h, { text: '/boom', languageCode: 'en' });
    expect(apology?.plainText).toContain(en.apology);
    expect(logs.some((l) => l.command === 'boom' && l.msg === 'handler exploded')).toBe(true);
    const [next] = await say(h, { text: '/issue 19990101', languageCode: 'en' });
    expect(next?.plainText).toContain('19990101');
  });

  it('GIVEN sendMessage fails with a 500 once THEN bot.catch logs it with context, apologises, and polling goes on', async () => {
    const h = await bot();
    const { fake, logs, adapter } = h;
    fake.fault({ kind: 'server_error' }, { method: 'sendMessage', times: 1 });
    const [apology] = await say(h, { text: '/issue 19990101', languageCode: 'en' });
    expect(apology?.plainText).toContain(en.apology);
    const logged = logs.find((l) => l.family === 'platform' && l.method === 'sendMessage');
    expect(logged).toMatchObject({ platform: 'telegram', chatId: String(USER), update: 'message' });
    expect(JSON.stringify(logs)).not.toContain(adapter.bot.telegram.token.split(':')[1]);
    const [next] = await say(h, { text: '/issue 19990101', languageCode: 'en' });
    expect(next?.plainText).toContain(en['issue.notFound'].replace('{ref}', '19990101'));
  });

  it('GIVEN a short 429 on a reply THEN the reply waits it out and arrives', async () => {
    const h = await bot();
    const { fake } = h;
    fake.fault({ kind: 'rate_limited', retryAfter: 1 }, { method: 'sendMessage', times: 1 });
    const [reply] = await say(h, { text: '/issue 19990101', languageCode: 'en' });
    expect(reply?.plainText).toContain('19990101');
    expect(sendRequests(fake, USER).map((r) => r.status)).toEqual([429, 200]);
  });
});
