import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import type { Reply } from '../../src/commands/types.js';
import { ask, caller, emptyIssuesDir, FIXTURE_IDS_NEWEST_FIRST, openCore, textOf } from './support.js';

function archive(reply: Reply) {
  if (reply.kind !== 'archive') throw new Error(`expected an archive page, got ${reply.kind}: ${JSON.stringify(reply)}`);
  return reply.view;
}

describe('/issues', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN /issues THEN the first page lists the ten newest issues, newest first', async () => {
    const view = archive(await ask(core, '/issues'));
    expect(view).toMatchObject({ page: 1, pageCount: 2, total: 12 });
    expect(view.entries.map((e) => e.id)).toEqual(FIXTURE_IDS_NEWEST_FIRST.slice(0, 10));
  });

  it('GIVEN /issues 2 THEN the second page holds the rest', async () => {
    expect(archive(await ask(core, '/issues 2')).entries.map((e) => e.id)).toEqual(FIXTURE_IDS_NEWEST_FIRST.slice(10));
  });

  it('GIVEN a page past the end or zero THEN it lands on the nearest real page', async () => {
    expect(archive(await ask(core, '/issues 99')).page).toBe(2);
    expect(archive(await ask(core, '/issues 99999999999999999999')).page).toBe(2);
    expect(archive(await ask(core, '/issues 0')).page).toBe(1);
    expect(archive(await ask(core, '/issues ２')).page).toBe(2);
  });

  it('GIVEN a page that is no number THEN it explains what a page is', async () => {
    const reply = await ask(core, '/issues two', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toContain('two is not a page number');
  });

  it('GIVEN the archive pager THEN its next button opens page 2', async () => {
    const first = await ask(core, '/issues');
    const buttons = core.pages.buttonsFor(first);
    expect(buttons?.prev).toBeNull();
    const second = await core.router.openPage(buttons?.next ?? '', caller());
    expect(second && archive(second).page).toBe(2);
  });

  it('GIVEN the empty archive THEN /issues says so kindly', async () => {
    const empty = await openCore(emptyIssuesDir());
    const reply = await ask(empty, '/issues');
    await empty.close();
    expect(reply).toMatchObject({ kind: 'text', tone: 'info' });
    expect(textOf(reply)).toContain('还没有');
  });
});
