import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigest, buildItemView } from '../../../src/digest/digest.js';
import { itemsOf } from '../../../src/issue/model.js';
import { renderTelegramDigest, renderTelegramReply } from '../../../adapters/telegram/render.js';
import { hostileArchivePage, hostileRichText, hostileSearchPage, pagerArb } from '../render-arbitraries.js';
import { bigIssue, hostileIssue, hostileItem } from '../render-fixtures.js';
import { hrefs, problems, squash, visible } from './render-support.js';

const modes = fc.constantFrom('full' as const, 'compact' as const);
const languages = fc.constantFrom('zh' as const, 'en' as const);

describe('Telegram rendering of hostile input', () => {
  it('GIVEN any issue THEN every message validates and no item title, url or key link is lost', () => {
    fc.assert(
      fc.property(hostileIssue(), modes, languages, (issue, mode, language) => {
        const digest = buildDigest(issue, mode);
        const messages = renderTelegramDigest(digest, language);
        expect(problems(messages)).toEqual([]);
        const links = new Set(hrefs(messages));
        const seen = squash(visible(messages));
        for (const section of digest.sections) {
          for (const item of section.items) {
            if (item.url) expect(links.has(item.url)).toBe(true);
            for (const l of item.links) expect(links.has(l.url)).toBe(true);
            expect(seen).toContain(squash(item.title));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('GIVEN 200 hostile items THEN every message validates and every url is there', () => {
    fc.assert(
      fc.property(fc.array(hostileItem, { minLength: 200, maxLength: 200 }), modes, (items, mode) => {
        const issue = bigIssue(200, (i) => items[i]!);
        const digest = buildDigest(issue, mode);
        const messages = renderTelegramDigest(digest, 'zh');
        expect(problems(messages)).toEqual([]);
        const links = new Set(hrefs(messages));
        for (const item of digest.sections.flatMap((s) => s.items)) if (item.url) expect(links.has(item.url)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('GIVEN any item opened on its own THEN the message and its buttons validate', () => {
    fc.assert(
      fc.property(hostileIssue(5), fc.nat(20), pagerArb, (issue, index, pager) => {
        const count = itemsOf(issue).length;
        const view = count > 0 ? buildItemView(issue, index % count) : null;
        if (!view) return;
        const messages = renderTelegramReply({ kind: 'item', view, language: 'en' }, pager ? { pager } : {});
        expect(problems(messages)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('GIVEN any search page, archive page or rich text THEN every message validates', () => {
    fc.assert(
      fc.property(hostileSearchPage, hostileArchivePage, hostileRichText, fc.constantFrom('info' as const, 'error' as const), languages, pagerArb, (search, archive, body, tone, language, pager) => {
        const options = pager ? { pager } : {};
        expect(problems(renderTelegramReply({ kind: 'search', view: search, language }, options))).toEqual([]);
        expect(problems(renderTelegramReply({ kind: 'archive', view: archive, language }, options))).toEqual([]);
        expect(problems(renderTelegramReply({ kind: 'text', tone, body, language }, options))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
