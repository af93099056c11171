/**
 * Block structure the house styles leave implicit: what a thematic break after a heading item
 * means (fixtures in test/fixtures/issues/shapes).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';

const shapes = resolve(import.meta.dirname, '../fixtures/issues/shapes');
const load = (name: string) => parseIssue(readFileSync(resolve(shapes, name)), name);
const shape = (issue: Issue) => issue.sections.map((s) => [s.title, s.items.map((i) => i.title)]);

describe('a thematic break after a heading item', () => {
  it('GIVEN "---" then a list of title-like links after the last item THEN the links are items of an untitled section of their own', () => {
    const issue = load('AI简报20210409.md');
    expect(shape(issue)).toEqual([
      ['', ['Seven: an item before the break', 'Eight: the item the break ends']],
      [
        '',
        [
          '消费级GPU、速度提升3000倍，微软FastNeRF首次实现200FPS高保真神经渲染',
          '芯片行业110页深度报告：CPU研究框架 | 附完整报告下载',
          '使用这个技术，ResNet-50最高可以获得16%的加速！',
        ],
      ],
    ]);
    const after = issue.sections[1]?.items ?? [];
    expect(after.map((i) => [i.url, i.source, i.links])).toEqual([
      ['https://a.example/fastnerf', null, []],
      ['https://a.example/chips', null, []],
      ['https://a.example/resnet', 'CVer', []],
    ]);
  });

  it('GIVEN the item the break ends THEN it keeps its own body, secondary links and image, and none of the items after the break', () => {
    const eight = load('AI简报20210409.md').sections[0]?.items[1];
    expect(eight?.summary).toBe('Body of eight.');
    // The fixture is invented: its "Github:" links sit on github.example.com, which the never-lie rule labels 链接.
    expect(eight?.links).toEqual([
      { label: '原文', url: 'https://zhuanlan.zhihu.example.com/p/8' },
      { label: '论文', url: 'https://arxiv.example.org/abs/2104.00008' },
      { label: '链接', url: 'https://github.example.com/example/eight' },
    ]);
    expect(eight?.image).toBe('https://example.org/img/8.png');
  });

  it('GIVEN a break followed by secondary links ("论文：…", "Github: …", "[项目主页](…)") THEN they stay links of the item, and its body goes on', () => {
    const nine = load('AI简报20210410.md').sections[0]?.items[0];
    expect(nine?.title).toBe('Nine: a titled section, then a break');
    expect(nine?.links).toEqual([
      { label: '论文', url: 'https://arxiv.example.org/abs/2104.00009' },
      { label: '链接', url: 'https://github.example.com/example/nine' },
      { label: '主页', url: 'https://nine.example.org' },
    ]);
    expect(nine?.summary).toBe('Body of nine. More about nine after its links.');
  });

  it('GIVEN a break inside a titled section followed by link paragraphs THEN they become an untitled section and the next heading opens its own', () => {
    const issue = load('AI简报20210410.md');
    expect(shape(issue)).toEqual([
      ['AI 前沿', ['Nine: a titled section, then a break', 'Ten: the break before a link paragraph']],
      ['', ['Keras将死于谷歌之手？reddit网友写“送葬文”，引发热议', '英特尔10nm至强CPU发布，对标AMD“米兰”EPYC']],
      ['其他', ['A later section keeps its title']],
    ]);
    expect(issue.sections[1]?.items[1]?.source).toBe('机器之心');
    expect(itemsOf(issue).find(({ item }) => item.title.startsWith('Ten'))?.item.links).toEqual([]);
  });
});
