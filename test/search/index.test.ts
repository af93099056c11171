/** SearchIndex over hand-built issues: matching rules, ranking, pagination and odd input. */
import { describe, expect, it } from 'vitest';
import { spansToPlain } from '../../src/rich-text.js';
import { SearchIndex, type SearchHit, type SearchOutcome } from '../../src/search/index.js';
import { issue, item } from './issues.js';

const donerf = item({
  title: '推理成本降低48倍！1张GPU就能让静态图像动起来',
  url: 'https://mp.weixin.qq.com/s/S0CgyNLo4Lvej9CKTj1b_g',
  source: '量子位',
  summary: '自打伯克利和谷歌联合打造的NeRF横空出世，江湖上静态图变动图的魔法就风靡开来。以NeRF为例，想要实时渲染需要巨大的算力。',
  links: [
    { label: 'Paper', url: 'https://arxiv.org/abs/2103.03231' },
    { label: 'GitHub', url: 'https://github.com/facebookresearch/DONERF' },
  ],
});
const fastnerf = item({ title: '消费级GPU、速度提升3000倍，微软FastNeRF首次实现200FPS高保真神经渲染', url: 'https://mp.weixin.qq.com/s/GiK6DFE' });
const mobileFormer = item({
  title: 'Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络',
  source: '集智书童',
  tags: ['轻量化'],
  summary: '最近，Vision Transformer(ViT)展示了全局处理的优势。',
  links: [{ label: '论文', url: 'https://arxiv.org/abs/2108.05895' }],
});
const lstr = item({ title: '420 FPS！LSTR：基于Transformer的车道线检测网络', source: '极市平台', summary: '车道线检测是将车道识别为近似曲线的过程，被广泛用于自动驾驶汽车。' });
const apart = item({ title: '车道 与 道线', summary: '两个词分开写：有「车道」也有「道线」，却没有连在一起。' });
const yolact = item({
  title: '170 FPS！YolactEdge：边缘设备上的实时实例分割，已开源！',
  summary: '本文提出了YolactEdge实时实例分割方法。',
  links: [{ label: 'GitHub', url: 'https://github.com/haotian-liu/yolact_edge' }],
});
const qwenOpen = item({ title: 'Qwen 3.8 开源模型发布，Apache 2.0 许可', source: 'The Decoder', summary: '阿里巴巴 Qwen 团队发布 Qwen 3.8。' });
const qwenClosed = item({ title: 'Qwen3.7-Max 发布', summary: '阿里在 2026 阿里云峰会上发布 Qwen3.7-Max。' });
const agentOpen = item({ title: '轻量开源 agent', summary: '支持多聊天渠道。' });
const detail = item({ title: 'Some detail about training', summary: 'The maintainers explain it.' });
const aiChips = item({ title: 'AI 芯片', summary: 'AIGC everywhere.' });
const gpt55 = item({ title: 'GPT-5.5 发布', summary: 'OpenAI 推出新模型。' });
const gpt4 = item({ title: 'GPT-4 降价', summary: '每百万 token 5.5 美元。' });

const issues = [
  issue('2021-08-14', [{ title: 'AI 前沿', items: [mobileFormer] }, { title: '有趣的开源项目', items: [donerf] }]),
  issue('2021-04-09', [{ title: '其他新闻', items: [fastnerf] }]),
  issue('2020-11-20', [{ items: [lstr, apart] }]),
  issue('2020-12-25', [{ items: [yolact] }]),
  issue('2026-08-15', [{ title: '🔥 今日精选', items: [qwenOpen, agentOpen] }]),
  issue('2026-05-21', [{ title: '🇨🇳 中文圈', items: [qwenClosed] }]),
  issue('2021-01-01', [{ items: [detail, aiChips, gpt55, gpt4] }]),
];

function ok(outcome: SearchOutcome): Extract<SearchOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`rejected: ${outcome.reason}`);
  return outcome;
}

