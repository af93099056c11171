/** fast-check arbitraries for replies (search pages, archive pages, rich text) with hostile text. */
import fc from 'fast-check';
import type { ArchivePageView, SearchPageView } from '../../src/digest/digest.js';
import type { RichText, Span } from '../../src/rich-text.js';
import { hostileText, hostileUrl } from './render-fixtures.js';

export const hostileSpan: fc.Arbitrary<Span> = fc.record(
  { text: hostileText(6), bold: fc.boolean(), code: fc.boolean(), url: hostileUrl.map((u) => u ?? undefined), highlight: fc.boolean() },
  { requiredKeys: ['text'] },
);

export const hostileRichText: fc.Arbitrary<RichText> = fc.array(fc.array(hostileSpan, { maxLength: 6 }), { maxLength: 6 });

export const hostileSearchPage: fc.Arbitrary<SearchPageView> = fc
  .record({
    query: hostileText(4),
    page: fc.integer({ min: 1, max: 20 }),
    pageSize: fc.integer({ min: 1, max: 12 }),
    total: fc.integer({ min: 0, max: 500 }),
    suggestions: fc.array(hostileText(2), { maxLength: 5 }),
    hits: fc.array(
      fc.record({
        issueId: fc.constant('20210814'),
        date: fc.constant('2021-08-14'),
        sectionTitle: hostileText(3),
        itemIndex: fc.nat(300),
        title: hostileText(),
        url: hostileUrl,
        source: fc.option(hostileText(3), { nil: null }),
        snippet: fc.array(hostileSpan, { maxLength: 5 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((v) => ({ ...v, pageCount: Math.max(v.page, Math.ceil(v.total / v.pageSize)) }));

export const hostileArchivePage: fc.Arbitrary<ArchivePageView> = fc.record({
  page: fc.integer({ min: 1, max: 5 }),
  pageCount: fc.integer({ min: 5, max: 10 }),
  total: fc.integer({ min: 0, max: 100 }),
  entries: fc.array(fc.record({ id: fc.constant('20210814'), date: fc.constant('2021-08-14'), title: hostileText(), itemCount: fc.nat(300) }), { maxLength: 12 }),
});

/** Callback data / custom ids as the commands layer makes them (or null for a disabled arrow). */
export const pagerArb = fc.option(
  fc.record({ prev: fc.option(fc.constantFrom('pg:a:1', 'pg:s:1:nerf'), { nil: null }), next: fc.option(fc.constantFrom('pg:a:3', 'pg:s:3:nerf'), { nil: null }) }),
  { nil: undefined },
);
