import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { startBot, type BotHarness } from './bot-support.js';

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
    // The webhook answers once the update is handled, so the reply is already there.
    const [reply] = h.fake.sent(4242);
    expect(reply?.plainText).toContain(commandMessages.en['issue.notFound'].replace('{ref}', '19990101'));
  });

  it('GIVEN a malformed body with the right secret THEN it is refused without taking the bot down', async () => {
    const { h, base } = await webhookBot();
    const bad = await fetch(`${base}/telegram/hook`, { method: 'POST', headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: '{not json' });
    expect(bad.status).toBe(415);
    const update = h.fake.pushMessage({ chatId: 4343, text: '/help', languageCode: 'en' });
    expect((await post(`${base}/telegram/hook`, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(200);
    expect(h.fake.sent(4343)[0]?.plainText).toContain(commandMessages.en['help.intro']);
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
