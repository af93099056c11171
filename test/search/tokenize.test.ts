/** Folding and term splitting: what the index and the queries agree a "term" is. */
import { describe, expect, it } from 'vitest';
import { fold, foldWithOffsets, graphemeStart } from '../../src/search/normalize.js';
import { cjkKey, cjkKeyText, runs, terms, urlTerms } from '../../src/search/tokenize.js';

describe('fold', () => {
  it('GIVEN full-width Latin, upper case or compatibility forms THEN they fold to plain lower case', () => {
    expect(fold('ＮｅＲＦ')).toBe('nerf');
    expect(fold('ＹＯＬＯｖ５')).toBe('yolov5');
    expect(fold('ﬁne')).toBe('fine');
    expect(fold('车道线')).toBe('车道线');
  });

  it('GIVEN a Greek final sigma THEN it folds to σ whatever its context', () => {
    expect(fold('ΟΔΟΣ')).toBe('οδοσ');
    expect(fold('Σ')).toBe(fold('σ'));
    expect(foldWithOffsets('ᲀ𝜮ꀀ').folded).toBe(fold('ᲀ𝜮ꀀ'));
  });

  it('GIVEN folded text with offsets THEN each folded unit points back to where it came from', () => {
    const text = 'Ａb ﬁ车';
    const { folded, origin } = foldWithOffsets(text);
    expect(folded).toBe('ab fi车');
    expect(origin).toEqual([0, 1, 2, 3, 3, 4, 5]);
  });

  it('GIVEN text that folds unit for unit THEN offsets are the identity (no table)', () => {
    expect(foldWithOffsets('NeRF 车道，ok')).toEqual({ folded: 'nerf 车道,ok', origin: null });
  });

  it('GIVEN combining accents THEN folding by offsets agrees with folding the whole text', () => {
    const text = 'Cafe\u0301 NeRF';
    expect(foldWithOffsets(text).folded).toBe(fold(text));
  });

  it('GIVEN an offset inside a grapheme THEN graphemeStart moves back to its start', () => {
    const family = '👨‍👩‍👧';
    const text = `ab${family}cd`;
    expect(graphemeStart(text, 3)).toBe(2);
    expect(graphemeStart(text, 2 + family.length - 1)).toBe(2);
    expect(graphemeStart(text, 2 + family.length)).toBe(2 + family.length);
    expect(graphemeStart('e\u0301x', 1)).toBe(0);
    expect(graphemeStart('车道', 1)).toBe(1);
  });
});

describe('terms', () => {
  it('GIVEN Latin text THEN words split on anything but letters and digits', () => {
    expect(terms(fold('Mobile-Former: ViT (v2.0)'))).toEqual(['mobile', 'former', 'vit', 'v2', '0']);
  });

  it('GIVEN a CJK run THEN overlapping bigrams, then its last character', () => {
    expect(terms('车道线检测')).toEqual(['车道', '道线', '线检', '检测', '测']);
    expect(terms('车')).toEqual(['车']);
  });

  it('GIVEN mixed scripts without spaces THEN words and CJK runs are cut apart', () => {
    expect(terms(fold('NeRF横空出世'))).toEqual(['nerf', '横空', '空出', '出世', '世']);
    expect(runs(fold('Qwen开源'))).toEqual([
      { kind: 'word', text: 'qwen' },
      { kind: 'cjk', text: '开源' },
    ]);
  });

  it('GIVEN Japanese kana THEN they are CJK runs too', () => {
    expect(terms('トランスフォーマー')).toContain('ーマ');
    expect(runs('ひらがなとカタカナ')).toHaveLength(1);
  });

  it('GIVEN characters outside the BMP THEN keys round-trip to the same text', () => {
    for (const [a, b] of [['车', '道'], ['𠀀', '道'], ['车', '𠀁']] as const) {
      expect(cjkKeyText(cjkKey(a.codePointAt(0)!, b.codePointAt(0)!))).toBe(a + b);
    }
    expect(cjkKeyText(cjkKey('𠀀'.codePointAt(0)!, -1))).toBe('𠀀');
    expect(terms('𠀀𠀁')).toEqual(['𠀀𠀁', '𠀁']);
  });
});

describe('urlTerms', () => {
  it('GIVEN a repository URL THEN host parts and path segments, split and also whole', () => {
    expect(urlTerms('https://github.com/haotian-liu/yolact_edge')).toEqual([
      'github',
      'com',
      'haotian',
      'liu',
      'haotian-liu',
      'yolact',
      'edge',
      'yolact_edge',
    ]);
  });

  it('GIVEN www, a port, a query string and a fragment THEN the host is bare and the rest ignored', () => {
    expect(urlTerms('https://www.arxiv.org:443/abs/2103.03231?utm_source=x#top')).toEqual(['arxiv', 'org', 'abs', '2103', '03231', '2103.03231']);
  });

  it('GIVEN an escaped or malformed path THEN it is decoded when possible and never throws', () => {
    expect(urlTerms('https://example.com/%E8%BD%A6%E9%81%93')).toEqual(['example', 'com', '车道', '道']);
    expect(urlTerms(fold('https://example.com/%E8%zz'))).toEqual(['example', 'com', 'e8', 'zz']);
    expect(urlTerms('not a url')).toEqual(['not', 'a', 'url']);
  });
});
