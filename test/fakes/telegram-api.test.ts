import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegramApi, type FakeTelegramApi, type FakeTelegramApiOptions } from './telegram-api.js';

let fake: FakeTelegramApi | undefined;

async function start(options?: FakeTelegramApiOptions): Promise<{ fake: FakeTelegramApi; telegram: Telegram }> {
  fake = await startFakeTelegramApi(options);
  return { fake, telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }) };
}

/** Runs `call` and returns what it threw (the test fails if it did not throw). */
async function thrown(call: () => Promise<unknown>): Promise<TelegramError> {
  const err = await call().then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof TelegramError)) throw err;
  return err;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake Telegram Bot API, driven by the real telegraf client', () => {
  it('GIVEN a valid HTML sendMessage THEN it returns a message id and records what it received', async () => {
    const { fake, telegram } = await start();
    const message = await telegram.sendMessage(-1001, '<b>Hi</b> &amp; welcome', {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: 'Next', callback_data: 'page:2' }]] },
    });
    expect(message.message_id).toBeGreaterThan(0);
    expect(message.text).toBe('Hi & welcome');
    const [sent] = fake.sent(-1001);
    expect(sent?.messageId).toBe(message.message_id);
    const request = await fake.waitFor('sendMessage');
    expect(request.token).toBe(fake.token);
    expect(request.params).toMatchObject({ chat_id: -1001, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    expect(request.status).toBe(200);
  });

  it('GIVEN payloads Telegram rejects THEN the fake answers 400 with Telegram\'s descriptions', async () => {
    const { telegram } = await start();
    const badHtml = await thrown(() => telegram.sendMessage(1, '<p>x</p>', { parse_mode: 'HTML' }));
    expect(badHtml.code).toBe(400);
    expect(badHtml.description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0/);
    const tooLong = await thrown(() => telegram.sendMessage(1, 'x'.repeat(4097)));
    expect(tooLong.description).toBe('Bad Request: message is too long');
    const keyboard = { inline_keyboard: [[{ text: 'b', callback_data: 'd'.repeat(65) }]] };
    const badData = await thrown(() => telegram.sendMessage(1, 'x', { reply_markup: keyboard }));
    expect(badData.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('GIVEN a wrong token or an unknown method THEN 401 Unauthorized and 404 Not Found', async () => {
    const { fake } = await start();
    const stranger = new Telegram('42:wrong-token', { apiRoot: fake.apiRoot });
    const unauthorized = await thrown(() => stranger.getMe());
    expect([unauthorized.code, unauthorized.description]).toEqual([401, 'Unauthorized']);
    const telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot });
    const unknown = await thrown(() => telegram.callApi('sendDice', { chat_id: 1 }));
    expect(unknown.code).toBe(404);
    expect(unknown.description).toMatch(/^Not Found/);
  });

  it('GIVEN a form-encoded request THEN JSON fields are decoded and checked like JSON ones', async () => {
    const { fake } = await start();
    const body = new URLSearchParams({ chat_id: '7', text: 'hi', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'x', url: 'https://a.example' }]] }) });
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', body });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    expect(fake.sent('7')[0]?.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'x', url: 'https://a.example' }]] });

    const form = new FormData();
    form.set('chat_id', '8');
    form.set('text', '<b>x');
    form.set('parse_mode', 'HTML');
    const multipart = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', body: form });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as { description: string }).description).toMatch(/can't parse entities/);
  });

  it('GIVEN an edit THEN the stored message changes; an identical edit or an unknown message THEN Telegram\'s 400s', async () => {
    const { fake, telegram } = await start();
    const { message_id } = await telegram.sendMessage(5, 'page 1');
    await telegram.editMessageText(5, message_id, undefined, 'page 2');
    expect(fake.sent(5)[0]).toMatchObject({ text: 'page 2', editCount: 1 });
    const same = await thrown(() => telegram.editMessageText(5, message_id, undefined, 'page 2'));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const missing = await thrown(() => telegram.editMessageText(5, 999, undefined, 'x'));
    expect(missing.description).toBe('Bad Request: message to edit not found');
  });

  it('GIVEN the same texts sent again and again THEN an invalid one is rejected every time, a valid one accepted every time, never mixed up', async () => {
    const { fake, telegram } = await start();
    const valid = '<b>Issue</b> &amp; <i>news</i>';
    const invalid = '<b>Issue</b> & <i>news</i>';
    for (let n = 0; n < 3; n++) {
      const rejected = await thrown(() => telegram.sendMessage(n, invalid, { parse_mode: 'HTML' }));
      expect(rejected.description).toBe('Bad Request: can\'t parse entities: Unescaped "&" at byte offset 13; write &amp;');
      expect((await telegram.sendMessage(n, valid, { parse_mode: 'HTML' })).text).toBe('Issue & news');
      expect((await telegram.sendMessage(n, `${valid}!`, { parse_mode: 'HTML' })).text).toBe('Issue & news!');
      expect((await thrown(() => telegram.sendMessage(n, `${invalid}!`, { parse_mode: 'HTML' }))).code).toBe(400);
    }
    expect(fake.sent().map((m) => m.plainText)).toEqual(['Issue & news', 'Issue & news!', 'Issue & news', 'Issue & news!', 'Issue & news', 'Issue & news!']);
    expect(fake.sent(0)[0]?.params).toMatchObject({ chat_id: 0, text: valid, parse_mode: 'HTML' });
  });

  it('GIVEN record: summary THEN no request or params are kept, while sent(), the checks and the answers stay the same', async () => {
    const { fake, telegram } = await start({ record: 'summary' });
    const { message_id } = await telegram.sendMessage(-100, '<b>one</b>', { parse_mode: 'HTML' });
    await telegram.sendMessage(-200, '<b>one</b>', { parse_mode: 'HTML' });
    expect((await thrown(() => telegram.sendMessage(-100, '<p>two</p>', { parse_mode: 'HTML' }))).code).toBe(400);
    expect(fake.requests).toEqual([]);
    expect(fake.sent().map((m) => [m.chatId, m.text, m.plainText, m.params])).toEqual([
      ['-100', '<b>one</b>', 'one', undefined],
      ['-200', '<b>one</b>', 'one', undefined],
    ]);
    const same = await thrown(() => telegram.editMessageText(-100, message_id, undefined, '<b>one</b>', { parse_mode: 'HTML' }));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const edit = fake.waitFor('editMessageText');
    await telegram.editMessageText(-100, message_id, undefined, '<b>two</b>', { parse_mode: 'HTML' });
    expect((await edit).params).toMatchObject({ chat_id: -100, message_id, text: '<b>two</b>' });
    expect(fake.sent(-100)[0]).toMatchObject({ text: '<b>two</b>', plainText: 'two', editCount: 1 });
  });

  it('GIVEN two clients of one token on their own viaRoot THEN each request carries its label, and onAnswer hears every answer even in summary mode', async () => {
    const answered: Array<{ via: string | null; method: string; status: number | null }> = [];
    const { fake, telegram } = await start({ record: 'summary', onAnswer: (r) => answered.push({ via: r.via, method: r.method, status: r.status }) });
    const a = new Telegram(fake.token, { apiRoot: fake.viaRoot('a') });
    const b = new Telegram(fake.token, { apiRoot: fake.viaRoot('b-2') });
    await a.sendMessage(1, 'from a');
    await b.sendMessage(2, 'from b');
    await telegram.sendMessage(3, 'plain');
    await thrown(() => new Telegram('42:wrong', { apiRoot: fake.viaRoot('a') }).getMe());
    expect(answered).toEqual([
      { via: 'a', method: 'sendMessage', status: 200 },
      { via: 'b-2', method: 'sendMessage', status: 200 },
      { via: null, method: 'sendMessage', status: 200 },
      { via: 'a', method: 'getMe', status: 401 },
    ]);
    expect(fake.sent().map((m) => m.plainText)).toEqual(['from a', 'from b', 'plain']);
  });

  it('GIVEN admin data THEN getChatMember and getChatAdministrators report it', async () => {
    const { fake, telegram } = await start();
    fake.setMember(-100500, 77, 'creator');
    expect((await telegram.getChatMember(-100500, 77)).status).toBe('creator');
    expect((await telegram.getChatMember(-100500, 78)).status).toBe('member');
    const admins = await telegram.getChatAdministrators(-100500);
    expect(admins.map((a) => a.user.id).sort()).toEqual([77, fake.bot.id].sort());
  });

  it('GIVEN setMyCommands per language THEN they are stored, and an invalid name is BOT_COMMAND_INVALID', async () => {
    const { fake, telegram } = await start();
    await telegram.setMyCommands([{ command: 'latest', description: '最新一期' }], { language_code: 'zh' });
    expect(fake.myCommands('zh')).toEqual([{ command: 'latest', description: '最新一期' }]);
    const bad = await thrown(() => telegram.setMyCommands([{ command: 'Latest!', description: 'x' }]));
    expect(bad.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });
});

