/** What the reader's commands print in the shell chat, one line of input at a time, over real issues. */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShellChat } from '../../../adapters/shell/chat.js';
import { renderShellReply } from '../../../adapters/shell/render.js';
import type { Core } from '../../../src/app.js';
import type { Reply } from '../../../src/commands/types.js';
import type { Language } from '../../../src/i18n/language.js';
import { openCore } from '../../commands/support.js';

interface RunOptions {
  language?: Language;
  /** The real renderer by default, wide enough that no line of a reply wraps. */
  render?: (reply: Reply) => string;
}

/** Pipes `lines` into a fresh shell chat and returns everything it printed. */
async function run(core: Core, lines: string[], options: RunOptions = {}): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const render = options.render ?? ((reply: Reply) => renderShellReply(reply, { width: 10_000 }));
  const chat = createShellChat({ input, output, router: core.router, terminal: false, language: options.language ?? null, render });
  await chat.start();
  input.end(`${lines.join('\n')}\n`);
  await chat.finished;
  return printed;
}

describe('shell chat replies', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN /start or /help THEN it introduces the bot, lists each command with its arguments, and the date forms', async () => {
    const start = await run(core, ['/start']);
    expect(start).toContain('你好！我会把 AI 简报每一期的条目摘要和链接发到这里');
    expect(start).toContain('/latest [full|compact] — 最新一期简报');
    expect(start).toContain('/issue [日期] [条目号] — 按日期查看一期');
    expect(start).toContain('/search <关键词> [页码] — 搜索往期内容');
    expect(start).toContain('日期可写作 20210814、2021-08-14、2021/8/14');
    expect(await run(core, ['/help'])).toBe(start);
    expect(await run(core, ['/help'], { language: 'en' })).toContain('/search <words> [page] — Search past issues');
  });

  it('GIVEN /issue 2021-08-14 or /issue 2021/8/14 THEN each prints the issue of 2021-08-14, as /issue 20210814 does', async () => {
    const byId = await run(core, ['/issue 20210814']);
    expect(byId).toContain('2021-08-14 · 共');
    expect(byId).toContain('Mobile-Former');
    expect(await run(core, ['/issue 2021-08-14'])).toBe(byId);
    expect(await run(core, ['/issue 2021/8/14'])).toBe(byId);
  });

  it('GIVEN /issue without a date THEN it prints the first archive page, newest first', async () => {
    const out = await run(core, ['/issue']);
    expect(out.startsWith('📚 往期\n共 12 期 · 第 1/2 页\n\n20260818 · ')).toBe(true);
  });

  it('GIVEN /search q 3 THEN page 3 of q prints when "q 3" as a whole finds nothing; a year stays part of the query', async () => {
    expect(await run(core, ['/search 视频 3'])).toMatch(/^🔍 搜索“视频”\n共 \d+ 条结果 · 第 3\/3 页\n/u);
    // "视频 2" finds items of its own, so it is searched as written.
    expect(await run(core, ['/search 视频 2'])).toMatch(/^🔍 搜索“视频 2”\n/u);
    expect(await run(core, ['/search ICCV 2021'])).toMatch(/^🔍 搜索“ICCV 2021”\n共 \d+ 条结果 · 第 1\/1 页\n/u);
  });

  it('GIVEN odd arguments THEN the reply echoes them literally, set off in backticks', async () => {
    const out = await run(core, ['/issue abc', '/issues x', '/latest <b>please</b>', '/search *'], { language: 'en' });
    expect(out).toContain('⚠️ `abc` does not look like an issue date.');
    expect(out).toContain('⚠️ `x` is not a page number;');
    expect(out).toContain('⚠️ /latest does not take these arguments: `<b>please</b>`. Usage: /latest [full|compact]');
    expect(out).toContain('Nothing matches `*`.');
  });

  it('GIVEN /search with a quoted word and markup THEN the suggestion is the bare word', async () => {
    const out = await run(core, ['/search <b>qqzzx</b> & "NeRF"'], { language: 'en' });
    expect(out).toContain('Try: `/search nerf`');
  });

  it('GIVEN over-long arguments THEN the limit is named, and a long echo is shortened', async () => {
    const out = await run(core, [`/search ${'transformer '.repeat(80)}`, `/issue ${'9'.repeat(1200)}`, `/issue ${'x'.repeat(300)}`], { language: 'en' });
    expect(out).toContain('⚠️ That query is too long: at most 200 characters.');
    expect(out).toContain('⚠️ That is too long (at most 1000 characters).');
    expect(out).toContain(`⚠️ \`${'x'.repeat(47)}…\` does not look like an issue date.`);
  });

  it('GIVEN a bare word that names no command THEN it says commands start with /, never echoing a slash not typed', async () => {
    const out = await run(core, ['hello there']);
    expect(out).toContain('请以 / 开头输入命令，例如 /latest');
    expect(out).not.toContain('/hello');
    expect(await run(core, ['help'])).toBe(await run(core, ['/help']));
  });

  it('GIVEN a reply the renderer cannot display THEN a short notice in the reader\'s language is printed instead', async () => {
    const failing = () => {
      throw new Error('renderer broke');
    };
    expect(await run(core, ['/latest'], { render: failing })).toBe('（这条回复无法显示）\n\n');
    expect(await run(core, ['/latest'], { render: failing, language: 'en' })).toBe('(this reply could not be displayed)\n\n');
  });
});