const titles = (hits: SearchHit[]) => hits.map((h) => h.title);
const all = (index: SearchIndex, q: string) => titles(ok(index.search(q, { pageSize: 50 })).hits);

describe('SearchIndex matching', () => {
  const index = SearchIndex.fromIssues(issues);

  it('GIVEN "nerf" THEN the whole word NeRF ranks above FastNeRF, found from inside the word', () => {
    expect(all(index, 'nerf')).toEqual([donerf.title, fastnerf.title]);
  });

  it('GIVEN full-width or upper-case input THEN it matches like lower case (ＮｅＲＦ, NERF)', () => {
    expect(all(index, 'ＮｅＲＦ')).toEqual(all(index, 'nerf'));
    expect(all(index, 'NERF')).toEqual(all(index, 'nerf'));
  });

  it('GIVEN the start of a word THEN it matches as a prefix (search as you type)', () => {
    expect(all(index, 'transf')).toEqual(expect.arrayContaining([mobileFormer.title, lstr.title]));
    expect(all(index, 'yolacte')).toEqual([yolact.title]);
  });

  it('GIVEN a two-letter word THEN it matches whole words and prefixes, not the inside of words', () => {
    // "ai" is inside "detail", "training" and "maintainers", but only starts "AI" and "AIGC"
    // (and the section title "AI 前沿").
    expect(all(index, 'ai')).toEqual(expect.arrayContaining([aiChips.title, mobileFormer.title]));
    expect(all(index, 'ai')).not.toContain(detail.title);
    expect(all(index, 'tail')).toEqual([detail.title]);
  });

  it('GIVEN a CJK run THEN any substring of two or more characters matches, and only a real substring', () => {
    expect(all(index, '车道线')).toEqual([lstr.title]);
    expect(all(index, '道线检')).toEqual([lstr.title]);
    expect(all(index, '车道')).toEqual(expect.arrayContaining([lstr.title, apart.title]));
    expect(all(index, '线车')).toEqual([]);
  });

  it('GIVEN one CJK character THEN items with it anywhere match, even at the end of a run', () => {
    expect(all(index, '汽')).toEqual([lstr.title]);
    expect(all(index, '车')).toEqual(expect.arrayContaining([lstr.title, apart.title]));
  });

  it('GIVEN several terms THEN every one must match (Qwen 开源)', () => {
    expect(all(index, 'Qwen 开源')).toEqual([qwenOpen.title]);
    expect(all(index, 'qwen')).toEqual(expect.arrayContaining([qwenOpen.title, qwenClosed.title]));
    expect(all(index, '开源')).toEqual(expect.arrayContaining([qwenOpen.title, agentOpen.title, yolact.title]));
  });

  it('GIVEN words joined by punctuation (gpt-5.5) THEN they must appear together, in order', () => {
    expect(all(index, 'gpt-5.5')).toEqual([gpt55.title]);
    expect(all(index, 'GPT 5.5')).toEqual(expect.arrayContaining([gpt55.title, gpt4.title]));
  });

  it('GIVEN a link host, a repository path or a source THEN they are searchable', () => {
    expect(all(index, 'arxiv')).toEqual(expect.arrayContaining([donerf.title, mobileFormer.title]));
    expect(all(index, 'arxiv')).toHaveLength(2);
    expect(all(index, 'yolact_edge')).toEqual([yolact.title]);
    expect(all(index, 'facebookresearch')).toEqual([donerf.title]);
    expect(all(index, '量子位')).toEqual([donerf.title]);
    expect(all(index, 'decoder')).toEqual([qwenOpen.title]);
  });

  it('GIVEN a tag, a section title or a link label THEN they are searchable', () => {
    expect(all(index, '轻量化')[0]).toBe(mobileFormer.title);
    expect(all(index, '今日精选')).toEqual(expect.arrayContaining([qwenOpen.title, agentOpen.title]));
    expect(all(index, 'paper')).toEqual([donerf.title]);
  });

  it('GIVEN a hit THEN it carries the issue, section, 0-based item index, url, source and a score', () => {
    const [hit] = ok(index.search('DONERF')).hits;
    expect(hit).toMatchObject({
      issueId: '20210814',
      date: '2021-08-14',
      sectionTitle: '有趣的开源项目',
      itemIndex: 1,
      title: donerf.title,
      url: donerf.url,
      source: '量子位',
    });
    expect(hit!.score).toBeGreaterThan(0);
  });
});