describe('fake Telegram Bot API faults and limits', () => {
  it('GIVEN a one-shot 429 THEN telegraf throws retry_after once and the next send passes', async () => {
    const { fake, telegram } = await start();
    fake.fault({ kind: 'rate_limited', retryAfter: 7 });
    const err = await thrown(() => telegram.sendMessage(1, 'x'));
    expect([err.code, err.parameters?.retry_after, err.description]).toEqual([429, 7, 'Too Many Requests: retry after 7']);
    await expect(telegram.sendMessage(1, 'x')).resolves.toMatchObject({ text: 'x' });
  });

  it('GIVEN faults scoped to a chat, N times THEN only that chat fails, exactly N times', async () => {
    const { fake, telegram } = await start();
    fake.fault({ kind: 'blocked' }, { chatId: 10, times: 2 });
    fake.fault({ kind: 'migrated', toChatId: -1009 }, { chatId: -20 });
    await expect(telegram.sendMessage(11, 'other chat')).resolves.toBeDefined();
    for (let n = 0; n < 2; n++) expect((await thrown(() => telegram.sendMessage(10, 'x'))).description).toBe('Forbidden: bot was blocked by the user');
    await expect(telegram.sendMessage(10, 'third time')).resolves.toBeDefined();
    const migrated = await thrown(() => telegram.sendMessage(-20, 'x'));
    expect([migrated.code, migrated.parameters?.migrate_to_chat_id]).toEqual([400, -1009]);
    expect(fake.stats.faults).toBe(3);
  });

  it('GIVEN a 5xx or a dropped connection THEN telegraf sees the status or a network error', async () => {
    const { fake, telegram } = await start();
    fake.fault({ kind: 'server_error', status: 502 });
    expect((await thrown(() => telegram.sendMessage(1, 'x'))).code).toBe(502);
    fake.fault({ kind: 'drop' });
    const dropped = await telegram.sendMessage(1, 'x').then(() => null, (e: unknown) => e as Error & { code?: string });
    expect(dropped?.name).toBe('FetchError');
    expect(dropped?.code).toBe('ECONNRESET');
  });

  it('GIVEN a rate limit on an injected clock THEN sends beyond the bucket get 429 with the seconds until a token is back', async () => {
    let now = 0;
    const { fake, telegram } = await start({ clock: () => now, rateLimit: { messagesPerSecond: 2, burst: 2 } });
    await telegram.sendMessage(1, 'a');
    await telegram.sendMessage(2, 'b');
    const limited = await thrown(() => telegram.sendMessage(3, 'c'));
    expect([limited.code, limited.parameters?.retry_after]).toEqual([429, 1]);
    now = 499;
    expect((await thrown(() => telegram.sendMessage(3, 'c'))).code).toBe(429);
    now = 500;
    await expect(telegram.sendMessage(3, 'c')).resolves.toBeDefined();
    expect(fake.stats.rateLimited).toBe(2);
    expect(fake.sent()).toHaveLength(3);
  });

  it('GIVEN a per-chat limit of 20 a minute THEN one chat is held back while others and the global bucket are not charged', async () => {
    let now = 0;
    const { fake, telegram } = await start({ clock: () => now, rateLimit: { messagesPerSecond: 30 }, perChatRateLimit: { messagesPerSecond: 20 / 60, burst: 1 } });
    await telegram.sendMessage(-100, 'first');
    const limited = await thrown(() => telegram.sendMessage(-100, 'second'));
    expect(limited.parameters?.retry_after).toBe(3);
    await expect(telegram.sendMessage(-200, 'another group')).resolves.toBeDefined();
    now = 3000;
    await expect(telegram.sendMessage(-100, 'second')).resolves.toBeDefined();
    expect(fake.stats.rateLimited).toBe(1);
  });
});

