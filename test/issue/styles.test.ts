/**
 * The 2020 and 2021 house styles and every trap the corpus README lists, on small inputs and
 * on the traps fixture (test/fixtures/issues/traps).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/issues');
const parse = (md: string) => parseIssue(md, 'AI简报20210101.md');
const shape = (issue: Issue) => issue.sections.map((s) => [s.title, s.items.map((i) => i.title)]);

describe('2020 style', () => {
  it('GIVEN "# AI" / "# Other" sections with "## N. [title](url)" items THEN items fall under their sections', () => {
    const issue = parse('# AI\n\n## 1. [First](https://a.example/1)\n\nBody.\n\n## 2. [Second](https://a.example/2)\n\n# Other\n\n## 1. [Third](https://a.example/3)\n');
    expect(shape(issue)).toEqual([
      ['AI', ['First', 'Second']],
      ['Other', ['Third']],
    ]);
  });

  it('GIVEN items as "# N. [title](url)" and no sections THEN one untitled section holds them', () => {
    const issue = parse('# 1. [First](https://a.example/1)\n\nx\n\n# 2. 干货！[Second](https://a.example/2)\n\ny\n');
    expect(shape(issue)).toEqual([['', ['First', '干货！Second']]]);
  });

  it('GIVEN a plain title with "| source" THEN the source is split off and the url is null', () => {
    const item = parse('# Other\n\n## 1. 华为HiAI商标被抢注 | 雷锋网\n\nBody text.\n').sections[0]?.items[0];
    expect([item?.title, item?.source, item?.url, item?.summary]).toEqual(['华为HiAI商标被抢注', '雷锋网', null, 'Body text.']);
  });

  it('GIVEN "57.3 AP！" at the start of a title THEN only the item number is taken off, not the decimal', () => {
    expect(parse('# 5. [57.3 AP！新纪录](https://a.example/x)\n\nx\n').sections[0]?.items[0]?.title).toBe('57.3 AP！新纪录');
  });

  it('GIVEN an empty or non-web link target THEN the url is null and a problem names the line', () => {
    const issue = parse('# AI\n\n## 7. [「拜登当选」](<>)\n\nx\n');
    expect(issue.sections[0]?.items[0]?.url).toBeNull();
    expect(issue.problems).toEqual([{ file: 'AI简报20210101.md', line: 3, message: 'link of "「拜登当选」" has no web address ("")' }]);
  });
});

describe('2021 style', () => {
  it('GIVEN "## N.【tag】[title](url) | source" THEN tags and source are split off', () => {
    const item = parse('# AI 前沿\n\n## 3.【亚军方案】【开源】[TableMASTER](https://a.example/t) | CVer\n\nx\n').sections[0]?.items[0];
    expect([item?.title, item?.tags, item?.source]).toEqual(['TableMASTER', ['亚军方案', '开源'], 'CVer']);
  });

  it('GIVEN "（轻量化）" before the link and the number inside the link THEN both are handled', () => {
    const issue = parse('# AI\n\n## 1. （轻量化）[SkipNet](https://a.example/s) | 集智书童\n\nx\n\n## [2. YOLObile](https://a.example/y) | CVer\n\ny\n');
    expect(itemsOf(issue).map(({ item }) => [item.title, item.tags])).toEqual([
      ['SkipNet', ['轻量化']],
      ['YOLObile', []],
    ]);
  });

  it('GIVEN items as ### under ## sub-sections THEN the sub-section is the section', () => {
    const issue = parse('# AI 嵌入式\n\n## AI 芯片\n\n### 1. 芯片一\n\n> 原文：https://a.example/1\n\n### 2. 芯片二\n\ntext\n\n## AI 硬件\n\n### 1. [板子](https://a.example/b) | 安富莱\n\nx\n');
    expect(shape(issue)).toEqual([
      ['AI 芯片', ['芯片一', '芯片二']],
      ['AI 硬件', ['板子']],
    ]);
    // The plain title "芯片一" takes its "> 原文：" link as its url.
    expect([issue.sections[0]?.items[0]?.url, issue.sections[0]?.items[0]?.links]).toEqual(['https://a.example/1', []]);
  });

  it('GIVEN "# 9. 其他" followed by a list of links THEN it is a section, not an item', () => {
    const issue = parse('# 8. [Eight](https://a.example/8)\n\nx\n\n# 9. 其他\n\n篇幅限制，放在此处，有缘者自取...\n\n- [One](https://a.example/o)\n- [Two](https://a.example/t)\n');
    expect(shape(issue)).toEqual([
      ['', ['Eight']],
      ['其他', ['One', 'Two']],
    ]);
  });

  it('GIVEN a numbered item with a sub-heading of paper names THEN the item stays an item and the papers become a section', () => {
    const issue = parse('# 9. 寒武纪新芯片 | 机器之心\n\nBody.\n\n## 论文推荐\n\n- 《Paper A》\n\n  Why it matters.\n\n- 《Paper B》\n');
    expect(shape(issue)).toEqual([
      ['', ['寒武纪新芯片']],
      ['论文推荐', ['《Paper A》', '《Paper B》']],
    ]);
    expect(issue.sections[1]?.items[0]?.summary).toBe('Why it matters.');
  });

  it('GIVEN "**其他：**" followed by link paragraphs inside an item THEN they open a section of their own', () => {
    const issue = parse('# 开源项目\n\n## 10. [Robot](https://a.example/r) | 大讲堂\n\nBody.\n\n**其他：**\n\n[More one](https://a.example/m1) | 新智元\n\n[More two](https://a.example/m2)\n');
    expect(shape(issue)).toEqual([
      ['开源项目', ['Robot']],
      ['其他', ['More one', 'More two']],
    ]);
    expect(issue.sections[1]?.items[0]?.source).toBe('新智元');
  });

  it('GIVEN a paper table after a link list THEN each row is an item labelled by its column headers', () => {
    const md = '# Transformer相关\n\n- [Survey](https://a.example/s)\n\n| Paper | Paper | Github | Comments |\n| --- | --- | --- | --- |\n| DETR | https://arxiv.org/abs/1 | https://github.com/x/detr | 开山之作 |\n| ViT | https://arxiv.org/abs/2 | - | 比较 |\n';
    const items = parse(md).sections[0]?.items ?? [];
    expect(items.map((i) => [i.title, i.url, i.summary, i.links])).toEqual([
      ['Survey', 'https://a.example/s', '', []],
      ['DETR', 'https://arxiv.org/abs/1', '开山之作', [{ label: 'GitHub', url: 'https://github.com/x/detr' }]],
      ['ViT', 'https://arxiv.org/abs/2', '比较', []],
    ]);
  });
});

describe('every trap of the corpus README (fixture traps/AI 简报20211201.md)', () => {
  const issue = parseIssue(readFileSync(resolve(fixtures, 'traps/AI 简报20211201.md')), 'AI 简报20211201.md');
  const byTitle = (t: string) => itemsOf(issue).find(({ item }) => item.title === t)?.item;

  it('GIVEN the traps file THEN sections and items are exactly the intended ones', () => {
    expect(shape(issue)).toEqual([
      ['AI 前沿', ['Trap one: tags before the link', '干货！Trap two: text before the link', 'Trap three: the number inside the link', 'Trap four: a plain title without a link']],
      ['其他', ['Trap five: a list of links beside the items', 'Trap six: a second link in the list']],
      ['项目实战', ['Trap seven: an ordered list item with nested links', 'Trap eight: the second list item']],
      ['其他新闻', ['Trap nine: a bare link paragraph', 'Trap ten: another bare link paragraph']],
    ]);
  });

  it('GIVEN "## 计算秒" inside a fenced code block THEN it is not a heading and code never reaches the summary', () => {
    const two = byTitle('干货！Trap two: text before the link');
    expect(two?.summary).toBe('The code block below is not structure:');
    expect(itemsOf(issue).some(({ item }) => item.title.includes('计算秒'))).toBe(false);
  });

  it('GIVEN <img style="zoom"> and a local Windows path THEN the web image is kept and the local path is a problem', () => {
    expect(byTitle('干货！Trap two: text before the link')?.image).toBe('https://example.org/img/two.png');
    expect(byTitle('Trap three: the number inside the link')?.image).toBeNull();
    expect(issue.problems).toEqual([{ file: 'AI 简报20211201.md', line: 40, message: 'image "D:\\Project\\demo\\imgs\\demo.gif" is not a web address; ignored' }]);
  });

  it('GIVEN in-page anchors and a bare URL in text THEN anchors are dropped and the bare URL is a link', () => {
    expect(byTitle('Trap three: the number inside the link')?.links).toEqual([{ label: '链接', url: 'https://example.org/bare-url' }]);
  });

  it('GIVEN a very long tracking URL THEN it is kept whole', () => {
    expect(byTitle('干货！Trap two: text before the link')?.url).toMatch(/^https:\/\/mp\.weixin\.example\.net\/s\?__biz=.*&wx_header=0$/);
  });

  it('GIVEN links in blockquotes and nested lists THEN they are labelled from the text before them', () => {
    expect(byTitle('Trap one: tags before the link')?.links).toEqual([
      { label: '论文', url: 'https://arxiv.example.org/abs/2111.00001' },
      { label: '代码', url: 'https://github.example.com/example/trap-one' },
    ]);
    // "Github:" on the invented fixture's github.example.com stand-in: the never-lie rule labels it by
    // its host (链接); a "Github:" cue on the real host is labelled GitHub in the seed (test/shipped-issues.test.ts).
    expect(byTitle('干货！Trap two: text before the link')?.links).toEqual([{ label: '链接', url: 'https://github.example.com/example/trap-two' }]);
    // A plain title takes its "> 原文地址：" link as its url, so that link is no longer a secondary one.
    const four = byTitle('Trap four: a plain title without a link');
    expect([four?.url, four?.links]).toEqual(['http://www.example.com/article/202111/4.htm', []]);
    expect(byTitle('Trap seven: an ordered list item with nested links')?.links).toEqual([
      { label: '论文', url: 'https://arxiv.example.org/abs/2111.00007' },
      { label: '代码', url: 'https://github.example.com/example/trap-seven' },
    ]);
  });

  it('GIVEN [TOC] and a lead blockquote THEN [TOC] is ignored and the blockquote is the intro', () => {
    expect(issue.intro).toBe('导读： 本期为 AI 简报 20211124 期，每个陷阱都在这里~\nAI 简报 Github 地址：https://github.example.com/Lebhoryi/AI-News-weekly');
    expect(issue.id).toBe('20211201');
  });
});
