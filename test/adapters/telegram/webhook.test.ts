import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { manualDeadlines, startBot, type BotHarness } from './bot-support.js';

const HOOK_URL = 'https://bot.example.org/telegram/hook';
const SECRET = 'webhook-secret_0123456789';
const WEBHOOK_ENV = { TELEGRAM_WEBHOOK_URL: HOOK_URL, TELEGRAM_WEBHOOK_SECRET: SECRET };

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function webhookBot(): Promise<{ h: BotHarness; base: string }> {
  harness = await startBot({ env: WEBHOOK_ENV, overrides: { listen: { port: 0, host: '127.0.0.1' } } });
  const address = harness.adapter.webhookAddress;
  if (!address) throw new Error('no webhook server');
  return { h: harness, base: `http://127.0.0.1:${address.port}` };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('Telegram webhook mode', () => {
  it('GIVEN TELEGRAM_WEBHOOK_URL THEN it registers the webhook with the secret and does not poll', async () => {
    const { h } = await webhookBot();
    const setWebhook = await h.fake.waitFor('setWebhook');
    expect(setWebhook.params).toMatchObject({ url: HOOK_URL, secret_token: SECRET });
    expect(setWebhook.params.allowed_updates).toEqual(expect.arrayContaining(['message', 'channel_post', 'callback_query', 'inline_query']));
    expect(h.fake.requests.some((r) => r.method === 'getUpdates')).toBe(false);
  });

  it('GIVEN an update POSTed with the right secret THEN it is handled and answered; with a wrong or missing secret THEN 403 and nothing is sent', async () => {
    const { h, base } = await webhookBot();
    const update = h.fake.pushMessage({ chatId: 4242, text: '/issue 19990101', languageCode: 'en' });

    const wrong = await post(`${base}/telegram/hook`, update, { 'X-Telegram-Bot-Api-Secret-Token': 'not-the-secret' });
    expect(wrong.status).toBe(403);
    const missing = await post(`${base}/telegram/hook`, update);
    expect(missing.status).toBe(403);
    const wrongPath = await post(`${base}/elsewhere`, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(wrongPath.status).toBe(403);
    expect(h.fake.sent(4242)).toEqual([]);

    const right = await post(`${base}/telegram/hook`, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(right.status).toBe(200);
    // The webhook answers as soon as the update is queued; the reply follows.
    await h.adapter.idle();
    const [reply] = h.fake.sent(4242);
    expect(reply?.plainText).toContain(commandMessages.en['issue.notFound'].replace('{ref}', '19990101'));
  });

  it('GIVEN a malformed body with the right secret THEN it is refused without taking the bot down', async () => {
    const { h, base } = await webhookBot();
    const bad = await fetch(`${base}/telegram/hook`, { method: 'POST', headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: '{not json' });
    expect(bad.status).toBe(415);
    const update = h.fake.pushMessage({ chatId: 4343, text: '/help', languageCode: 'en' });
    expect((await post(`${base}/telegram/hook`, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(200);
    await h.adapter.idle();
    expect(h.fake.sent(4343)[0]?.plainText).toContain(commandMessages.en['help.intro']);
  });

  it('GIVEN a reply whose sendMessage hangs THEN Telegram\'s POST is answered anyway, and the reply ends at its deadline', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ env: WEBHOOK_ENV, overrides: { listen: { port: 0, host: '127.0.0.1' }, deadline: deadlines.deadline } });
    const { fake, adapter, logs } = harness;
    const base = `http://127.0.0.1:${adapter.webhookAddress?.port}`;
    fake.fault({ kind: 'hang' }, { method: 'sendMessage', chatId: 4444 });
    const update = fake.pushMessage({ chatId: 4444, text: '/issue 19990101', languageCode: 'en' });
    // Answered while the reply is still hanging (it cannot end before the deadline is fired below).
    expect((await post(`${base}/telegram/hook`, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(200);
    await fake.waitFor('sendMessage', (r) => r.params.chat_id === 4444 && r.status === 0);
    expect(fake.sent(4444)).toEqual([]);
    deadlines.expire();
    await adapter.idle();
    expect(logs.some((l) => l.family === 'platform' && l.method === 'sendMessage' && l.chatId === '4444')).toBe(true);
    expect(fake.sent(4444).map((m) => m.plainText)).toEqual([expect.stringContaining(commandMessages.en.apology)]);
  });

  it('GIVEN the bot stopped THEN its webhook server no longer listens', async () => {
    const { h, base } = await webhookBot();
    await h.adapter.stop();
    await expect(post(`${base}/telegram/hook`, {}, { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).rejects.toThrow();
  });

  it('GIVEN a webhook URL without a secret THEN the adapter refuses to start, naming TELEGRAM_WEBHOOK_SECRET', async () => {
    const attempt = startBot({ env: { TELEGRAM_WEBHOOK_URL: HOOK_URL } });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});
