import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigest, buildItemView } from '../../../src/digest/digest.js';
import { itemsOf } from '../../../src/issue/model.js';
import { urlSpans } from '../../../src/text/graphemes.js';
import { renderDiscordDigest, renderDiscordReply } from '../../../adapters/discord/render.js';
import { escapeDiscord } from '../../../adapters/discord/markdown.js';
import { hostileArchivePage, hostileRichText, hostileSearchPage } from '../render-arbitraries.js';
import { bigIssue, hostileIssue, hostileItem, hostileText } from '../render-fixtures.js';
import { normalUrl, problems, unescape, urls } from './render-support.js';

const modes = fc.constantFrom('full' as const, 'compact' as const);
const languages = fc.constantFrom('zh' as const, 'en' as const);
const customIds = fc.option(
  fc.record({ prev: fc.option(fc.constantFrom('pg:a:1', 'x'.repeat(100)), { nil: null }), next: fc.option(fc.constantFrom('pg:a:3', 'pg:s:3:nerf'), { nil: null }) }),
  { nil: undefined },
);

describe('Discord rendering of hostile input', () => {
  it('GIVEN any issue THEN every message validates, mentions are off, and every item url is there', () => {
    fc.assert(
      fc.property(hostileIssue(), modes, languages, (issue, mode, language) => {
        const digest = buildDigest(issue, mode);
        const messages = renderDiscordDigest(digest, language);
        expect(problems(messages)).toEqual([]);
        expect(messages.every((m) => Array.isArray(m.allowed_mentions.parse) && m.allowed_mentions.parse.length === 0)).toBe(true);
        const found = urls(messages);
        for (const item of digest.sections.flatMap((s) => s.items)) if (item.url) expect(found.has(normalUrl(item.url))).toBe(true);
        const embeds = messages.flatMap((m) => m.embeds ?? []);
        if (mode === 'full') expect(embeds).toHaveLength(digest.itemCount);
      }),
      { numRuns: 150 },
    );
  });

  it('GIVEN 200 hostile items THEN every message validates and every url is there', () => {
    fc.assert(
      fc.property(fc.array(hostileItem, { minLength: 200, maxLength: 200 }), modes, (items, mode) => {
        const digest = buildDigest(bigIssue(200, (i) => items[i]!), mode);
        const messages = renderDiscordDigest(digest, 'en');
        expect(problems(messages)).toEqual([]);
        const found = urls(messages);
        for (const item of digest.sections.flatMap((s) => s.items)) if (item.url) expect(found.has(normalUrl(item.url))).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('GIVEN any text THEN escaping shows it as written and leaves no live Markdown outside URLs', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const escaped = escapeDiscord(text);
        expect(unescape(escaped)).toBe(text);
        // The URLs of the input, left as they are, are skipped; the rest must be fully escaped.
        let outside = '';
        let pos = 0;
        for (const [start, end] of urlSpans(text)) {
          const at = escaped.indexOf(text.slice(start, end), pos);
          outside += `${escaped.slice(pos, at)} `;
          pos = at + end - start;
        }
        outside += escaped.slice(pos);
        // Blank out escaped pairs; whatever Markdown character is left would be live.
        expect(outside.replace(/\\[^0-9A-Za-z\s]/g, 'x')).not.toMatch(/[*_~|`[\]<\\]|^[ \t]*([>#+-]|\d+\.)/m);
      }),
      { numRuns: 1000 },
    );
  });

  it('GIVEN any item, search page, archive page or rich text as a reply THEN every message validates', () => {
    fc.assert(
      fc.property(hostileIssue(4), fc.nat(20), hostileSearchPage, hostileArchivePage, hostileRichText, languages, customIds, (issue, index, search, archive, body, language, pager) => {
        const options = pager ? { pager } : {};
        const count = itemsOf(issue).length;
        const view = count > 0 ? buildItemView(issue, index % count) : null;
        if (view) expect(problems(renderDiscordReply({ kind: 'item', view, language }, options))).toEqual([]);
        expect(problems(renderDiscordReply({ kind: 'search', view: search, language }, options))).toEqual([]);
        expect(problems(renderDiscordReply({ kind: 'archive', view: archive, language }, options))).toEqual([]);
        expect(problems(renderDiscordReply({ kind: 'text', tone: 'info', body, language }, options))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
