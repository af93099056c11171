import { afterEach, describe, expect, it } from 'vitest';
import type { CommandModule } from '../../../src/commands/module.js';
import { textReply } from '../../../src/commands/reply.js';
import { PlatformError } from '../../../src/errors.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { manualDeadlines, say, startBot, type BotHarness } from './bot-support.js';

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Telegram bot lifecycle', () => {
  it('GIVEN a command being handled WHEN stop() is called THEN its reply is still sent before stop() resolves', async () => {
    let entered!: () => void;
    const running = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: CommandModule = {
      info: { name: 'slow', description: { zh: '慢', en: 'Slow' }, options: [], adminOnly: false },
      run: async ({ language }) => {
        entered();
        await gate;
        return textReply(language, 'info', [[{ text: 'finally done' }]]);
      },
    };
    harness = await startBot({ commands: [slow] });
    const { fake, adapter } = harness;
    fake.pushMessage({ chatId: 7007, text: '/slow' });
    await running;
    let stopped = false;
    const stopping = adapter.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(fake.sent(7007).map((m) => m.plainText)).toEqual(['finally done']);
  });

  it('GIVEN a reply hanging in sendMessage WHEN stop() is called THEN stop() waits for its deadline, the chat gets the apology, and the bot stops cleanly', async () => {
    const deadlines = manualDeadlines();
    harness = await startBot({ overrides: { deadline: deadlines.deadline } });
    const { fake, adapter, logs, stopRequests } = harness;
    fake.fault({ kind: 'hang' }, { method: 'sendMessage', chatId: 7008 });
    fake.pushMessage({ chatId: 7008, from: { id: 7008 }, text: '/issue 19990101', languageCode: 'en' });
    await fake.waitFor('sendMessage', (r) => r.params.chat_id === 7008 && r.status === 0);
    const events: string[] = [];
    const stopping = adapter.stop().then(() => void events.push('stopped'));
    // Polling has ended (telegraf confirmed the offset); only the hanging reply holds stop() now.
    await fake.waitFor('getUpdates', (r) => r.params.limit === 1);
    await new Promise((r) => setTimeout(r, 50));
    events.push('deadline');
    deadlines.expire();
    await stopping;
    expect(events).toEqual(['deadline', 'stopped']);
    expect(fake.sent(7008).map((m) => m.plainText)).toEqual([expect.stringContaining(commandMessages.en.apology)]);
    expect(logs.some((l) => l.family === 'platform' && l.method === 'sendMessage' && l.chatId === '7008')).toBe(true);
    expect(stopRequests).toEqual([]);
  });

  it('GIVEN a wrong token THEN start() rejects with a PlatformError that does not hold the token', async () => {
    const attempt = startBot({ env: { TELEGRAM_BOT_TOKEN: '987654321:AAWrongSecretWrongSecretWrong' } });
    const err = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).message).toContain('getMe');
    expect((err as PlatformError).message).not.toContain('AAWrongSecretWrongSecretWrong');
  });

  it('GIVEN polling ends on its own for a reason other than a conflict (getUpdates refused with a 4xx) THEN it is logged and the app is asked to stop', async () => {
    // A 409 from another poller is not fatal: the adapter stands by (test/adapters/telegram/roles.test.ts).
    harness = await startBot();
    const { fake, stopRequests, logs } = harness;
    await fake.waitFor('getUpdates');
    fake.fault({ kind: 'chat_not_found' }, { method: 'getUpdates' });
    fake.pushMessage({ chatId: 7009, text: '/latest' });
    for (let i = 0; i < 200 && stopRequests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stopRequests).toEqual(['telegram polling stopped']);
    expect(logs.some((l) => l.method === 'getUpdates' && l.family === 'platform')).toBe(true);
  });

  it.each(['server_error', 'invalid_json', 'drop'] as const)(
    'GIVEN a reply fails with %s THEN the log holds no token and the bot answers the next command',
    async (kind) => {
      harness = await startBot();
      const { fake, logs } = harness;
      fake.fault({ kind }, { method: 'sendMessage', chatId: 1001 });
      await say(harness, { text: '/issue 19990101', languageCode: 'en' });
      const secret = fake.token.split(':')[1] ?? '';
      expect(logs.some((l) => l.family === 'platform' && l.method === 'sendMessage')).toBe(true);
      expect(JSON.stringify(logs)).not.toContain(secret);
      const [next] = await say(harness, { text: '/issue 19990101', languageCode: 'en' });
      expect(next?.plainText).toContain('19990101');
    },
  );
});