describe('SearchIndex ranking', () => {
  it('GIVEN the same word in a title, a summary and a link THEN title ranks above summary above link', () => {
    const index = SearchIndex.fromIssues([
      issue('2021-01-01', [
        {
          items: [
            item({ title: 'In the link', url: 'https://example.com/zebra' }),
            item({ title: 'In the summary', summary: 'A zebra crossing.' }),
            item({ title: 'A zebra in the title' }),
          ],
        },
      ]),
    ]);
    expect(all(index, 'zebra')).toEqual(['A zebra in the title', 'In the summary', 'In the link']);
  });

  it('GIVEN equal scores THEN newer issues come first, then earlier items', () => {
    const twin = (n: number) => item({ title: `Twin ${n} okapi` });
    const index = SearchIndex.fromIssues([
      issue('2020-01-01', [{ items: [twin(1)] }]),
      issue('2022-01-01', [{ items: [twin(2), twin(3)] }]),
      issue('2021-01-01', [{ items: [twin(4)] }]),
    ]);
    const hits = ok(index.search('okapi')).hits;
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
    expect(hits.map((h) => [h.issueId, h.itemIndex])).toEqual([
      ['20220101', 0],
      ['20220101', 1],
      ['20210101', 0],
      ['20200101', 0],
    ]);
  });
});

