import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { ECHO_MAX_CHARS } from '../../src/commands/reply.js';
import { ask, openCore, spansOf, textOf } from './support.js';

describe('/issue', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it.each(['20210814', '2021-08-14', '2021/8/14', '2021.08.14', '２０２１０８１４'])('GIVEN /issue %s THEN it shows the 2021-08-14 issue', async (ref) => {
    const reply = await ask(core, `/issue ${ref}`);
    if (reply.kind !== 'digest') throw new Error(`expected a digest, got ${reply.kind}: ${JSON.stringify(reply)}`);
    expect(reply.digest.issueId).toBe('20210814');
    expect(reply.digest.sections.flatMap((s) => s.items).some((i) => i.title.includes('Mobile-Former'))).toBe(true);
  });

  it('GIVEN /issue 0814 THEN it shows the newest year with that day', async () => {
    const reply = await ask(core, '/issue 0814');
    expect(reply.kind === 'digest' && reply.digest.issueId).toBe('20260814');
  });

  it('GIVEN /issue 8/8 THEN the month-day form without zeros works too', async () => {
    const reply = await ask(core, '/issue 8/8');
    expect(reply.kind === 'digest' && reply.digest.issueId).toBe('20210808');
  });

  it('GIVEN a file name with a space THEN the library finds it', async () => {
    const reply = await ask(core, '/issue AI 简报20201030.md');
    expect(reply.kind === 'digest' && reply.digest.issueId).toBe('20201030');
  });

  it('GIVEN an unknown date THEN it says there is no such issue and offers the three nearest', async () => {
    const reply = await ask(core, '/issue 19990101');
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    const text = textOf(reply);
    expect(text).toContain('没有');
    expect(text).toContain('19990101');
    expect(text).toContain('/issue 20201030 · /issue 20210808 · /issue 20210814');
  });

  it('GIVEN a date between issues THEN the nearest are its neighbours', async () => {
    const text = textOf(await ask(core, '/issue 2021-08-15', { language: 'en' }));
    expect(text).toContain('There is no issue 2021-08-15');
    expect(text).toContain('/issue 20210808 · /issue 20210814 · /issue 20210820');
  });

  it('GIVEN a month-day no year has THEN the nearest are offered', async () => {
    const text = textOf(await ask(core, '/issue 0816'));
    expect(text).toContain('/issue 20260814 · /issue 20260815 · /issue 20260818');
  });

  it('GIVEN something that is no date THEN it lists the accepted forms and echoes the input as plain text', async () => {
    const reply = await ask(core, '/issue <script>alert(1)</script>', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toContain('20210814, 2021-08-14, 2021/8/14 or 0814');
    const echoed = spansOf(reply).find((s) => s.text === '<script>alert(1)</script>');
    expect(echoed).toMatchObject({ code: true });
    expect(echoed?.url).toBeUndefined();
  });

  it('GIVEN an over-long argument THEN the echo is cut short and the reply is still helpful', async () => {
    const reply = await ask(core, `/issue ${'9'.repeat(500)}`);
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    for (const span of spansOf(reply)) expect(Array.from(span.text).length).toBeLessThanOrEqual(200);
    expect(spansOf(reply).some((s) => s.code && s.text.endsWith('…') && Array.from(s.text).length === ECHO_MAX_CHARS)).toBe(true);
  });

  it('GIVEN no argument THEN it shows the first archive page', async () => {
    const reply = await ask(core, '/issue');
    expect(reply.kind === 'archive' && reply.view.page).toBe(1);
  });

  it('GIVEN an item number THEN it shows that item of the issue', async () => {
    const reply = await ask(core, '/issue 20210814 1');
    if (reply.kind !== 'item') throw new Error(`expected an item, got ${reply.kind}`);
    expect(reply.view).toMatchObject({ issueId: '20210814', item: { number: 1 } });
    expect(reply.view.item.title).toContain('Mobile-Former');
  });

  it('GIVEN an item number out of range THEN it says how many items there are', async () => {
    const digest = await ask(core, '/issue 20210814');
    const count = digest.kind === 'digest' ? digest.digest.itemCount : -1;
    for (const bad of ['0', String(count + 1), 'two']) {
      const reply = await ask(core, `/issue 20210814 ${bad}`, { language: 'en' });
      expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
      expect(textOf(reply)).toContain(`this issue has ${count} items`);
    }
  });

  it('GIVEN too many arguments THEN it shows the usage', async () => {
    const reply = await ask(core, '/issue 20210814 1 extra', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toContain('Usage: /issue <date> [item]');
  });
});
