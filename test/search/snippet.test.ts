/** Snippets: at most 160 characters around the first match, highlighted, cut between graphemes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spansToPlain } from '../../src/rich-text.js';
import { fold } from '../../src/search/normalize.js';
import { findMatches, makeSnippet, SNIPPET_LENGTH } from '../../src/search/snippet.js';
import { runs } from '../../src/search/tokenize.js';

const q = (query: string) => runs(fold(query));
const graphemes = (s: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (g) => g.segment);

/** The snippet's text without its ellipses must be whole graphemes of the source, in a row. */
function expectWholeGraphemes(source: string, snippet: string): void {
  const inner = snippet.replace(/^…/, '').replace(/…$/, '');
  const all = graphemes(source);
  const start = all.findIndex((_, i) => all.slice(i).join('').startsWith(inner));
  expect(start, `"${inner}" is not a run of whole graphemes`).toBeGreaterThanOrEqual(0);
  let joined = '';
  for (let i = start; joined.length < inner.length; i++) joined += all[i];
  expect(joined).toBe(inner);
}

describe('makeSnippet', () => {
  it('GIVEN a short text THEN all of it, matches marked, nothing cut', () => {
    const spans = makeSnippet('自打伯克利和谷歌联合打造的NeRF横空出世', q('nerf'));
    expect(spans).toEqual([{ text: '自打伯克利和谷歌联合打造的' }, { text: 'NeRF', highlight: true }, { text: '横空出世' }]);
  });

  it('GIVEN a match far into a long text THEN a window around it, "…" at both cut ends, at most 160', () => {
    const text = `${'前'.repeat(300)}车道线检测${'后'.repeat(300)}`;
    const spans = makeSnippet(text, q('车道线'));
    const plain = spansToPlain(spans);
    expect(plain.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
    expect(plain.startsWith('…')).toBe(true);
    expect(plain.endsWith('…')).toBe(true);
    expect(spans.filter((s) => s.highlight).map((s) => s.text)).toEqual(['车道线']);
    expect(plain.indexOf('车道线')).toBeGreaterThan(10);
  });

  it('GIVEN a match at the very end THEN the window ends with the text, "…" only at the start', () => {
    const text = `${'x '.repeat(200)}final NeRF`;
    const plain = spansToPlain(makeSnippet(text, q('nerf')));
    expect(plain.startsWith('…')).toBe(true);
    expect(plain.endsWith('NeRF')).toBe(true);
    expect(plain.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
  });

  it('GIVEN no match in the text THEN its start, cut with "…"', () => {
    const text = 'a'.repeat(50) + ' ' + 'b'.repeat(200);
    const plain = spansToPlain(makeSnippet(text, q('zebra')));
    expect(plain.startsWith('aaaa')).toBe(true);
    expect(plain.endsWith('…')).toBe(true);
    expect(plain.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
  });

  it('GIVEN full-width or upper-case text THEN the match is found and marked as written', () => {
    const spans = makeSnippet('新的ＮｅＲＦ方法与 NERF 对比', q('nerf'));
    expect(spans.filter((s) => s.highlight).map((s) => s.text)).toEqual(['ＮｅＲＦ', 'NERF']);
  });

  it('GIVEN emoji sequences and accents at the cut points THEN cuts fall between graphemes', () => {
    const family = '👨‍👩‍👧‍👦';
    for (let pad = 0; pad < 12; pad++) {
      const text = `${family.repeat(20 + pad)}e\u0301${'🇨🇳'.repeat(pad)} NeRF ${'é'.repeat(pad)}${family.repeat(40)}`;
      const plain = spansToPlain(makeSnippet(text, q('nerf')));
      expect(plain.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
      expect(plain).toContain('NeRF');
      expectWholeGraphemes(text.replace(/\s+/g, ' '), plain);
    }
  });

  it('GIVEN whitespace runs and line breaks THEN they show as single spaces', () => {
    expect(spansToPlain(makeSnippet('  one\n\n  two\tthree  ', q('two')))).toBe('one two three');
  });

  it('GIVEN an empty text THEN no spans', () => {
    expect(makeSnippet('   ', q('nerf'))).toEqual([]);
  });
});

describe('findMatches', () => {
  it('GIVEN a short word THEN only at word starts; from three letters on, inside words too', () => {
    expect(findMatches('detail AI', q('ai'))).toEqual([[7, 9]]);
    expect(findMatches('FastNeRF', q('nerf'))).toEqual([[4, 8]]);
  });

  it('GIVEN overlapping matches THEN they merge into one range', () => {
    expect(findMatches('transformer', q('trans former'))).toEqual([[0, 11]]);
  });
});

describe('findMatches on any text', () => {
  it('GIVEN any text and a run taken from it THEN every range found holds the run, and one is found', () => {
    // Left out on purpose: NFKC composing across graphemes (compatibility jamo ㄱㅏ → 가). There a
    // hit is still found (the index folds whole texts) but a match across the join is not marked.
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }).filter((t) => !/[\u3131-\u318e\uffa0-\uffdc]/.test(t)),
      fc.string({ unit: fc.constantFrom('Ｎ', 'ｅ', 'R', 'f', 'ﬁ', 'İ', 'e\u0301', '𝐍', '车', '道', 'ｶﾞ', '가', '👨‍👩‍👧', ' ', 'x'), maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const folded = fold(t);
        const start = a % (folded.length + 1);
        const piece = folded.slice(start, start + 1 + (b % 8));
        const run = runs(piece).find((r) => r.kind === 'cjk' || r.text.length >= 3);
        if (!run) return;
        const ranges = findMatches(t, [run]);
        for (const [s, e] of ranges) expect(fold(t.slice(s, e))).toContain(run.text);
        if (folded.includes(run.text)) expect(ranges.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
