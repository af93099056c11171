import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { commandFromOptions } from '../../adapters/discord/slash-commands.js';
import type { SearchPort } from '../../src/commands/module.js';
import { createPageCodec } from '../../src/commands/pager.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { BUILTIN_COMMANDS, createCommandRouter, type CommandRouter } from '../../src/commands/router.js';
import { readSearchText, searchCommand } from '../../src/commands/search.js';
import type { ParsedCommand, Reply } from '../../src/commands/types.js';
import { ask, caller, openCore, textOf } from './support.js';
import { digestBuilder } from '../../src/digest/builder.js';

function results(reply: Reply) {
  if (reply.kind !== 'search') throw new Error(`expected search results, got ${reply.kind}: ${JSON.stringify(reply)}`);
  return reply.view;
}

/** The real index of `core`, recording every (query, page) the command asked it for. */
function recordingSearch(core: Core): { port: SearchPort; asked: Array<[string, number | undefined]> } {
  const asked: Array<[string, number | undefined]> = [];
  const port: SearchPort = {
    search(query, options) {
      asked.push([query, options?.page]);
      return core.search.search(query, options);
    },
  };
  return { port, asked };
}

function routerOver(core: Core, search: SearchPort): CommandRouter {
  return createCommandRouter({ issues: core.library, search, pages: createPageCodec(), logger: core.logger, defaults: { language: 'en', mode: 'full' }, digests: digestBuilder() }, BUILTIN_COMMANDS);
}

const typed = (text: string): ParsedCommand => parseCommandText(text)!;
const fromOptions = (values: Record<string, string | number>) => commandFromOptions(searchCommand.info, values);

describe('/search', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN /search nerf THEN the NeRF item of 2021-08-14 is a hit', async () => {
    const view = results(await ask(core, '/search nerf'));
    expect(view).toMatchObject({ query: 'nerf', page: 1, pageSize: 5 });
    expect(view.total).toBeGreaterThan(0);
    expect(view.hits.some((h) => h.issueId === '20210814')).toBe(true);
  });

  it.each(['ICCV 2021', 'GPT 4', 'Qwen 3'])('GIVEN /search %s, which finds something as a whole THEN the whole text is the query', async (query) => {
    const { port, asked } = recordingSearch(core);
    const view = results(await routerOver(core, port).handle(typed(`/search ${query}`), caller()));
    const whole = core.search.search(query, { pageSize: 5 });
    expect(whole.ok && whole.total).toBeGreaterThan(0);
    expect(view).toMatchObject({ query, page: 1, total: whole.ok ? whole.total : -1 });
    expect(asked).toEqual([[query, 1]]);
  });

  it('GIVEN /search CVPR 2021, which finds nothing THEN it says nothing matches "CVPR 2021": a four-digit year is never a page', async () => {
    const { port, asked } = recordingSearch(core);
    const reply = await routerOver(core, port).handle(typed('/search CVPR 2021'), caller({ language: 'en' }));
    expect(textOf(reply)).toContain('Nothing matches CVPR 2021.');
    expect(asked).toEqual([['CVPR 2021', 1]]);
  });

  it('GIVEN a trailing short number that makes the whole text find nothing THEN it is the page of the rest', async () => {
    const { port, asked } = recordingSearch(core);
    const view = results(await routerOver(core, port).handle(typed('/search 视频 3'), caller()));
    expect(view).toMatchObject({ query: '视频', page: 3 });
    expect(asked).toEqual([['视频 3', 1], ['视频', 3]]);
    const first = results(await ask(core, '/search 视频'));
    expect(view.total).toBe(first.total);
    expect(view.hits.map((h) => `${h.issueId}/${h.itemIndex}`)).not.toEqual(first.hits.map((h) => `${h.issueId}/${h.itemIndex}`));
  });

  it('GIVEN a trailing number when neither the whole text nor the rest finds anything THEN "nothing matches" echoes the whole text', async () => {
    const reply = await ask(core, '/search qqzzxxyy 2', { language: 'en' });
    expect(textOf(reply)).toContain('Nothing matches qqzzxxyy 2.');
  });

  it('GIVEN a page past the end THEN the last page is shown', async () => {
    const view = results(await ask(core, '/search AI 999'));
    expect(view.query).toBe('AI');
    expect(view.page).toBe(view.pageCount);
    expect(view.hits.length).toBeGreaterThan(0);
  });

  it('GIVEN Discord options query:"ICCV 2021" THEN the whole query is searched, and a number query is never split', async () => {
    const { port, asked } = recordingSearch(core);
    const router = routerOver(core, port);
    expect(results(await router.handle(fromOptions({ query: 'ICCV 2021' }), caller()))).toMatchObject({ query: 'ICCV 2021', page: 1 });
    const none = await router.handle(fromOptions({ query: '视频 3' }), caller({ language: 'en' }));
    expect(textOf(none)).toContain('Nothing matches 视频 3.');
    expect(asked).toEqual([['ICCV 2021', 1], ['视频 3', 1]]);
  });

  it('GIVEN Discord options query and page THEN that page of that query is shown', async () => {
    const view = results(await core.router.handle(fromOptions({ query: '视频', page: 2 }), caller()));
    expect(view).toMatchObject({ query: '视频', page: 2 });
  });

  it('GIVEN no query THEN it explains how to search', async () => {
    const reply = await ask(core, '/search', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'info' });
    expect(textOf(reply)).toContain('Usage: /search <words> [page]');
  });

  it('GIVEN an over-long query THEN it says so clearly', async () => {
    const reply = await ask(core, `/search ${'transformer '.repeat(80)}`, { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toMatch(/too long: at most \d+ characters/);
  });

  it('GIVEN a query that matches nothing THEN it says so, suggests, and points to the latest issue', async () => {
    const reply = await ask(core, '/search qqzzxxyy', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'info' });
    const text = textOf(reply);
    expect(text).toContain('Nothing matches qqzzxxyy');
    expect(text).toContain('2026-08-18');
    expect(text).toContain('/latest');
  });

  it('GIVEN /search <b>qqzzx</b> & "NeRF" THEN it suggests /search nerf, not the quotes or markup typed', async () => {
    const reply = await ask(core, '/search <b>qqzzx</b> & "NeRF"', { language: 'en' });
    const text = textOf(reply);
    expect(text).toContain('/search nerf');
    expect(text).not.toContain('/search "');
    expect(text).not.toContain('/search <');
  });

  it('GIVEN the next-page button of a result THEN pressing it shows page 2 of the same query', async () => {
    const first = await ask(core, '/search AI 开源');
    const buttons = core.pages.buttonsFor(first);
    expect(buttons?.next).toBeTruthy();
    const second = await core.router.openPage(buttons?.next ?? '', caller());
    expect(second && results(second)).toMatchObject({ query: 'AI 开源', page: 2 });
  });

  it('GIVEN forged or stale button data THEN openPage returns null so the adapter can say "expired"', async () => {
    expect(await core.router.openPage('pg:k:2:abcdefgh', caller())).toBeNull();
    expect(await core.router.openPage('nonsense', caller())).toBeNull();
  });
});

