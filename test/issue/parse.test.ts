/**
 * parseIssue / parseIssueFile on the seed issue (hand-checked against the file) and on
 * the basic contract: ids, dates, titles, intro, never throwing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../../src/issue/model.js';
import { parseIssue, parseIssueFile } from '../../src/issue/parse.js';
import { seedIssuePath } from '../support/corpus.js';

const issuesDir = resolve(import.meta.dirname, '../fixtures/issues/sample');

describe('the seed issue (issues/AI简报20210814.md), hand-checked', () => {
  const issue = parseIssue(readFileSync(seedIssuePath), 'AI简报20210814.md');
  const section = (title: string) => issue.sections.find((s) => s.title === title);

  it('GIVEN the seed THEN its id, date, file and intro come from the file name and lead blockquote', () => {
    expect(issue.id).toBe('20210814');
    expect(issue.date).toBe('2021-08-14');
    expect(issue.file).toBe('AI简报20210814.md');
    expect(issue.intro).toBe(
      '导读： 本期为 AI 简报 20210814 期，请慢用~\nAI 简报 Github 地址：https://github.com/Lebhoryi/AI-News-weekly\n本文一共 2000 字，通篇阅读结束需要 7~10 分钟',
    );
    expect(issue.problems).toEqual([]);
  });

  it('GIVEN the seed THEN it has sections AI 前沿 (3), 有趣的开源项目 (4) and 其他 (1)', () => {
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['AI 前沿', 3],
      ['有趣的开源项目', 4],
      ['其他', 1],
    ]);
  });

  it('GIVEN the seed THEN item titles, urls, sources and tags are the ones in the headings', () => {
    expect(itemsOf(issue).map(({ item }) => [item.title, item.url, item.source, item.tags])).toEqual([
      ['Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络', 'https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ', '集智书童', ['轻量化']],
      ["ICCV'21 Oral｜拒绝调参，显著提点！检测分割任务的新损失函数RS Loss开源", 'https://mp.weixin.qq.com/s/OPw4uGc_VFtHt98SgC1yJg', null, []],
      ['平安产险提出TableMASTER：表格识别大师', 'https://mp.weixin.qq.com/s/RIQkj4xM5DEjxhMRlPjtXw', 'CVer', ['亚军方案', '开源']],
      ['比用Pytorch框架快200倍！0.76秒后，笔记本上的CNN就搞定了MNIST | 开源', 'https://mp.weixin.qq.com/s/hWv4Cv4O3Bs7O1EEVCL4eQ', '量子位', []],
      ['推理成本降低48倍！1张GPU就能让静态图像动起来', 'https://mp.weixin.qq.com/s/S0CgyNLo4Lvej9CKTj1b_g', '量子位', []],
      ['Github1.3万星，迅猛发展的JAX对比TensorFlow、PyTorch', 'https://mp.weixin.qq.com/s/Vgs9VBos0jX2X2HNb_eYVw', '机器之心', []],
      ['技巧 | OpenCV程序执行时间计算', 'https://mp.weixin.qq.com/s/LieHmaGqS6HHC1nvGC1sUg', '小白学视觉', []],
      ['Github标星13.6k ！一行代码从PDF提取Excel文件，牛逼炸了！', 'https://mp.weixin.qq.com/s/SZAZMknxh6VsDIHplr7dbA', null, []],
    ]);
  });

  it('GIVEN the seed THEN secondary links carry short labels, including the MNIST GitHub link', () => {
    const mnist = section('有趣的开源项目')?.items[0];
    expect(mnist?.links).toEqual([{ label: 'GitHub', url: 'https://github.com/tuomaso/train_mnist_fast' }]);
    expect(section('AI 前沿')?.items[1]?.links).toEqual([
      { label: '论文', url: 'https://arxiv.org/abs/2107.11669' },
      { label: '代码', url: 'https://github.com/kemaloksuz/RankSortLoss' },
    ]);
    // A bare URL in the body is kept too.
    expect(section('AI 前沿')?.items[2]?.links.map((l) => l.url)).toContain('https://aieval.draco.res.ibm.com/challenge/40/overview');
    expect(section('有趣的开源项目')?.items[1]?.links).toEqual([
      { label: 'Paper', url: 'https://arxiv.org/abs/2103.03231' },
      { label: 'GitHub', url: 'https://github.com/facebookresearch/DONERF' },
    ]);
  });

  it('GIVEN the seed THEN summaries are plain prose from the first paragraphs and images are web URLs', () => {
    const first = issue.sections[0]?.items[0];
    expect(first?.summary.startsWith('最近，Vision Transformer(ViT)展示了全局处理的优势')).toBe(true);
    expect(first?.summary).not.toMatch(/\*\*|!\[|https?:/);
    expect(first?.image).toBe('https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20210814180017.png');
    const opencv = section('有趣的开源项目')?.items[3];
    expect(opencv?.summary).not.toContain('getTickCount');
    expect(opencv?.image).toBeNull();
  });
});

describe('identity: id, date and title', () => {
  it('GIVEN a date in the file name and another in the text THEN the file name wins', () => {
    const issue = parseIssue('> 本期为 AI 简报 20201023 期\n\n# 1. [A](https://example.org/a)\n', 'AI 简报20201030.md');
    expect([issue.id, issue.date, issue.title]).toEqual(['20201030', '2020-10-30', 'AI 简报20201030']);
  });

  it('GIVEN no date in the file name THEN the date in the first heading is the id and that heading the title', () => {
    const issue = parseIssue('# 🤖 AI 早报 | 2026.08.22（周六）\n\n## 🔥 今日精选\n\n🔴 **[X]** [T](https://example.org/t) — s\n', 'daily.md');
    expect([issue.id, issue.date, issue.title]).toEqual(['20260822', '2026-08-22', 'AI 早报 | 2026.08.22（周六）']);
  });

  it('GIVEN no date anywhere THEN the id is empty and a problem says where to put one', () => {
    const issue = parseIssue('# 1. [A](https://example.org/a)\n', 'notes.md');
    expect(issue.id).toBe('');
    const message = issue.problems.map((p) => p.message).find((m) => m.startsWith('no issue id: '));
    // It names the forms that would have been accepted.
    for (const form of ['YYYYMMDD', 'YYYY-MM-DD', '#375', 'issue-300', '"number" or "date" in front matter', '第 300 期']) expect(message).toContain(form);
  });

  it('GIVEN an impossible date in the file name THEN it is not taken as an id', () => {
    expect(parseIssue('# 1. [A](https://example.org/a)\n', 'AI简报20211340.md').id).toBe('');
  });

  it('GIVEN a file with no items THEN it parses to no sections with a problem', () => {
    const issue = parseIssue('Just a note.\n', 'AI简报20210101.md');
    expect(issue.sections).toEqual([]);
    expect(issue.problems.map((p) => p.message)).toEqual(['no items found']);
  });
});

describe('parseIssueFile', () => {
  it('GIVEN a root folder THEN issue.file is relative to it', async () => {
    const issue = await parseIssueFile(join(issuesDir, 'AI简报20210814.md'), issuesDir);
    expect(issue.file).toBe('AI简报20210814.md');
    expect(issue.sections).toHaveLength(3);
  });

  it('GIVEN a missing file THEN it resolves to an issue with no sections and a problem', async () => {
    const issue = await parseIssueFile(join(issuesDir, 'AI简报19990101.md'), issuesDir);
    expect(issue.sections).toEqual([]);
    expect(issue.problems).toEqual([{ file: 'AI简报19990101.md', message: 'file not found' }]);
  });

  it('GIVEN a folder instead of a file THEN it resolves with a problem', async () => {
    const issue = await parseIssueFile(issuesDir);
    expect(issue.problems[0]?.message).toBe('not a regular file');
  });
});
