/** /search during a cold start: while the archive is still loading, a search that finds nothing says how far indexing has got. */
import { describe, expect, it } from 'vitest';
import type { LibraryPort } from '../../src/commands/module.js';
import { createPageCodec } from '../../src/commands/pager.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { BUILTIN_COMMANDS, createCommandRouter } from '../../src/commands/router.js';
import { parseIssue } from '../../src/issue/parse.js';
import { createLogger } from '../../src/log.js';
import { SearchIndex } from '../../src/search/index.js';
import { caller, textOf } from './support.js';
import { digestBuilder } from '../../src/digest/builder.js';

const newest = parseIssue('# AI 简报\n\n## 1. [NeRF 新进展](https://example.org/nerf)\n\n一段摘要。\n', 'AI简报20210814.md');

function routerWith(loading: { loaded: number; total: number } | null) {
  const issues: LibraryPort = { latest: () => newest, get: () => null, list: () => [newest], loading: () => loading };
  const search = SearchIndex.fromIssues([newest]);
  return createCommandRouter({ issues, search, pages: createPageCodec(), logger: createLogger({ level: 'silent', secrets: [] }), defaults: { language: 'en', mode: 'full' }, digests: digestBuilder() }, BUILTIN_COMMANDS);
}

async function ask(loading: { loaded: number; total: number } | null, text: string, language: 'en' | 'zh') {
  const reply = await routerWith(loading).handle(parseCommandText(text)!, caller({ language }));
  return textOf(reply!);
}

describe('/search while the archive loads', () => {
  it('GIVEN 120 of 10000 issues loaded WHEN a search finds nothing THEN the reply says how far indexing has got, in English and Chinese', async () => {
    expect(await ask({ loaded: 120, total: 10_000 }, '/search transformer', 'en')).toContain('Still indexing: 120 of 10000 issues loaded so far');
    expect(await ask({ loaded: 120, total: 10_000 }, '/search transformer', 'zh')).toContain('已载入 120/10000 期');
  });

  it('GIVEN the archive fully loaded WHEN a search finds nothing THEN no indexing note', async () => {
    expect(await ask(null, '/search transformer', 'en')).not.toContain('indexing');
  });
});
