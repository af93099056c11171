/** Over the seed issue alone (issues/AI简报20210814.md, parsed by the real parser). */
import { describe, expect, it } from 'vitest';
import { parseIssueFile } from '../../src/issue/parse.js';
import { SearchIndex } from '../../src/search/index.js';
import { seedIssuePath } from '../support/corpus.js';

describe('search over the seed issue', async () => {
  const index = SearchIndex.fromIssues([await parseIssueFile(seedIssuePath)]);

  it('GIVEN "nerf" THEN the DONERF item ("推理成本降低48倍…") comes first', () => {
    const outcome = index.search('nerf');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.hits[0]?.title).toMatch(/^推理成本降低48倍/);
    expect(outcome.hits[0]?.snippet.some((s) => s.highlight && /nerf/i.test(s.text))).toBe(true);
  });

  it('GIVEN "TableMASTER" or the start of it THEN the 平安产险 item', () => {
    for (const q of ['TableMASTER', 'tablemas', 'ＴａｂｌｅＭＡＳＴＥＲ']) {
      const outcome = index.search(q);
      expect(outcome.ok && outcome.hits[0]?.title, q).toBe('平安产险提出TableMASTER：表格识别大师');
    }
  });

  it('GIVEN "mobile-former" THEN the Mobile-Former item', () => {
    const outcome = index.search('mobile-former');
    expect(outcome.ok && outcome.hits.map((h) => h.title)).toEqual(['Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络']);
  });
});
