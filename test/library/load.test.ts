/**
 * The initial load: newest issue first, served before the rest of a cold archive has loaded, the
 * rest arriving as `loaded` events (never `added`, which publishes), with progress to report; and
 * issues over an output cap listed as problems, never served.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/issue/limits.js';
import { loadIssueFile } from '../../src/issue/parse.js';
import { IssueLibrary } from '../../src/library/library.js';
import { SearchIndex } from '../../src/search/index.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-load-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const issue = (word: string) => `# AI 简报\n\n## 1. [${word} 的新模型](https://example.org/${word})\n\n${word} 发布了新模型。\n`;

describe('IssueLibrary initial load', () => {
  it('GIVEN a cold archive opened progressively THEN the newest issue is served first, the rest load after as "loaded" events, and progress is reported until done', async () => {
    const dir = folder({
      'AI简报20210101.md': issue('alpha'),
      'AI简报20210102.md': issue('bravo'),
      'AI简报20210103.md': issue('charlie'),
    });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const library = await IssueLibrary.open(dir, {
      watch: false,
      progressive: true,
      concurrency: 1,
      loadFile: async (path, root) => {
        order.push(basename(path));
        if (order.length > 1) await gate; // older files wait until the test has looked
        return loadIssueFile(path, root);
      },
    });
    cleanups.push(() => library.close());
    const search = SearchIndex.fromLibrary(library);
    const events: Array<[string, string]> = [];
    for (const event of ['added', 'loaded'] as const) library.on(event, (i) => events.push([event, i.id]));

    expect(order[0]).toBe('AI简报20210103.md');
    expect(library.latest()?.id).toBe('20210103');
    expect(library.get('20210101')).toBeNull();
    expect(library.loading()).toEqual({ loaded: 1, total: 3 });

    release();
    await library.whenLoaded();
    expect(library.loading()).toBeNull();
    expect(library.list().map((i) => i.id)).toEqual(['20210101', '20210102', '20210103']);
    expect(events.map(([e]) => e)).toEqual(['loaded', 'loaded']);
    const hits = search.search('alpha');
    expect(hits.ok && hits.total).toBe(1);
    search.dispose();
  });

  it('GIVEN a library opened without progressive THEN open returns with every issue loaded', async () => {
    const dir = folder({ 'AI简报20210101.md': issue('alpha'), 'AI简报20210102.md': issue('bravo') });
    const library = await IssueLibrary.open(dir, { watch: false, loadFile: loadIssueFile });
    cleanups.push(() => library.close());
    expect(library.loading()).toBeNull();
    expect(library.list()).toHaveLength(2);
  });

  it('GIVEN issues over the title, header and item caps THEN each is a problem naming the cap and none is served', async () => {
    const items = Array.from({ length: 21 }, (_, i) => `- [条目 ${i}](https://example.org/${i})`).join('\n');
    const dir = folder({
      'AI简报20210101.md': issue('fine'),
      'AI简报20210102.md': `---\ntitle: "${'长'.repeat(600)}"\n---\n${issue('title')}`,
      'AI简报20210103.md': `---\nsummary: "${'导读'.repeat(2_100)}"\n---\n${issue('header')}`,
      'AI简报20210104.md': `# AI 简报\n\n## 今日\n\n${items}\n`,
      'AI简报20210105.md': `# AI 简报\n\n## 1. [${'题'.repeat(501)}](https://example.org/a)\n`,
    });
    // A lower item cap keeps the file small; a long budget keeps a loaded machine from timing it out.
    const library = await IssueLibrary.open(dir, { watch: false, pool: { workers: 1, timeoutMs: 60_000, limits: { ...DEFAULT_LIMITS, maxItems: 20 } } });
    cleanups.push(() => library.close());
    expect(library.list().map((i) => i.id)).toEqual(['20210101']);
    const problems = library.problems().map((p) => `${p.file}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AI简报20210102\.md: the title is 600 characters; the limit is 500 \(ISSUE_MAX_TITLE\)/),
        expect.stringMatching(/^AI简报20210103\.md: the header \(intro\) is \d+ characters; the limit is 4000 \(ISSUE_MAX_HEADER\)/),
        expect.stringMatching(/^AI简报20210104\.md: more than 20 items \(ISSUE_MAX_ITEMS\)/),
        expect.stringMatching(/^AI简报20210105\.md: item 1's title is 501 characters/),
      ]),
    );
  });

  it('GIVEN front matter that is never closed THEN the file is a problem saying so and nothing of it is served', async () => {
    const dir = folder({ 'AI简报20210101.md': `---\n${'k: v\n'.repeat(40_000)}` });
    const library = await IssueLibrary.open(dir, { watch: false });
    cleanups.push(() => library.close());
    expect(library.list()).toEqual([]);
    expect(library.problems().map((p) => p.message)).toContain('front matter is never closed (no "---" line after it); file ignored');
  });
});