describe('fake Telegram Bot API with a launched telegraf bot', () => {
  it('GIVEN a pushed /start and a button press THEN the bot replies and answers, and shuts down cleanly', async () => {
    const { fake } = await start();
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    const handlerErrors: unknown[] = [];
    bot.catch((err) => void handlerErrors.push(err));
    bot.command('start', (ctx) => ctx.reply(`hello ${ctx.from.first_name}`));
    bot.on('callback_query', (ctx) => ctx.answerCbQuery('ok'));
    const launched = bot.launch();
    await fake.waitFor('getUpdates');

    const update = fake.pushMessage({ text: '/start', chatId: 1001 });
    expect(update.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await fake.waitFor('sendMessage');
    expect(reply.params).toMatchObject({ chat_id: 1001, text: 'hello Ada' });

    const press = fake.pushCallbackQuery({ data: 'page:2', messageId: fake.sent(1001)[0]?.messageId ?? 0 });
    const answered = await fake.waitFor('answerCallbackQuery');
    expect(answered.params).toMatchObject({ callback_query_id: press.callback_query.id, text: 'ok' });
    expect(answered.status).toBe(200);

    bot.stop('test over');
    await launched;
    await fake.close();
    const last = fake.requests[fake.requests.length - 1];
    expect(last).toMatchObject({ method: 'getUpdates', status: 200 });
    expect(last?.params).toMatchObject({ limit: 1, offset: press.update_id + 1 });
    expect(handlerErrors).toEqual([]);
  });

  it('GIVEN a held long poll THEN pushing an update releases it and offset confirms it', async () => {
    const { fake, telegram } = await start();
    const polled = telegram.getUpdates(30, 100, 0, undefined);
    await fake.waitFor('getUpdates', (r) => r.status === null);
    const pushed = fake.pushChannelPost({ chatId: -1007, text: '/latest' });
    expect((await polled).map((u) => u.update_id)).toEqual([pushed.update_id]);
    expect(await telegram.getUpdates(0, 100, pushed.update_id + 1, undefined)).toEqual([]);
  });

  it('GIVEN a long poll held open WHEN a second getUpdates comes on the same token THEN the first gets 409 Conflict in Telegram\'s words and the second is served', async () => {
    const { fake, telegram } = await start();
    const first = telegram.getUpdates(30, 100, 0, undefined);
    await fake.waitFor('getUpdates', (r) => r.status === null);
    const other = new Telegram(fake.token, { apiRoot: fake.apiRoot });
    const second = other.getUpdates(30, 100, 0, undefined);
    const err = await thrown(() => first);
    expect(err.code).toBe(409);
    expect(err.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    expect(fake.stats.conflicts).toBe(1);
    const pushed = fake.pushMessage({ chatId: 1001, text: '/latest' });
    expect((await second).map((u) => u.update_id)).toEqual([pushed.update_id]);
    // One poller at a time is no conflict.
    expect(await telegram.getUpdates(0, 100, pushed.update_id + 1, undefined)).toEqual([]);
    expect(fake.stats.conflicts).toBe(1);
  });
});
