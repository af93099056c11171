import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayUrl, redirectTarget, REDIRECT_PARAMS } from '../../src/issue/redirect.js';

const TRACKER = 'https://click.example.com/r';
const wrap = (target: string, param = 'url') => `${TRACKER}?${param}=${encodeURIComponent(target)}&uid=7`;

/** Any absolute https URL, with path, query and fragment (generated, never fetched). */
const httpsUrl = fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }).map((u) => new URL(u).href);

describe('redirectTarget', () => {
  it('GIVEN any https URL wrapped as ?url=<encoded> WHEN unwrapped THEN the very same URL comes back', () => {
    fc.assert(
      fc.property(httpsUrl, (target) => {
        // A target that is itself a redirect is unwrapped once more, by design; the others come back whole.
        fc.pre(redirectTarget(target) === null);
        expect(redirectTarget(wrap(target))).toBe(target);
      }),
    );
  });

  it('GIVEN any https URL without a listed parameter THEN it is no redirect, and displayUrl gives it back', () => {
    fc.assert(
      fc.property(httpsUrl, (url) => {
        const parsed = new URL(url);
        fc.pre(REDIRECT_PARAMS.every((p) => !parsed.searchParams.has(p)));
        expect(redirectTarget(url)).toBeNull();
        expect(displayUrl(url)).toBe(url);
      }),
    );
  });

  it.each(REDIRECT_PARAMS)('GIVEN the parameter %s THEN its target is taken', (param) => {
    expect(redirectTarget(wrap('https://news.example.org/a?b=1', param))).toBe('https://news.example.org/a?b=1');
  });

  it.each([
    ['a javascript: target', wrap('javascript:alert(1)')],
    ['a relative target', wrap('/articles/7')],
    ['a protocol-relative target', wrap('//news.example.org/a')],
    ['a bare host', wrap('news.example.org/a')],
    ['a mailto: target', wrap('mailto:editor@example.org')],
    ['a data: target', wrap('data:text/html,<b>x</b>')],
    ['an unlisted parameter', `${TRACKER}?ref=${encodeURIComponent('https://news.example.org/a')}`],
    ['a plain article', 'https://news.example.org/2026/12/article?id=3'],
    ['not a URL', 'not a url'],
    ['a javascript: link itself', `javascript:void(0)?url=${encodeURIComponent('https://news.example.org/a')}`],
  ])('GIVEN %s THEN it is no redirect', (_, url) => {
    expect(redirectTarget(url)).toBeNull();
  });

  it('GIVEN a target written unencoded THEN it is still taken', () => {
    expect(redirectTarget(`${TRACKER}?target=https://news.example.org/a`)).toBe('https://news.example.org/a');
  });

  it('GIVEN a redirect to a redirect THEN the inner target is taken, and no deeper than that', () => {
    const inner = 'https://news.example.org/story';
    expect(redirectTarget(wrap(wrap(inner, 'target')))).toBe(inner);
    const third = wrap(wrap(wrap(inner)));
    expect(redirectTarget(third)).toBe(wrap(inner));
  });

  it('GIVEN a listed parameter whose first value is not a URL THEN a later listed one with a URL wins', () => {
    expect(redirectTarget(`${TRACKER}?u=42&url=${encodeURIComponent('https://news.example.org/a')}`)).toBe('https://news.example.org/a');
  });
});
