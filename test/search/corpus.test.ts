/**
 * Search over the real archive (../shared/corpus, 96 issues). Every expectation below was written
 * from reading the Markdown files, not from running the search.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IssueLibrary } from '../../src/library/library.js';
import { SearchIndex, type SearchHit } from '../../src/search/index.js';
import { describeCorpus } from '../support/corpus.js';

describeCorpus('search over the corpus', (dir) => {
  let library: IssueLibrary;
  let index: SearchIndex;

  beforeAll(async () => {
    library = await IssueLibrary.open(dir, { watch: false });
    index = SearchIndex.fromLibrary(library);
  });

  afterAll(async () => {
    index.dispose();
    await library.close();
  });

  const hits = (query: string, pageSize = 5): SearchHit[] => {
    const outcome = index.search(query, { pageSize });
    if (!outcome.ok) throw new Error(`"${query}" rejected: ${outcome.reason}`);
    return outcome.hits;
  };
  const titles = (query: string, pageSize = 5) => hits(query, pageSize).map((h) => h.title);

  it('GIVEN 车道线 THEN the four items with it in their title come first, LSTR (2020-11-20) among them', () => {
    const top = hits('车道线', 4);
    for (const name of [/LSTR/, /LaneATT/, /SGNet/, /自动驾驶的实时车道线检测和智能告警/]) expect(top.some((h) => name.test(h.title)), String(name)).toBe(true);
    expect(top.find((h) => /LSTR/.test(h.title))?.date).toBe('2020-11-20');
  });

  it('GIVEN a repository name (yolact_edge) THEN the YolactEdge item of 2020-12-25', () => {
    const [first] = hits('yolact_edge');
    expect(first?.title).toMatch(/YolactEdge/);
    expect(first?.date).toBe('2020-12-25');
  });

  it('GIVEN a link host (arxiv) THEN items whose only mention is a paper link are found too', () => {
    const outcome = index.search('arxiv', { pageSize: 50 });
    expect(outcome.ok && outcome.total).toBeGreaterThanOrEqual(50);
    const all = [1, 2, 3].flatMap((page) => {
      const o = index.search('arxiv', { pageSize: 50, page });
      return o.ok ? o.hits.map((h) => h.title) : [];
    });
    expect(all).toContain('Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络');
    expect(all.some((t) => /刷了八千篇Arxiv/.test(t))).toBe(true);
  });

  it('GIVEN Qwen 开源 THEN the two Qwen 3.8 open-weights releases lead', () => {
    const top = titles('Qwen 开源', 3);
    expect(top.some((t) => /Qwen 3\.8 开源模型发布，Apache 2\.0 许可/.test(t))).toBe(true);
    expect(top.some((t) => /阿里发布开源权重模型 Qwen 3\.8/.test(t))).toBe(true);
  });

  it('GIVEN DeepSeek 融资 THEN the first page is items with both words in their titles', () => {
    for (const title of titles('DeepSeek 融资')) {
      expect(title).toMatch(/DeepSeek/);
      expect(title).toMatch(/融资/);
    }
  });

  it('GIVEN a 2020 name (LSTR) THEN the 2020-11-20 item first', () => {
    expect(hits('LSTR')[0]).toMatchObject({ date: '2020-11-20', title: '420 FPS！LSTR：基于Transformer的车道线检测网络' });
  });

  it('GIVEN words of a 2026 English title (Dell Codex) THEN that item of 2026-05-21, alone', () => {
    expect(hits('Dell Codex').map((h) => [h.date, h.title])).toEqual([['2026-05-21', 'OpenAI and Dell bring Codex to enterprise environments']]);
  });

  it('GIVEN Antigravity CLI THEN the three items titled with it come first', () => {
    const top = titles('Antigravity CLI', 3);
    expect(top.sort()).toEqual(['Antigravity CLI transition', 'Gemini CLI transitions to Antigravity CLI', 'Transitioning Gemini CLI to Antigravity CLI']);
  });

  it('GIVEN a source name (量子位) THEN the first page is items from it', () => {
    for (const hit of hits('量子位')) expect(`${hit.source ?? ''} ${hit.title}`).toContain('量子位');
  });

  it('GIVEN a tag (轻量化) THEN the two items tagged 【轻量化】 are on the first page', () => {
    const top = titles('轻量化');
    expect(top).toContain('Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络');
    expect(top).toContain('YOffleNet | YOLO V4 基于嵌入式设备的轻量化改进设计');
  });

  it('GIVEN full-width ＹＯＬＯＸ THEN exactly the four YOLOX items', () => {
    const found = titles('ＹＯＬＯＸ', 10);
    expect(found).toHaveLength(4);
    for (const name of [/OpenVINO2021\.4\+YOLOX/, /旷视重磅开源YOLOX/, /PP-PicoDet/, /深入浅出Yolox/]) expect(found.some((t) => name.test(t)), String(name)).toBe(true);
  });

  it('GIVEN nerf THEN the DONERF item of 2021-08-14 first', () => {
    expect(hits('nerf')[0]).toMatchObject({ date: '2021-08-14', title: '推理成本降低48倍！1张GPU就能让静态图像动起来' });
  });

  it('GIVEN former THEN the whole word (Mobile-Former) first, then words it is inside of (Transformer)', () => {
    const found = titles('former', 20);
    expect(found[0]).toMatch(/^Mobile-Former/);
    expect(found.slice(1).some((t) => /Transformer/i.test(t))).toBe(true);
  });

  it('GIVEN the start of a name (deeps) THEN DeepSeek items, as you type', () => {
    const found = hits('deeps', 20);
    expect(found.length).toBeGreaterThan(5);
    expect(found.some((h) => /DeepSeek/.test(h.title))).toBe(true);
  });

  it('GIVEN a CJK run one character too long THEN no hits and the run without it suggested', () => {
    const outcome = index.search('车道线检测器');
    expect(outcome.ok && outcome.total).toBe(0);
    expect(outcome.ok && outcome.suggestions).toContain('车道线检测');
  });

  it('GIVEN odd input over the whole archive THEN no error', () => {
    for (const q of ['*', '(', '"', '\\', '🔥', '<b>x</b>', 'a'.repeat(200), '\u0000', '%s%n']) expect(() => index.search(q)).not.toThrow();
  });
});
