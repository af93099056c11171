/** The index wired to a real IssueLibrary watching a folder: files added, edited and deleted. */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/issue/model.js';
import { IssueLibrary, type LibraryEvent } from '../../src/library/library.js';
import { SearchIndex } from '../../src/search/index.js';

const issueFile = (title: string, summary: string) => `# AI\n\n## 1. [${title}](https://example.org/item) | 量子位\n\n${summary}\n`;

function next(library: IssueLibrary, event: LibraryEvent): Promise<Issue> {
  return new Promise((done) => {
    const off = library.on(event, (issue) => {
      off();
      done(issue);
    });
  });
}

const totalOf = (index: SearchIndex, q: string) => {
  const outcome = index.search(q);
  return outcome.ok ? outcome.total : -1;
};

describe('SearchIndex following a watched IssueLibrary', () => {
  let dir = '';
  let library: IssueLibrary | null = null;

  afterEach(async () => {
    await library?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN a file added, edited, then deleted THEN search follows each step', async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsbot-search-'));
    await writeFile(join(dir, 'AI简报20300101.md'), issueFile('车道线检测网络', '第一个文件。'));
    library = await IssueLibrary.open(dir, { debounceMs: 20 });
    const index = SearchIndex.fromLibrary(library);
    expect(totalOf(index, '车道线')).toBe(1);

    const added = next(library, 'added');
    await writeFile(join(dir, 'AI简报20300102.md'), issueFile('Okapi 观察笔记', '关于 okapi 的第二个文件。'));
    expect((await added).id).toBe('20300102');
    expect(totalOf(index, 'okapi')).toBe(1);

    const changed = next(library, 'changed');
    await writeFile(join(dir, 'AI简报20300102.md'), issueFile('Zebra 观察笔记', '改写后只谈 zebra。'));
    await changed;
    expect(totalOf(index, 'zebra')).toBe(1);
    expect(totalOf(index, 'okapi')).toBe(0);

    const removed = next(library, 'removed');
    await unlink(join(dir, 'AI简报20300101.md'));
    await removed;
    expect(totalOf(index, '车道线')).toBe(0);
    expect(totalOf(index, '观察')).toBe(1);
    index.dispose();
  });
});