describe('SearchIndex pages', () => {
  const twelve = issue('2021-01-01', [{ items: Array.from({ length: 12 }, (_, i) => item({ title: `Item ${i} about lemurs` })) }]);
  const index = SearchIndex.fromIssues([twelve]);

  it('GIVEN 12 hits THEN 5 a page by default, 3 pages, the total known', () => {
    const first = ok(index.search('lemurs'));
    expect(first).toMatchObject({ total: 12, page: 1, pageCount: 3, pageSize: 5 });
    expect(first.hits).toHaveLength(5);
    expect(ok(index.search('lemurs', { page: 3 })).hits).toHaveLength(2);
  });

  it('GIVEN the pages together THEN each hit appears once', () => {
    const seen = [1, 2, 3].flatMap((page) => ok(index.search('lemurs', { page })).hits.map((h) => h.itemIndex));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('GIVEN a page out of range or not a number THEN it is clamped into 1..pageCount', () => {
    expect(ok(index.search('lemurs', { page: 99 })).page).toBe(3);
    expect(ok(index.search('lemurs', { page: 0 })).page).toBe(1);
    expect(ok(index.search('lemurs', { page: -4 })).page).toBe(1);
    expect(ok(index.search('lemurs', { page: Number.NaN })).page).toBe(1);
    expect(ok(index.search('lemurs', { page: 2.7 })).page).toBe(2);
  });

  it('GIVEN a page size THEN it is used, within 1..50', () => {
    expect(ok(index.search('lemurs', { pageSize: 4 }))).toMatchObject({ pageCount: 3, pageSize: 4 });
    expect(ok(index.search('lemurs', { pageSize: 0 })).pageSize).toBe(1);
    expect(ok(index.search('lemurs', { pageSize: 1000 })).pageSize).toBe(50);
  });

  it('GIVEN no hits THEN page 1 of 1 with no hits', () => {
    expect(ok(index.search('okapi'))).toMatchObject({ total: 0, page: 1, pageCount: 1, hits: [] });
  });
});

describe('SearchIndex odd input', () => {
  const index = SearchIndex.fromIssues(issues);

  it('GIVEN an empty or blank query THEN it is rejected as empty', () => {
    for (const q of ['', '   ', '\u3000', '\n\t']) expect(index.search(q)).toEqual({ ok: false, reason: 'empty' });
  });

  it('GIVEN more than 200 characters THEN it is rejected as too long, with the limit', () => {
    expect(index.search('a'.repeat(201))).toEqual({ ok: false, reason: 'too_long', limit: 200 });
    expect(index.search('车'.repeat(201))).toEqual({ ok: false, reason: 'too_long', limit: 200 });
    expect(index.search('a'.repeat(200)).ok).toBe(true);
  });

  it('GIVEN operators, quotes, backslashes or wildcards THEN they are plain separators, not syntax', () => {
    for (const q of ['nerf*', '(nerf', '"nerf"', 'nerf\\', 'nerf)', '[nerf]', '+nerf', '^nerf$', '/nerf/']) {
      expect(all(index, q), q).toEqual(all(index, 'nerf'));
    }
    // OR is a word like any other: all terms must still match.
    expect(all(index, 'nerf OR yolactedge')).toEqual([]);
  });

  it('GIVEN only symbols or emoji THEN no hits and no error', () => {
    for (const q of ['*', '(', '"', '\\', '🔥', '👨‍👩‍👧', '.*', '%', '$', '||']) {
      expect(ok(index.search(q))).toMatchObject({ total: 0, hits: [] });
    }
  });

  it('GIVEN HTML THEN it is searched as text and nothing of it is interpreted', () => {
    const outcome = ok(index.search('<script>alert(1)</script>'));
    expect(outcome.total).toBe(0);
    expect(outcome.query).toBe('<script>alert(1)</script>');
    expect(all(index, '<b>yolactedge</b>')).toEqual([]);
  });

  it('GIVEN a query THEN it is echoed trimmed with spaces collapsed', () => {
    expect(ok(index.search('  Qwen \u3000  开源 ')).query).toBe('Qwen 开源');
  });
});

describe('SearchIndex suggestions', () => {
  const index = SearchIndex.fromIssues(issues);

  it('GIVEN a typo THEN near words of the index are suggested', () => {
    expect(ok(index.search('nerff')).suggestions).toContain('nerf');
    expect(ok(index.search('transfomer')).suggestions).toContain('transformer');
  });

  it('GIVEN a CJK run that is not in the index THEN its longest parts that are become suggestions', () => {
    expect(ok(index.search('车道线检测器')).suggestions).toContain('车道线检测');
  });

  it('GIVEN terms that match alone but not together THEN each matching term is suggested, folded', () => {
    expect(ok(index.search('DONERF 车道线')).suggestions).toEqual(expect.arrayContaining(['donerf', '车道线']));
  });

  it('GIVEN a matching term typed in quotes or markup THEN it is suggested without them', () => {
    const suggestions = ok(index.search('<b>qqzzx</b> & "NeRF" ＤＯＮＥＲＦ')).suggestions;
    expect(suggestions).toEqual(expect.arrayContaining(['nerf', 'donerf']));
    expect(suggestions.join(' ')).not.toMatch(/["<>&＂]/u);
  });

  it('GIVEN hits THEN there are no suggestions', () => {
    expect(ok(index.search('nerf')).suggestions).toEqual([]);
  });
});

describe('SearchIndex snippets', () => {
  const index = SearchIndex.fromIssues(issues);

  it('GIVEN a match in the summary THEN the snippet shows it highlighted as written', () => {
    const [hit] = ok(index.search('nerf')).hits;
    const marked = hit!.snippet.filter((s) => s.highlight).map((s) => s.text);
    expect(marked).toEqual(['NeRF', 'NeRF']);
    expect(spansToPlain(hit!.snippet)).toBe(donerf.summary);
  });

  it('GIVEN an item without a summary THEN the snippet is its title', () => {
    const hit = ok(index.search('fastnerf')).hits[0]!;
    expect(spansToPlain(hit.snippet)).toBe(fastnerf.title);
    expect(hit.snippet.find((s) => s.highlight)?.text).toBe('FastNeRF');
  });
});
