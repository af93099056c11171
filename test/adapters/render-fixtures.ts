/**
 * Issues for renderer tests: a hand-built one shaped like the seed issue, and fast-check
 * arbitraries for hostile ones (markup in text, huge paragraphs, emoji and combining marks at
 * cut points, hundreds of items, URLs with parentheses, quotes and `&`).
 */
import fc from 'fast-check';
import type { Issue, Item, Section } from '../../src/issue/model.js';

export function item(overrides: Partial<Item> = {}): Item {
  return { title: 'An item', url: 'https://example.com/a', source: null, tags: [], summary: '', links: [], image: null, ...overrides };
}

export function issue(sections: Section[], overrides: Partial<Issue> = {}): Issue {
  return { id: '20210814', date: '2021-08-14', title: 'AI 简报 20210814', intro: '', sections, file: 'AI简报20210814.md', problems: [], ...overrides };
}

/** Shaped like the seed issue: two sections, tags, sources, paper and GitHub links, an image. */
export function sampleIssue(): Issue {
  return issue(
    [
      {
        title: 'AI 前沿',
        items: [
          item({
            title: 'Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络',
            url: 'https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ',
            source: '集智书童',
            tags: ['轻量化'],
            summary: '最近，Vision Transformer(ViT)展示了全局处理的优势，与cnn相比实现了显著的性能提升。',
            links: [{ label: 'Github', url: 'https://arxiv.org/abs/2108.05895' }],
            image: 'https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20210814180017.png',
          }),
          item({
            title: 'ICCV\'21 Oral｜拒绝调参，显著提点！RS Loss开源',
            url: 'https://mp.weixin.qq.com/s/OPw4uGc_VFtHt98SgC1yJg',
            summary: '目标检测和实例分割往往是一个multi-task的任务。',
            links: [
              { label: '代码地址', url: 'https://github.com/kemaloksuz/RankSortLoss' },
              { label: '论文地址', url: 'https://arxiv.org/abs/2107.11669' },
            ],
          }),
        ],
      },
      {
        title: '有趣的开源项目',
        items: [item({ title: '比用Pytorch框架快200倍！', url: 'https://mp.weixin.qq.com/s/hWv4Cv4O3Bs7O1EEVCL4eQ', source: '量子位', summary: '在MNIST上进行训练。' })],
      },
    ],
    { intro: '导读： 本期为 AI 简报 20210814 期，请慢用~\n\nAI 简报 Github 地址：https://github.com/Lebhoryi/AI-News-weekly' },
  );
}

/** Pieces that break naive renderers. */
const HOSTILE = [
  '<', '>', '&', '&amp;', '"', "'", '</b>', '<b>', '<a href="x">', '</a>', '<script>', '<@123>', '<#42>', '<t:0>',
  '*', '**', '_', '__', '`', '```', '~', '~~', '|', '||', '\\', '[x](https://e.example)', '[', ']', '(', ')',
  '\n', '\n\n', '\n> quote', '\n# heading', '\n- item', '\n1. item', '\n-# small', ' ', '  ', '\t',
  '@everyone', '@here', '#tag', '👨‍👩‍👧‍👦', '🇨🇳', '👍🏽', '\u200d', 'e\u0301', 'ก\u0e49\u0e33', '𝕏', '\u0301',
  '中文。', '句子！', 'Sentence. ', '\u0000', '\u001b[31m', '\u007f', '\ud800', '\r\n', 'https://x.example/a_(b)?q=1&r="2"',
];

/** Text mixing plain words, hostile pieces, and now and then a 5,000-unit paragraph. */
export const hostileText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: maxPieces }).map((p) => p.join('')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('a', '中', '👍🏽', 'e\u0301', '👨‍👩‍👧‍👦', '<&>', 'word ', '句。'), fc.constantFrom(...HOSTILE), fc.integer({ min: 0, max: 4 }))
        .map(([unit, spice, at]) => {
          const body = unit.repeat(Math.ceil(5000 / unit.length));
          const cut = Math.floor((body.length * at) / 4);
          return body.slice(0, cut) + spice + body.slice(cut);
        }),
    },
  );

/** URLs, good and bad: parentheses, quotes, `&`, 800-char tracking links, local paths, anchors. */
export const hostileUrl: fc.Arbitrary<string | null> = fc.oneof(
  fc.constantFrom(
    null,
    'https://wiki.example.org/wiki/Foo_(bar)',
    'https://example.com/a_(b)?x=1&y="2"&z=<3>',
    "https://example.com/it's?a=b&c=d",
    'http://example.com/*bold*_under_~strike~|pipe|',
    `https://t.example.com/track?${'utm=abc&'.repeat(100)}`,
    'https://例子.example/路径?q=中文',
    'D:\\Project\\img.png',
    '#1-模型',
    'javascript:alert(1)',
    'https://exa mple.com/space',
    'https://example.com/\u001b[31m',
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

export const hostileItem: fc.Arbitrary<Item> = fc.record({
  title: hostileText(),
  url: hostileUrl,
  source: fc.option(hostileText(4), { nil: null }),
  tags: fc.array(hostileText(3), { maxLength: 3 }),
  summary: hostileText(),
  links: fc.array(fc.record({ label: hostileText(3), url: hostileUrl.map((u) => u ?? 'https://github.example.com/a/b') }), { maxLength: 6 }),
  image: hostileUrl,
});

export const hostileIssue = (maxItems = 30): fc.Arbitrary<Issue> =>
  fc
    .record({
      title: hostileText(),
      intro: hostileText(),
      sections: fc.array(fc.record({ title: hostileText(4), items: fc.array(hostileItem, { maxLength: maxItems }) }), { minLength: 1, maxLength: 4 }),
    })
    .map((parts) => issue(parts.sections, { title: parts.title, intro: parts.intro }));

/** An issue with `count` items in one section. */
export function bigIssue(count: number, make: (i: number) => Item): Issue {
  return issue([{ title: 'Many', items: Array.from({ length: count }, (_, i) => make(i)) }]);
}
