/**
 * The parser's own text handling runs in linear time: inputs at n and 4n characters, timed in the
 * same process, must take well under the 16× a quadratic pattern would (no absolute timings).
 * Each case is a shape that took minutes at 80-160 KB before (regexes such as /[class]+$/ or
 * /\s*\|\s*$/ retrying from every position of a long run).
 */
import { describe, expect, it } from 'vitest';
import { parseIssue } from '../../src/issue/parse.js';
import { cleanSource, cleanTitle, textWithUrls } from '../../src/issue/plain-text.js';
import { parseMarkdown } from '../../src/issue/parse.js';
import { growthRatio } from '../support/growth.js';

/** Linear work gives about 4; quadratic about 16. 8 leaves room for a noisy shared machine. */
const LINEAR = 8;
const N = 20_000;
/** Whole issues: remark itself parses headings at about 100 KB/s, so smaller. */
const N_PARSE = 8_000;
const parse = (text: string) => parseIssue(text, 'AI简报20210815.md');

describe('linear-time text handling', () => {
  it('GIVEN a title ending in a long run of "- " pairs before a word WHEN cleaned THEN time grows linearly', () => {
    expect(growthRatio((n) => `标题 ${'- '.repeat(n)}x`, cleanTitle, N)).toBeLessThan(LINEAR);
  }, 60_000);

  it('GIVEN a source with a long run of separators before a word WHEN cleaned THEN time grows linearly', () => {
    expect(growthRatio((n) => `CVer${'、'.repeat(n)}x`, cleanSource, N)).toBeLessThan(LINEAR);
  }, 60_000);

  it('GIVEN an intro quote with a long run of spaces WHEN read as text THEN time grows linearly', () => {
    const quote = (n: number) => parseMarkdown(`> 导读${' '.repeat(n)}x\n`).children[0]!;
    expect(growthRatio(quote, textWithUrls, N)).toBeLessThan(LINEAR);
  }, 60_000);

  it('GIVEN a heading "### 标题" followed by "- " pairs WHEN the issue is parsed THEN time grows linearly', () => {
    expect(growthRatio((n) => `## S\n\n### 标题 ${'- '.repeat(n)}x\n`, parse, N_PARSE)).toBeLessThan(LINEAR);
  }, 60_000);

  it('GIVEN a 🔴 paragraph with a long run of spaces before the next word WHEN parsed THEN time grows linearly', () => {
    expect(growthRatio((n) => `## S\n\n🔴 **[A]** x${' '.repeat(n)}y\n`, parse, N_PARSE)).toBeLessThan(LINEAR);
  }, 60_000);

  it('GIVEN a "| [T](url)" table row with a long run of spaces before the next word WHEN parsed THEN time grows linearly', () => {
    expect(growthRatio((n) => `## S\n\n| [T](https://a.example/t)${' '.repeat(n)}x\n`, parse, N_PARSE)).toBeLessThan(LINEAR);
  }, 60_000);
});
