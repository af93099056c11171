/** How a query word is offered back as a suggestion. */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/query.js';
import { suggestionText } from '../../src/search/suggest.js';

describe('suggestionText', () => {
  it.each([
    ['"NeRF"', 'nerf'],
    ['GPT-5.5', 'gpt-5.5'],
    ['（车道线）', '车道线'],
    ['<b>x</b>', 'b-x-b'],
    ['a"b', 'a-b'],
    ["it's", "it's"],
  ])('GIVEN the query word %j THEN %j is offered', (word, offered) => {
    const parsed = parseQuery(word);
    if (!parsed.ok || parsed.terms.length !== 1) throw new Error(`expected one term for ${word}`);
    expect(suggestionText(parsed.terms[0]!)).toBe(offered);
  });

  it('GIVEN a word with markup inside THEN what is offered parses to the same runs', () => {
    for (const word of ['<b>x</b>', 'a"b', 'GPT-5.5', '车道/"线"']) {
      const before = parseQuery(word);
      const after = parseQuery(suggestionText((before.ok && before.terms[0]) || { text: '', runs: [] }));
      expect(after.ok && after.terms[0]?.runs, word).toEqual(before.ok && before.terms[0]?.runs);
    }
  });
});
