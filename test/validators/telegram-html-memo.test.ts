import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TelegramHtmlMemo } from './telegram-html-memo.js';
import { checkSendMessage, parseTelegramHtml } from './telegram-html.js';

const INVALID = '<p>paragraphs are not Telegram HTML</p>';
const VALID = '<b>AI 简报</b> &amp; <a href="https://example.com/?a=1&amp;b=2">links</a>';
/** Pairs one character apart, one side valid and the other not, so a memo keyed loosely would mix them up. */
const NEAR_MISSES = ['<b>x</b>', '<b>x</p>', '<b>x</b> ', 'a &amp; b', 'a & b', 'a &amp;  b', '<i>1 &lt; 2</i>', '<i>1 < 2</i>'];

/** What the memo answers, without its extra `html` field, to compare with the reference parse. */
const answer = (memo: TelegramHtmlMemo, html: string) => {
  const { html: _html, ...parsed } = memo.parse(html);
  return parsed;
};

describe('TelegramHtmlMemo never changes an answer', () => {
  it('GIVEN the same invalid text again and again THEN it is rejected every time with the same errors, parsed once', () => {
    const memo = new TelegramHtmlMemo();
    for (let n = 0; n < 5; n++) {
      const parsed = memo.parse(INVALID);
      expect(parsed.errors[0]).toMatch(/^Unsupported start tag "p" at byte offset 0/);
      expect(answer(memo, INVALID)).toEqual(parseTelegramHtml(INVALID));
    }
    expect(memo.parses).toBe(1);
  });

  it('GIVEN the same valid text again and again THEN it is accepted every time with the same plain text', () => {
    const memo = new TelegramHtmlMemo();
    for (let n = 0; n < 5; n++) {
      expect(memo.parse(VALID)).toMatchObject({ errors: [], plainText: 'AI 简报 & links', entityCount: 2 });
      expect(checkSendMessage({ chat_id: n, text: VALID, parse_mode: 'HTML' }, (html) => memo.parse(html))).toEqual([]);
      expect(checkSendMessage({ chat_id: n, text: INVALID, parse_mode: 'HTML' }, (html) => memo.parse(html))).toEqual(
        checkSendMessage({ chat_id: n, text: INVALID, parse_mode: 'HTML' }),
      );
    }
    expect(memo.parses).toBe(2);
  });

  it('GIVEN texts one character apart, interleaved THEN each gets its own answer', () => {
    const memo = new TelegramHtmlMemo();
    for (let round = 0; round < 3; round++) {
      for (const html of NEAR_MISSES) expect(answer(memo, html)).toEqual(parseTelegramHtml(html));
    }
    expect(memo.parses).toBe(NEAR_MISSES.length);
    expect(memo.parse('<b>x</b>').errors).toEqual([]);
    expect(memo.parse('<b>x</p>').errors).not.toEqual([]);
  });

  it('GIVEN more distinct texts than its capacity THEN it stays bounded and evicted texts are parsed again to the same answer', () => {
    const memo = new TelegramHtmlMemo(3);
    for (const html of NEAR_MISSES) memo.parse(html);
    expect(memo.size).toBe(3);
    const before = memo.parses;
    expect(answer(memo, NEAR_MISSES[0] as string)).toEqual(parseTelegramHtml(NEAR_MISSES[0] as string));
    expect(memo.parses).toBe(before + 1);
  });

  it('GIVEN a shared answer THEN a caller cannot alter what later callers get', () => {
    const memo = new TelegramHtmlMemo();
    const first = memo.parse(INVALID);
    expect(() => (first.errors as string[]).push('tampered')).toThrow(TypeError);
    expect(() => Object.assign(first, { plainText: 'tampered' })).toThrow(TypeError);
    expect(answer(memo, INVALID)).toEqual(parseTelegramHtml(INVALID));
  });

  it('GIVEN any sequence of texts with repeats, through a tiny memo THEN every answer equals a fresh parse', () => {
    const pool = fc.array(fc.oneof(fc.constantFrom(...NEAR_MISSES, INVALID, VALID), fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(pool, fc.array(fc.nat(), { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (texts, picks, capacity) => {
        const memo = new TelegramHtmlMemo(capacity);
        for (const pick of picks) {
          const html = texts[pick % texts.length] as string;
          expect(answer(memo, html)).toEqual(parseTelegramHtml(html));
          expect(memo.parse(html).html).toBe(html);
        }
        expect(memo.size).toBeLessThanOrEqual(capacity);
      }),
    );
  });
});
