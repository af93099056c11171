/**
 * A plain title (no link) takes as its url the first link its body labels as the article itself
 * ("> 原文：https://…"), never a paper or repository link (fixture article-links/AI简报20210115.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isArticleCue } from '../../src/issue/links.js';
import { itemsOf } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';

const rel = 'article-links/AI简报20210115.md';
const issue = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues', rel)), rel);
// The fixture is invented: its links sit on reserved example domains, so a "Github:" cue on
// github.example.com is labelled by its host (链接), by the never-lie rule of src/issue/links.ts.
const byTitle = (start: string) => itemsOf(issue).find(({ item }) => item.title.startsWith(start))?.item;

describe('the article link of a plain title (fixture article-links)', () => {
  it('GIVEN a plain title whose blockquote has "Github:" then "原文：" and a bare URL THEN the 原文 URL is its url and leaves its links', () => {
    const item = byTitle('芯片一');
    expect([item?.source, item?.url, item?.links]).toEqual([
      '雷锋网',
      'https://news.example.com/2021/chip-one.htm',
      [{ label: '链接', url: 'https://github.example.com/example/chip-one' }],
    ]);
  });

  it('GIVEN a plain title whose body has only a GitHub link and a 论文地址 THEN its url stays null and both stay links', () => {
    const item = byTitle('A plain title with only a GitHub link');
    expect([item?.url, item?.links]).toEqual([
      null,
      [
        { label: '链接', url: 'https://github.example.com/example/two' },
        { label: '论文', url: 'https://arxiv.example.org/abs/2101.00002' },
      ],
    ]);
  });

  it('GIVEN a title with its own link and a "> 原文：" line THEN its url is its own link and the 原文 line stays a secondary link', () => {
    const item = byTitle('A title with its own link');
    expect([item?.url, item?.links]).toEqual([
      'https://a.example/three',
      [{ label: '原文', url: 'https://news.example.com/2021/three-mirror.htm' }],
    ]);
  });

  it('GIVEN paragraphs "相关文章：URL" then "阅读原文：URL" THEN the 阅读原文 URL is the url, not the related article before it', () => {
    const item = byTitle('A plain title whose paragraph');
    expect(item?.url).toBe('https://news.example.com/2021/four.htm');
    expect(item?.links.map((l) => l.url)).toEqual(['https://news.example.com/2021/related.htm']);
  });

  it('GIVEN a plain list entry with nested "项目地址：" and "[原文链接](URL)" THEN the 原文链接 URL is its url and the project stays a link', () => {
    const item = byTitle('A plain list entry');
    expect([item?.source, item?.url, item?.links]).toEqual([
      '于仕琪',
      'https://news.example.com/2021/five.htm',
      [{ label: '项目', url: 'https://github.example.com/example/five' }],
    ]);
  });
});

describe('isArticleCue', () => {
  it.each([
    ['原文：', true],
    ['> 原文链接：', true],
    ['原文地址', true],
    ['阅读原文', true],
    ['文章链接:', true],
    ['详情', true],
    ['Read more', true],
    ['Source:', true],
    ['相关文章', false],
    ['参考链接', false],
    ['论文原文', false],
    ['项目地址：', false],
    ['链接', false],
    ['Github:', false],
    ['论文', false],
    ['', false],
  ])('GIVEN the cue %j THEN it names the article: %s', (cue, expected) => {
    expect(isArticleCue(cue)).toBe(expected);
  });
});
