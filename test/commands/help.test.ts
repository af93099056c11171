import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { ask, openCore, textOf } from './support.js';

describe('/start and /help', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN /start from a caller of unknown language THEN it says what the bot does, in Chinese, and lists every command', async () => {
    const reply = await ask(core, '/start');
    expect(reply).toMatchObject({ kind: 'text', tone: 'info', language: 'zh' });
    const text = textOf(reply);
    expect(text).toContain('简报');
    for (const name of ['/latest', '/issue', '/issues', '/search', '/help']) expect(text).toContain(name);
    expect(text).toContain('0814');
  });

  it('GIVEN /help from an English-speaking caller THEN it is in English, with argument placeholders', async () => {
    const text = textOf(await ask(core, '/help', { language: 'en' }));
    expect(text).toContain('Commands:');
    expect(text).toContain('/search <words> [page]');
    expect(text).toContain('/issue [date] [item]');
  });

  it('GIVEN /start with a deep-link payload THEN the payload is ignored', async () => {
    expect(textOf(await ask(core, '/start ref_abc'))).toBe(textOf(await ask(core, '/start')));
  });

  it('GIVEN the command listing THEN names and descriptions fit Telegram and Discord limits in both languages', () => {
    const infos = core.router.commands();
    expect(infos.map((c) => c.name)).toEqual(['start', 'help', 'latest', 'issue', 'issues', 'search']);
    for (const info of infos) {
      expect(info.name).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const lang of ['zh', 'en'] as const) {
        expect(info.description[lang].length).toBeGreaterThan(0);
        expect(info.description[lang].length).toBeLessThanOrEqual(100);
        for (const o of info.options) {
          expect(o.name).toMatch(/^[a-z0-9_-]{1,32}$/);
          expect(o.description[lang].length).toBeLessThanOrEqual(100);
        }
      }
    }
  });
});

describe('/help with a chat subscription hook', () => {
  it('GIVEN delivery describes the chat THEN /help shows that description', async () => {
    const core = await openCore(undefined, {}, {
      chats: { describeChat: async (c, language) => [[{ text: `${language}: chat ${c.chatId} gets the digest at 08:00` }]] },
    });
    try {
      expect(textOf(await ask(core, '/help', { chatId: '-100123' }))).toContain('zh: chat -100123 gets the digest at 08:00');
    } finally {
      await core.close();
    }
  });
});
