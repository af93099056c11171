import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import type { CommandModule } from '../../src/commands/module.js';
import { createPageCodec } from '../../src/commands/pager.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { BUILTIN_COMMANDS, createCommandRouter, MAX_COMMAND_TEXT } from '../../src/commands/router.js';
import { ask, caller, openCore, recordingLogger, textOf } from './support.js';
import { digestBuilder } from '../../src/digest/builder.js';

async function withCore<T>(body: (core: Core) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const core = await openCore(undefined, env);
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}

/** A router over the real library and index of `core`, with extra modules. */
function routerWith(core: Core, modules: CommandModule[], logger = core.logger) {
  return createCommandRouter(
    { issues: core.library, search: core.search, pages: createPageCodec(), logger, defaults: { language: 'en', mode: 'full' }, digests: digestBuilder() },
    [...BUILTIN_COMMANDS, ...modules],
  );
}

const info = (name: string, adminOnly = false) => ({ name, description: { zh: name, en: name }, options: [], adminOnly });

describe('command router', () => {
  it('GIVEN an unknown command THEN a short hint points to /help and echoes the name as text', () =>
    withCore(async (core) => {
      const reply = await ask(core, '/frobnicate now', { language: 'en' });
      expect(reply).toMatchObject({ kind: 'text', tone: 'info' });
      expect(textOf(reply)).toBe('There is no /frobnicate command. Send /help to see the commands.');
    }));

  it('GIVEN an over-long argument text THEN it is refused with the limit', () =>
    withCore(async (core) => {
      const reply = await ask(core, `/issues ${'1'.repeat(MAX_COMMAND_TEXT + 1)}`, { language: 'en' });
      expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
      expect(textOf(reply)).toContain(String(MAX_COMMAND_TEXT));
    }));

  it('GIVEN no caller language THEN DEFAULT_LANGUAGE chooses, and a caller language overrides it', () =>
    withCore(
      async (core) => {
        expect((await ask(core, '/help')).language).toBe('en');
        expect((await ask(core, '/help', { language: 'zh' })).language).toBe('zh');
      },
      { DEFAULT_LANGUAGE: 'en' },
    ));

  it('GIVEN a handler that throws THEN the reply is an apology and the error is logged once', () =>
    withCore(async (core) => {
      const { logger, lines } = recordingLogger();
      const broken: CommandModule = { info: info('broken'), run: async () => Promise.reject(new Error('boom')) };
      const reply = await routerWith(core, [broken], logger).handle(parseCommandText('/broken')!, caller({ chatId: '99' }));
      expect(reply).toMatchObject({ kind: 'text', tone: 'error', language: 'en' });
      expect(textOf(reply)).toContain('Sorry');
      const errors = lines.filter((l) => l.msg === 'boom');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ command: 'broken', chatId: '99', platform: 'telegram' });
    }));

  it('GIVEN an admin-only command THEN only chat admins may run it', () =>
    withCore(async (core) => {
      const ran: string[] = [];
      const admin: CommandModule = {
        info: info('schedule', true),
        run: async (ctx) => {
          ran.push(ctx.caller.userId);
          return { kind: 'text', tone: 'info', body: [[{ text: 'ok' }]], language: ctx.language };
        },
      };
      const router = routerWith(core, [admin]);
      const denied = await router.handle(parseCommandText('/schedule')!, caller({ userId: 'a', isChatAdmin: async () => false }));
      const allowed = await router.handle(parseCommandText('/schedule')!, caller({ userId: 'b' }));
      expect(textOf(denied)).toContain('Only chat admins');
      expect(textOf(allowed)).toBe('ok');
      expect(ran).toEqual(['b']);
      expect(router.commands().at(-1)).toMatchObject({ name: 'schedule', adminOnly: true });
    }));

  it('GIVEN an added module THEN /help lists it', () =>
    withCore(async (core) => {
      const extra: CommandModule = { info: { ...info('subscribe', true), description: { zh: '订阅', en: 'Subscribe this chat' } }, run: async () => Promise.reject(new Error('unused')) };
      const reply = await routerWith(core, [extra]).handle(parseCommandText('/help')!, caller());
      expect(textOf(reply)).toContain('For chat admins:');
      expect(textOf(reply)).toContain('/subscribe — Subscribe this chat');
    }));

  it('GIVEN two modules with one name THEN building the router fails at once', () =>
    withCore(async (core) => {
      const dup: CommandModule = { info: info('latest'), run: async () => Promise.reject(new Error('unused')) };
      expect(() => routerWith(core, [dup])).toThrow(/latest/);
    }));

  it('GIVEN commands in flight THEN drain waits for their replies', () =>
    withCore(async (core) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow: CommandModule = {
        info: info('slow'),
        run: async (ctx) => {
          await gate;
          return { kind: 'text', tone: 'info', body: [[{ text: 'done' }]], language: ctx.language };
        },
      };
      const router = routerWith(core, [slow]);
      const events: string[] = [];
      const reply = router.handle(parseCommandText('/slow')!, caller()).then(() => events.push('replied'));
      const drained = router.drain().then(() => events.push('drained'));
      release();
      await Promise.all([reply, drained]);
      expect(events).toEqual(['replied', 'drained']);
    }));
});

describe('router.knows', () => {
  it('GIVEN command names and aliases THEN it knows them, and nothing else (lower-case names only)', () =>
    withCore(async (core) => {
      for (const name of ['latest', 'search', 'find', 's', 'archive', 'commands']) expect(core.router.knows(name), name).toBe(true);
      for (const name of ['hello', '', 'constructor', '__proto__', 'LATEST']) expect(core.router.knows(name), name).toBe(false);
    }));
});
