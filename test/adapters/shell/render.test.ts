import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigest, buildItemView } from '../../../src/digest/digest.js';
import { renderShellDigest, renderShellReply } from '../../../adapters/shell/render.js';
import { displayWidth } from '../../../adapters/shell/wrap.js';
import { hostileArchivePage, hostileRichText, hostileSearchPage } from '../render-arbitraries.js';
import { hostileIssue, issue, item, sampleIssue } from '../render-fixtures.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('renderShellDigest', () => {
  it('GIVEN the sample issue THEN it prints the header, section rules, numbered items, URLs and labelled links', () => {
    const text = renderShellDigest(buildDigest(sampleIssue(), 'full'), 'zh');
    expect(text.startsWith('AI 简报 20210814\n2021-08-14 · 共 3 条\n导读： 本期为 AI 简报 20210814 期，请慢用~\n\n━━ AI 前沿 ━━\n\n1. Mobile-Former来了！')).toBe(true);
    expect(text).toContain('\n   来源：集智书童 · 【轻量化】\n   https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ\n');
    expect(text).toContain('\n   论文: https://arxiv.org/abs/2107.11669\n   GitHub: https://github.com/kemaloksuz/RankSortLoss\n');
    expect(text).not.toContain('**');
  });

  it('GIVEN compact mode THEN each item is a title with its source and URL', () => {
    const text = renderShellDigest(buildDigest(sampleIssue(), 'compact'), 'en');
    expect(text).toContain('3. 比用Pytorch框架快200倍！ — 量子位\n   https://mp.weixin.qq.com/s/hWv4Cv4O3Bs7O1EEVCL4eQ');
    expect(text).not.toContain('在MNIST上进行训练');
  });

  it('GIVEN a width THEN prose wraps within it (CJK counted as two columns) while URLs stay whole', () => {
    const summary = `${'很长的中文摘要内容。'.repeat(20)} see https://example.com/${'x'.repeat(90)} ok`;
    const text = renderShellDigest(buildDigest(issue([{ title: '', items: [item({ summary })] }]), 'full'), 'en', { width: 40 });
    for (const line of text.split('\n')) if (!line.includes('https://')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(text).toContain(`https://example.com/${'x'.repeat(90)}`);
  });

  it('GIVEN any hostile issue THEN the output has no control characters (no terminal escapes) and every URL', () => {
    fc.assert(
      fc.property(hostileIssue(8), fc.constantFrom('full' as const, 'compact' as const), (hostile, mode) => {
        const digest = buildDigest(hostile, mode);
        const text = renderShellDigest(digest, 'zh', { width: 60 });
        expect(text).not.toMatch(CONTROL);
        for (const it of digest.sections.flatMap((s) => s.items)) if (it.url) expect(text).toContain(it.url);
      }),
      { numRuns: 100 },
    );
  });
});

describe('renderShellReply', () => {
  const search = {
    kind: 'search' as const,
    language: 'en' as const,
    view: { query: 'nerf', page: 1, pageCount: 2, pageSize: 5, total: 6, suggestions: [], hits: [{ issueId: '20210814', date: '2021-08-14', sectionTitle: 'AI', itemIndex: 4, title: 'NeRF', url: 'https://e.example/n', source: '量子位', snippet: [{ text: '静态图 ' }, { text: 'NeRF', highlight: true }, { text: ' 横空出世' }] }] },
  };

  it('GIVEN a search page THEN matches are plain by default, **bold** or ANSI bold only when asked', () => {
    expect(renderShellReply(search)).toBe('🔍 Search “nerf”\n6 results · Page 1/2\n\n1. NeRF\n   2021-08-14 · AI · 量子位\n   https://e.example/n\n   静态图 NeRF 横空出世\n');
    expect(renderShellReply(search, { emphasis: 'markdown' })).toContain('   静态图 **NeRF** 横空出世');
    expect(renderShellReply(search, { emphasis: 'ansi' })).toContain('   静态图 \u001b[1mNeRF\u001b[22m 横空出世');
  });

  it('GIVEN an item, an archive page and an error THEN each prints readably', () => {
    const view = buildItemView(sampleIssue(), 0)!;
    expect(renderShellReply({ kind: 'item', view, language: 'zh' })).toContain('AI 简报 20210814 · 2021-08-14 · AI 前沿\n\n1. Mobile-Former');
    expect(renderShellReply({ kind: 'archive', language: 'zh', view: { page: 1, pageCount: 1, total: 1, entries: [{ id: '20210814', date: '2021-08-14', title: 'AI 简报', itemCount: 8 }] } })).toBe(
      '📚 往期\n共 1 期 · 第 1/1 页\n\n20210814 · AI 简报 · 8 条\n',
    );
    expect(renderShellReply({ kind: 'text', tone: 'error', language: 'en', body: [[{ text: 'Unknown command ' }, { text: '/x', code: true }], [{ text: 'Help', url: 'https://e.example/h' }]] })).toBe(
      '⚠️ Unknown command `/x`\n\nHelp (https://e.example/h)\n',
    );
  });

  it('GIVEN echoed input (a code span) THEN it is set off in backticks in every emphasis mode, as the search header quotes its query', () => {
    const reply = { kind: 'text' as const, tone: 'info' as const, language: 'en' as const, body: [[{ text: 'Nothing matches ' }, { text: '*', code: true }, { text: '.' }]] };
    for (const emphasis of ['plain', 'markdown', 'ansi'] as const) expect(renderShellReply(reply, { emphasis })).toBe('Nothing matches `*`.\n');
  });

  it('GIVEN hostile replies THEN the output has no control characters', () => {
    fc.assert(
      fc.property(hostileSearchPage, hostileArchivePage, hostileRichText, (page, archive, body) => {
        expect(renderShellReply({ kind: 'search', view: page, language: 'zh' })).not.toMatch(CONTROL);
        expect(renderShellReply({ kind: 'archive', view: archive, language: 'zh' })).not.toMatch(CONTROL);
        expect(renderShellReply({ kind: 'text', tone: 'info', body, language: 'en' })).not.toMatch(CONTROL);
      }),
      { numRuns: 50 },
    );
  });
});
