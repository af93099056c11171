import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { splitSearchText } from '../../src/commands/search.js';
import type { Reply } from '../../src/commands/types.js';
import { ask, caller, openCore, textOf } from './support.js';

function results(reply: Reply) {
  if (reply.kind !== 'search') throw new Error(`expected search results, got ${reply.kind}: ${JSON.stringify(reply)}`);
  return reply.view;
}

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

  it('GIVEN a trailing integer THEN it is the page, and the query is the rest', async () => {
    const first = results(await ask(core, '/search AI'));
    expect(first.pageCount).toBeGreaterThan(1);
    const second = results(await ask(core, '/search AI 2'));
    expect(second).toMatchObject({ query: 'AI', page: 2 });
    expect(second.hits.map((h) => `${h.issueId}/${h.itemIndex}`)).not.toEqual(first.hits.map((h) => `${h.issueId}/${h.itemIndex}`));
  });

  it('GIVEN a page past the end THEN the last page is shown', async () => {
    const view = results(await ask(core, '/search nerf 500'));
    expect(view.page).toBe(view.pageCount);
    expect(view.hits.length).toBeGreaterThan(0);
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

describe('splitSearchText', () => {
  it.each([
    ['nerf', 'nerf', 1],
    ['nerf 2', 'nerf', 2],
    ['Qwen 开源 3', 'Qwen 开源', 3],
    ['2024', '2024', 1],
    ['2024 2', '2024', 2],
    ['gpt\u3000４', 'gpt', 4],
    ['nerf 0', 'nerf', 1],
    ['', '', 1],
  ])('GIVEN %j THEN the query is %j and the page %i', (text, query, page) => {
    expect(splitSearchText(text)).toEqual({ query, page });
  });
});
