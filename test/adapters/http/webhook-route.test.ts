import { afterEach, describe, expect, it } from 'vitest';
import { commandMessages } from '../../../src/i18n/commands.js';
import { startOpsBot, until, type OpsBot } from './ops-harness.js';

const SECRET = 'webhook-secret_0123456789';

let bot: OpsBot | null = null;
afterEach(async () => {
  await bot?.close();
  bot = null;
});

describe('the Telegram webhook as a route of the one HTTP server', () => {
  it('GIVEN TELEGRAM_WEBHOOK_URL WHEN the app runs THEN the webhook and /healthz share PORT: updates with the secret are answered, others refused, and stopping unmounts it', async () => {
    bot = await startOpsBot({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/hook', TELEGRAM_WEBHOOK_SECRET: SECRET });
    const app = await bot.run();
    const base = bot.base();
    expect((await bot.fake.waitFor('setWebhook')).params).toMatchObject({ url: 'https://bot.example.org/telegram/hook' });
    expect(bot.fake.requests.some((r) => r.method === 'getUpdates')).toBe(false);
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${base}/telegram/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const update = bot.fake.pushMessage({ chatId: 4242, text: '/help', languageCode: 'en' });
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'wrong' }, update)).status).toBe(403);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, update)).status).toBe(200);
    await until(() => bot!.fake.sent(4242).length > 0, 'the reply');
    expect(bot.fake.sent(4242)[0]?.plainText).toContain(commandMessages.en['help.intro']);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await app.stop();
    // The adapter stopped: its route is gone, the operator's endpoints still answer until the server closes.
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, update)).status).toBe(404);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });
});