describe('/search ICCV 2021 over seven ICCV 2021 items and three ICCV 2019 ones', () => {
  let core: Core;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbot-iccv-'));
    // Titles and URLs hold no lone digit, so "ICCV 2" as a whole finds nothing.
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const item = (name: string, n: number) => {
      const year = n < 7 ? 2021 : 2019;
      return `## ${n + 1}. [ICCV ${year} paper ${name}](https://example.com/${name}) | Lab\n\nA paper of ICCV ${year}.\n`;
    };
    const items = names.map(item);
    writeFileSync(join(dir, 'AI简报20211001.md'), `# AI 前沿\n\n${items.join('\n')}`);
    core = await openCore(dir);
  });
  afterAll(() => core.close());

  it('GIVEN the next-page button of /search ICCV 2021 THEN it shows page 2 of "ICCV 2021", not ICCV', async () => {
    const first = results(await ask(core, '/search ICCV 2021'));
    expect(first).toMatchObject({ query: 'ICCV 2021', page: 1, pageCount: 2, total: 7 });
    const next = core.pages.buttonsFor({ kind: 'search', view: first, language: 'zh' })?.next ?? '';
    const second = await core.router.openPage(next, caller());
    expect(second && results(second)).toMatchObject({ query: 'ICCV 2021', page: 2, total: 7 });
    expect(second && results(second).hits.map((h) => h.title)).toEqual(['ICCV 2021 paper foxtrot', 'ICCV 2021 paper golf']);
  });

  it('GIVEN /search ICCV 2 THEN it is page 2 of ICCV, since "ICCV 2" as a whole finds nothing', async () => {
    expect(results(await ask(core, '/search ICCV 2'))).toMatchObject({ query: 'ICCV', page: 2, total: 10 });
  });
});

describe('readSearchText', () => {
  it.each([
    ['nerf', 'nerf', null],
    ['nerf 2', 'nerf 2', { query: 'nerf', page: 2 }],
    ['Qwen 开源 3', 'Qwen 开源 3', { query: 'Qwen 开源', page: 3 }],
    ['ICCV 2021', 'ICCV 2021', null],
    ['2024', '2024', null],
    ['7', '7', null],
    ['2024 2', '2024 2', { query: '2024', page: 2 }],
    ['gpt\u3000４', 'gpt ４', { query: 'gpt', page: 4 }],
    ['nerf 0', 'nerf 0', { query: 'nerf', page: 1 }],
    ['', '', null],
  ])('GIVEN %j THEN the whole query is %j and the page reading %j', (text, whole, paged) => {
    expect(readSearchText(text)).toEqual({ whole: { query: whole, page: 1 }, paged });
  });
});
