import { afterEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/errors.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { FAKE_TELEGRAM_TOKEN, type SentMessage } from '../../fakes/telegram-api.js';
import { manualDeadlines, say, startBot, taken, type BotHarness } from './bot-support.js';

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const nextButton = (message: SentMessage | undefined): string =>
  ((message?.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } | null)?.inline_keyboard.at(-1) ?? []).find((b) => b.text === '▶')
    ?.callback_data ?? '';

describe('Telegram Bot API calls have deadlines', () => {
  it('GIVEN getMe never answers THEN start() fails at SEND_TIMEOUT with a PlatformError naming getMe and the deadline, without the token', async () => {
    const attempt = startBot({ env: { SEND_TIMEOUT: '300ms' }, beforeStart: (fake) => fake.fault({ kind: 'hang' }, { method: 'getMe' }) });
    const err = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlatformError);
    const error = err as PlatformError;
    expect(error.message).toBe('Telegram getMe got no answer within 300 ms');
    expect(error.context).toMatchObject({ platform: 'telegram', method: 'getMe', timeoutMs: 300 });
    expect(JSON.stringify({ message: error.message, context: error.context, stack: error.stack })).not.toContain(FAKE_TELEGRAM_TOKEN.split(':')[1]);
  });

  it('GIVEN setMyCommands never answers THEN start() goes on after SEND_TIMEOUT, logs it, and the bot answers', async () => {
    harness = await startBot({ env: { SEND_TIMEOUT: '300ms' }, beforeStart: (fake) => fake.fault({ kind: 'hang' }, { method: 'setMyCommands' }) });
    expect(harness.logs.some((l) => l.method === 'setMyCommands' && String(l.msg).includes('no answer within 300 ms'))).toBe(true);
    const [reply] = await say(harness, { text: '/issue 19990101', languageCode: 'en' });
    expect(reply?.plainText).toContain('19990101');
  });

  it('GIVEN editMessageText hangs on a page button THEN at its deadline the press is answered with the apology', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ overrides: { deadline: deadlines.deadline } });
    const { fake, adapter, logs } = harness;
    const [results] = await say(harness, { text: '/search model', languageCode: 'en' });
    if (!results) throw new Error('no reply');
    fake.fault({ kind: 'hang' }, { method: 'editMessageText' });
    const press = fake.pushCallbackQuery({ data: nextButton(results), messageId: results.messageId, chatId: Number(results.chatId), languageCode: 'en' });
    await fake.waitFor('editMessageText', (r) => r.status === 0);
    deadlines.expire();
    const answer = await fake.waitFor('answerCallbackQuery', (r) => r.params.callback_query_id === press.callback_query.id);
    expect(answer.params.text).toBe(commandMessages.en.apology);
    await adapter.idle();
    expect(logs.some((l) => l.method === 'editMessageText' && l.update === 'callback_query' && String(l.msg).includes('no answer within'))).toBe(true);
  });

  it('GIVEN answerInlineQuery hangs THEN it is given up at its deadline and logged, and the next inline query is answered', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ overrides: { deadline: deadlines.deadline } });
    const { fake, adapter, logs } = harness;
    fake.fault({ kind: 'hang' }, { method: 'answerInlineQuery' });
    const stuck = fake.pushInlineQuery({ query: 'nerf' });
    await fake.waitFor('answerInlineQuery', (r) => r.params.inline_query_id === stuck.inline_query.id && r.status === 0);
    deadlines.expire();
    await taken(fake, stuck);
    await adapter.idle();
    expect(logs.some((l) => l.method === 'answerInlineQuery' && String(l.msg).includes('no answer within'))).toBe(true);
    const next = fake.pushInlineQuery({ query: 'nerf' });
    const answer = await fake.waitFor('answerInlineQuery', (r) => r.params.inline_query_id === next.inline_query.id);
    expect(answer.status).toBe(200);
    expect((answer.params.results as unknown[]).length).toBeGreaterThan(0);
  });
});
