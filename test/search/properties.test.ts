/** Properties over arbitrary input: search never throws, and every hit really contains the query. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spansToPlain } from '../../src/rich-text.js';
import { SearchIndex } from '../../src/search/index.js';
import { fold } from '../../src/search/normalize.js';
import { MAX_QUERY_LENGTH, parseQuery } from '../../src/search/query.js';
import { SNIPPET_LENGTH } from '../../src/search/snippet.js';
import { issue, item } from './issues.js';

const corpusLike = [
  item({ title: '推理成本降低48倍！1张GPU就能让静态图像动起来', summary: '自打伯克利和谷歌联合打造的NeRF横空出世 (a*b) "quoted" \\ back', source: '量子位' }),
  item({ title: 'LSTR：基于Transformer的车道线检测网络', summary: '<b>HTML</b> &amp; 🔥 emoji 👨‍👩‍👧 and e\u0301', links: [{ label: 'GitHub', url: 'https://github.com/liuruijin17/LSTR' }] }),
  item({ title: 'Qwen 3.8 开源模型发布，Apache 2.0 许可', summary: 'ＦＵＬＬ ｗｉｄｔｈ text, トランスフォーマー and 한국어 단어' }),
  item({ title: 'YolactEdge：边缘设备上的实时实例分割', url: 'https://github.com/haotian-liu/yolact_edge' }),
];
const index = SearchIndex.fromIssues([issue('2021-08-14', [{ title: 'AI 前沿', items: corpusLike }])]);
const itemByTitle = new Map(corpusLike.map((it) => [it.title, it]));

/** Everything the index reads of an item, folded. */
function searchable(title: string): string {
  const it = itemByTitle.get(title)!;
  return fold([it.title, it.summary, it.source ?? '', ...it.tags, 'AI 前沿', it.url ?? '', ...it.links.flatMap((l) => [l.label, l.url])].join('\n'));
}

/** Any text, weighted towards what trips search engines up. */
const queryText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'*()"\\[]{}^$|?+.-_:/<>&;%#@!~`\'=, \u3000'), maxLength: 20 }),
  fc.array(fc.constantFrom('nerf', 'NeRF', '车道线', '开源', 'qwen', '量子位', 'a', 'ai', '🔥', '<b>', '*', '"', '\\', 'ＮｅＲＦ', 'yolact_edge', '检测', 'トランス'), { maxLength: 5 }).map((w) => w.join(' ')),
  fc.string({ unit: 'binary', maxLength: 250 }),
);

describe('search properties', () => {
  it('GIVEN any text THEN search returns an outcome and never throws', () => {
    fc.assert(
      fc.property(queryText, fc.integer({ min: -5, max: 10 }), (query, page) => {
        const outcome = index.search(query, { page });
        if (!outcome.ok) {
          expect(['empty', 'too_long']).toContain(outcome.reason);
          return;
        }
        expect(outcome.page).toBeGreaterThanOrEqual(1);
        expect(outcome.page).toBeLessThanOrEqual(outcome.pageCount);
        expect(outcome.hits.length).toBeLessThanOrEqual(outcome.pageSize);
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN any query THEN every hit contains every word and CJK run of it, and its snippet fits', () => {
    fc.assert(
      fc.property(queryText, (query) => {
        const outcome = index.search(query, { pageSize: 50 });
        const parsed = parseQuery(query);
        if (!outcome.ok || !parsed.ok) return;
        for (const hit of outcome.hits) {
          const text = searchable(hit.title);
          for (const term of parsed.terms) for (const run of term.runs) expect(text, `${query} → ${hit.title}`).toContain(run.text);
          expect(spansToPlain(hit.snippet).length).toBeLessThanOrEqual(SNIPPET_LENGTH);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN a query over the length limit THEN it is rejected, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', minLength: MAX_QUERY_LENGTH + 1, maxLength: 300 }), (query) => {
        fc.pre([...query.trim().replace(/\s+/gu, ' ')].length > MAX_QUERY_LENGTH);
        expect(index.search(query)).toEqual({ ok: false, reason: 'too_long', limit: MAX_QUERY_LENGTH });
      }),
      { numRuns: 100 },
    );
  });

  it('GIVEN any CJK text and any substring of it of two or more characters THEN that substring finds it', () => {
    const cjk = fc.string({ unit: fc.constantFrom(...'车道线检测网络开源模型发布量子位轻化的了一是'), minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(cjk, fc.nat(), fc.nat(), (text, a, b) => {
        const chars = Array.from(text);
        const start = a % (chars.length - 1);
        const end = start + 2 + (b % (chars.length - start - 1));
        const needle = chars.slice(start, end).join('');
        const own = SearchIndex.fromIssues([issue('2021-01-01', [{ items: [item({ title: 'x', summary: text })] }])]);
        const outcome = own.search(needle);
        expect(outcome.ok && outcome.total, needle).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
