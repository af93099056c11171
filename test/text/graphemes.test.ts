import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, findCut, graphemeBoundaryAtOrBefore, graphemes, truncate, urlSpans } from '../../src/text/graphemes.js';

const native = (text: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
const nativeEnds = (text: string) => {
  let end = 0;
  return native(text).map((g) => (end += g.length));
};
/** Text dense in clusters that are easy to cut wrongly. */
const tricky = fc
  .array(fc.oneof(fc.constantFrom('👨‍👩‍👧‍👦', '🇨🇳', '🇺', '👍🏽', 'e\u0301', '\u0301', '\u200d', 'ก\u0e49\u0e33', '𝕏', '中', 'a', ' ', '。', '\n', `e${'\u0301'.repeat(300)}`), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 200 })
  .map((parts) => parts.join(''));

describe('grapheme helpers', () => {
  it('GIVEN any text THEN graphemes() matches Intl.Segmenter, even across its internal windows', () => {
    fc.assert(fc.property(tricky, (text) => {
        expect([...graphemes(text)]).toEqual(native(text));
      }), { numRuns: 1000 });
  });

  it('GIVEN any text and limit THEN the boundary found is the last cluster end at or before it', () => {
    fc.assert(
      fc.property(tricky, fc.nat(800), (text, limit) => {
        const expected = Math.max(0, ...nativeEnds(text).filter((e) => e <= limit));
        expect(graphemeBoundaryAtOrBefore(text, limit)).toBe(limit >= text.length ? text.length : expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('GIVEN any text THEN truncate keeps a prefix that ends on a cluster boundary, outside any URL, within max', () => {
    fc.assert(
      fc.property(tricky, fc.constantFrom('', ' https://example.com/a_(b)?c=1&d=2 '), fc.integer({ min: 1, max: 400 }), (text, url, max) => {
        const input = text.slice(0, 150) + url + text.slice(150);
        const out = truncate(input, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (out === input) return;
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(input.startsWith(kept)).toBe(true);
        if (kept.length > 0) expect(nativeEnds(input)).toContain(kept.length);
        for (const [start, end] of urlSpans(input)) expect(kept.length <= start || kept.length >= end).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('GIVEN any text THEN findCut cuts on a cluster boundary within max, preferring sentence ends', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 2, max: 300 }), (text, max) => {
        if (text.length <= max) return;
        const cut = findCut(text, max);
        expect(cut).toBeGreaterThan(0);
        expect(cut).toBeLessThanOrEqual(max);
        if (graphemeBoundaryAtOrBefore(text, max) > 0) expect(nativeEnds(text)).toContain(cut);
      }),
      { numRuns: 1000 },
    );
    expect('第一句。第二句很长很长很长'.slice(0, findCut('第一句。第二句很长很长很长', 8))).toBe('第一句。');
  });

  it('GIVEN terminal escapes, NUL and lone surrogates THEN cleanText removes or replaces them', () => {
    expect(cleanText('a\u001b[31mb\u0000c\ud800d\r\ne\u2028')).toBe('a[31mbc\ufffdd\ne');
  });
});
