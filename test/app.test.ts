import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, runApp, type AdapterFactory, type Core } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import type { ChatAdapter } from '../src/platform.js';
import { ask, FIXTURE_ISSUES, openCore } from './commands/support.js';

/** An adapter that records its lifecycle into `events`. */
function recordingAdapter(name: string, events: string[], options: { failStart?: boolean } = {}): AdapterFactory {
  return (): ChatAdapter => ({
    platform: 'shell',
    async start() {
      events.push(`${name} start`);
      if (options.failStart) throw new Error(`${name} cannot start`);
    },
    async stop() {
      events.push(`${name} stop`);
    },
  });
}

/** Wraps core.close so the order of shutdown steps is visible. */
function recordClose(core: Core, events: string[]): Core {
  const close = core.close;
  return { ...core, close: async () => { events.push('core close'); await close(); } };
}

describe('createCore', () => {
  it('GIVEN a watched issues folder WHEN a newer issue file appears THEN /latest and /search see it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbot-watch-'));
    copyFileSync(join(FIXTURE_ISSUES, 'AI简报20210814.md'), join(dir, 'AI简报20210814.md'));
    const config = loadConfig({ ISSUES_DIR: dir, LOG_LEVEL: 'silent', ISSUE_CACHE_PATH: 'off' });
    const core = await createCore(config, createLogger({ level: 'silent', secrets: [] }));
    try {
      expect(await ask(core, '/latest')).toMatchObject({ kind: 'digest', digest: { issueId: '20210814' } });
      copyFileSync(join(FIXTURE_ISSUES, 'AI简报20260814.md'), join(dir, 'AI简报20260814.md'));
      while (core.library.latest()?.id !== '20260814') {
        await core.library.settled();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await ask(core, '/latest')).toMatchObject({ kind: 'digest', digest: { issueId: '20260814' } });
      expect(await ask(core, '/search DeepSeek')).toMatchObject({ kind: 'search', view: { hits: expect.arrayContaining([expect.objectContaining({ issueId: '20260814' })]) } });
    } finally {
      await core.close();
    }
  });

  it('GIVEN a restart THEN the core loads unchanged issues from the parse cache beside the database', async () => {
    const data = mkdtempSync(join(tmpdir(), 'newsbot-core-cache-'));
    const config = loadConfig({ ISSUES_DIR: FIXTURE_ISSUES, DATABASE_PATH: join(data, 'newsbot.db'), LOG_LEVEL: 'silent' });
    const logger = createLogger({ level: 'silent', secrets: [] });
    const first = await createCore(config, logger, { watch: false });
    await first.close();
    expect(existsSync(join(data, 'issue-cache.db'))).toBe(true);
    const second = await createCore(config, logger, { watch: false });
    await second.close();
    expect(second.library.loadStats).toMatchObject({ parsed: 0, cached: first.library.loadStats.files });
    expect(second.library.list()).toStrictEqual(first.library.list());
  });

  it('GIVEN a missing issues folder THEN createCore rejects with the folder named', async () => {
    const config = loadConfig({ ISSUES_DIR: join(tmpdir(), 'newsbot-no-such-folder'), LOG_LEVEL: 'silent', ISSUE_CACHE_PATH: 'off' });
    await expect(createCore(config, createLogger({ level: 'silent', secrets: [] }))).rejects.toThrow(/newsbot-no-such-folder/);
  });
});

describe('runApp', () => {
  it('GIVEN running adapters WHEN stopped THEN adapters stop newest first, then the core closes, once', async () => {
    const events: string[] = [];
    const core = recordClose(await openCore(), events);
    const app = await runApp(core, [recordingAdapter('a', events), recordingAdapter('b', events)]);
    await Promise.all([app.stop('test'), app.stop('again')]);
    await app.stopped;
    expect(events).toEqual(['a start', 'b start', 'b stop', 'a stop', 'core close']);
  });

  it('GIVEN an adapter that asks to stop THEN the whole app stops', async () => {
    const events: string[] = [];
    const core = recordClose(await openCore(), events);
    const quitter: AdapterFactory = (_core, control) => ({
      platform: 'shell',
      async start() {
        setImmediate(() => control.requestStop('done'));
      },
      async stop() {
        events.push('quitter stop');
      },
    });
    const app = await runApp(core, [quitter]);
    await app.stopped;
    expect(events).toEqual(['quitter stop', 'core close']);
  });

  it('GIVEN an adapter that fails to start THEN the started ones stop, the core closes and the error surfaces', async () => {
    const events: string[] = [];
    const core = recordClose(await openCore(), events);
    await expect(runApp(core, [recordingAdapter('a', events), recordingAdapter('b', events, { failStart: true }), recordingAdapter('c', events)])).rejects.toThrow(
      'b cannot start',
    );
    expect(events).toEqual(['a start', 'b start', 'b stop', 'a stop', 'core close']);
  });
});
