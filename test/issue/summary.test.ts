/** Summary cutting and link labels. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkLabel } from '../../src/issue/links.js';
import { parseIssue } from '../../src/issue/parse.js';
import { SUMMARY_MAX, joinParagraphs, truncateSummary } from '../../src/issue/summary.js';

describe('truncateSummary', () => {
  it('GIVEN text within the limit THEN it is unchanged', () => {
    expect(truncateSummary('短文本。')).toBe('短文本。');
  });

  it('GIVEN long Chinese text THEN it is cut after the last sentence end that fits', () => {
    const sentence = '这是一个二十个字的句子，用来测试摘要截断。'; // 21 code points
    const text = sentence.repeat(20);
    const out = truncateSummary(text);
    expect(out.endsWith('。')).toBe(true);
    expect(Array.from(out).length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(text.startsWith(out)).toBe(true);
    expect(Array.from(out).length).toBeGreaterThan(SUMMARY_MAX - 21);
  });

  it('GIVEN long English text without sentence ends THEN it is cut at a word boundary with an ellipsis', () => {
    const out = truncateSummary('word '.repeat(100).trim());
    expect(out).toMatch(/^(word )+word…$/);
    expect(Array.from(out).length).toBeLessThanOrEqual(SUMMARY_MAX);
  });

  it('GIVEN "3.14" style decimals THEN a dot inside a number is not a sentence end', () => {
    const out = truncateSummary(`${'a'.repeat(200)} version 3.14 ${'b'.repeat(200)}`);
    expect(out.endsWith('3.')).toBe(false);
  });

  it('GIVEN any text THEN the summary is at most 300 code points, a prefix of the text, and splits no surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), (text) => {
        const out = truncateSummary(text);
        const body = out.endsWith('…') && !text.trim().endsWith('…') ? out.slice(0, -1) : out;
        expect(Array.from(out).length).toBeLessThanOrEqual(SUMMARY_MAX);
        expect(text.trim().startsWith(body.trimEnd()) || text.trim().startsWith(body)).toBe(true);
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(out)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN paragraphs THEN Chinese ones join without a space and Latin ones with one', () => {
    expect(joinParagraphs(['第一段。', '第二段', 'Third part', 'fourth'])).toBe('第一段。第二段Third part fourth');
  });
});

describe('Markdown left in summaries', () => {
  it('GIVEN "**" that remark could not pair beside CJK punctuation (shapes/AI简报20210702.md) THEN the summary drops it but keeps "2**10"', () => {
    const name = 'AI简报20210702.md';
    const item = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues/shapes', name)), name).sections[0]?.items[0];
    expect(item?.summary).toBe('大家好，接上面一篇文章：网易面试原题｜简述Yolo系列网络的发展史原问题是系列网络的发展。这篇文章，我们主要看下《全唐诗》的创新点。公式 2**10 不变。');
  });
});

describe('linkLabel', () => {
  it.each([
    ['论文地址：', 'https://arxiv.org/abs/1', false, '论文'],
    ['Paper:', 'https://arxiv.org/abs/1', false, 'Paper'],
    ['Github:', 'https://github.com/a/b', false, 'GitHub'],
    ['GitHub代码链接：', 'https://github.com/a/b', false, 'GitHub'],
    ['MASTER代码链接：', 'https://github.com/a/b', false, '代码'],
    ['项目地址：', 'https://example.org/p', false, '项目'],
    ['网站链接:', 'https://makemeazombie.com/', false, '网站'],
    ['原文链接：', 'https://zhuanlan.zhihu.example.com/p/1', false, '原文'],
    ['', 'https://github.com/a/b', false, 'GitHub'],
    ['', 'https://arxiv.org/abs/1', false, '论文'],
    ['', 'https://example.org/x', false, '链接'],
    ['比赛的详细介绍可点击链接', 'https://example.org/x', false, '链接'],
    ['HN', 'https://news.ycombinator.example.com/item?id=1', true, 'HN'],
    ['来源', 'https://the-decoder.example.com/x', true, '链接'],
    ['via The Decoder', 'https://the-decoder.example.com/x', true, 'The Decoder'],
  ])('GIVEN cue %j before %s THEN the label is %s', (cue, url, fromLinkText, label) => {
    expect(linkLabel(cue, url, fromLinkText)).toBe(label);
  });

  it('GIVEN a short paragraph "…项目，原文：" before a bare URL (shapes/AI简报20210409.md) THEN its last clause labels the URL', () => {
    const name = 'AI简报20210409.md';
    const seven = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues/shapes', name)), name).sections[0]?.items[0];
    expect(seven?.links).toEqual([{ label: '原文', url: 'https://zhuanlan.zhihu.example.com/p/7' }]);
  });

  it('GIVEN a "Github:" cue on an arXiv address THEN the host decides, so the label never lies', () => {
    expect(linkLabel('Github:', 'https://arxiv.org/abs/2108.05895')).toBe('论文');
  });
});
