/**
 * IssueLibrary over real folders in a temp dir: loading, serving, duplicate ids, bad files,
 * and watching (added / changed / removed events, re-parsing only the changed file).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IssueFileError } from '../../src/errors.js';
import { loadIssueFile, parseIssue } from '../../src/issue/parse.js';
import { IssueLibrary, type LibraryEvent } from '../../src/library/library.js';
import type { Issue } from '../../src/issue/model.js';
import { createLogger } from '../../src/log.js';

const repoIssues = resolve(import.meta.dirname, '../fixtures/issues/sample');
const fixtures = resolve(import.meta.dirname, '../fixtures/issues');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempCopy(from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-lib-'));
  if (from) cpSync(from, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, watch = false): Promise<IssueLibrary> {
  const library = await IssueLibrary.open(dir, { watch, debounceMs: 30, settleMs: 50 });
  cleanups.push(() => library.close());
  return library;
}

/** The next `event` from the library; fails after 10 s so a missed event cannot hang the suite. */
function next(library: IssueLibrary, event: LibraryEvent): Promise<Issue> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" event within 10 s`)), 10_000);
    const stop = library.on(event, (issue) => {
      clearTimeout(timer);
      stop();
      resolvePromise(issue);
    });
  });
}

/** A logger that keeps its lines as objects. */
function recordingLogger() {
  const lines: Array<Record<string, unknown> & { err?: { message: string } }> = [];
  const logger = createLogger({ level: 'debug', secrets: [], destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

const item = (n: number) => `# AI\n\n## 1. [Item ${n}](https://example.org/${n})\n\nSummary ${n}.\n`;

describe('loading and serving', () => {
  it('GIVEN the issues folder THEN every issue is served oldest first and latest() is the newest', async () => {
    const library = await open(tempCopy(repoIssues));
    expect(library.list().map((i) => i.id)).toEqual(['20201009', '20210814', '20260901', '20261120']);
    expect(library.latest()?.id).toBe('20261120');
    expect(library.problems()).toEqual([]);
  });

  it('GIVEN an id, a date or a file name THEN get() finds the same issue', async () => {
    const library = await open(tempCopy(repoIssues));
    const seed = library.get('20210814');
    expect(seed?.file).toBe('AI简报20210814.md');
    for (const ref of ['2021-08-14', 'AI简报20210814.md', 'AI简报20210814', ' 20210814 ']) expect(library.get(ref)).toBe(seed);
    expect(library.get('AI 简报20201009.md')?.id).toBe('20201009');
    expect(library.get('20210815')).toBeNull();
    expect(library.get('nonsense')).toBeNull();
  });

  it('GIVEN two files with one id THEN the newer file is served and a problem names both', async () => {
    const dir = tempCopy(join(fixtures, 'duplicates'));
    const past = new Date('2021-01-01T00:00:00Z');
    utimesSync(join(dir, 'AI简报20200201-copy.md'), past, past);
    const library = await open(dir);
    expect(library.list()).toHaveLength(1);
    expect(library.get('20200201')?.sections[0]?.items[0]?.title).toBe('The first file of 20200201');
    expect(library.problems()).toEqual([
      {
        file: 'AI简报20200201-copy.md',
        message: 'duplicate issue id 20200201: AI简报20200201-copy.md and AI简报20200201.md; serving AI简报20200201.md (newer)',
      },
    ]);
  });

  it('GIVEN broken, binary and JavaScript files beside good ones THEN the good ones are served and each bad one is a problem', async () => {
    const dir = tempCopy(join(fixtures, 'bad'));
    cpSync(join(repoIssues, 'AI简报20210814.md'), join(dir, 'AI简报20210814.md'));
    writeFileSync(join(dir, 'README.md'), '# Not an issue\n');
    const library = await open(dir);
    // Broken YAML, JS and list front matter still have a readable body; binary and invalid UTF-8 do not.
    expect(library.list().map((i) => i.id)).toEqual(['20200101', '20200102', '20200103', '20200106', '20210814']);
    const byFile = new Map(library.problems().map((p) => [p.file, p.message]));
    expect([...byFile.keys()].sort()).toEqual(['AI简报20200101.md', 'AI简报20200102.md', 'AI简报20200103.md', 'AI简报20200104.md', 'AI简报20200105.md', 'AI简报20200106.md']);
    expect(byFile.get('AI简报20200104.md')).toBe('binary file (contains NUL bytes)');
    expect(byFile.get('AI简报20200105.md')).toMatch(/^invalid UTF-8 at byte \d+$/);
  });

  it('GIVEN issues in year folders THEN they are found and named by their path in the folder', async () => {
    const dir = tempCopy();
    cpSync(join(repoIssues, 'AI简报20210814.md'), join(dir, '2021', 'AI简报20210814.md'), { recursive: true });
    const library = await open(dir);
    expect(library.get('20210814')?.file).toBe('2021/AI简报20210814.md');
    expect(library.get('2021/AI简报20210814.md')?.id).toBe('20210814');
  });

  it('GIVEN a missing folder or a file instead of a folder THEN open() rejects with IssueFileError', async () => {
    await expect(IssueLibrary.open(join(tmpdir(), 'newsbot-no-such-folder'))).rejects.toThrow(IssueFileError);
    await expect(IssueLibrary.open(join(repoIssues, 'AI简报20210814.md'))).rejects.toThrow('not a folder');
  });

  it('GIVEN issues already in memory THEN fromIssues() serves them the same way', () => {
    const a = parseIssue(item(1), 'AI简报20200101.md');
    const b = parseIssue(item(2), 'AI简报20200301.md');
    const library = IssueLibrary.fromIssues([b, a]);
    expect(library.list()).toEqual([a, b]);
    expect(library.latest()).toBe(b);
    expect(library.get('2020-01-01')).toBe(a);
    expect(library.dir).toBeNull();
  });
});

describe('watching the folder', () => {
  it('GIVEN a new issue file THEN an "added" event carries it and it is served', async () => {
    const dir = tempCopy(repoIssues);
    const library = await open(dir, true);
    const added = next(library, 'added');
    writeFileSync(join(dir, 'AI简报20270101.md'), item(7));
    expect((await added).id).toBe('20270101');
    expect(library.latest()?.id).toBe('20270101');
  });

  it('GIVEN an edited file THEN "changed" carries the new version and the other issues are not re-parsed', async () => {
    const dir = tempCopy(repoIssues);
    const library = await open(dir, true);
    const untouched = library.get('20201009');
    const changed = next(library, 'changed');
    writeFileSync(join(dir, 'AI简报20210814.md'), item(8));
    const issue = await changed;
    expect(issue.sections[0]?.items[0]?.title).toBe('Item 8');
    expect(library.get('20210814')).toBe(issue);
    expect(library.get('20201009')).toBe(untouched);
  });

  it('GIVEN a deleted file THEN "removed" carries the old issue and it is no longer served', async () => {
    const dir = tempCopy(repoIssues);
    const library = await open(dir, true);
    const removed = next(library, 'removed');
    unlinkSync(join(dir, 'AI简报20261120.md'));
    expect((await removed).id).toBe('20261120');
    expect(library.get('20261120')).toBeNull();
    expect(library.latest()?.id).toBe('20260901');
  });

  it('GIVEN a year folder removed THEN the issues in it are removed too', async () => {
    const dir = tempCopy();
    cpSync(join(repoIssues, 'AI简报20210814.md'), join(dir, '2021', 'AI简报20210814.md'), { recursive: true });
    cpSync(join(repoIssues, 'AI简报20260901.md'), join(dir, 'AI简报20260901.md'));
    const library = await open(dir, true);
    const removed = next(library, 'removed');
    rmSync(join(dir, '2021'), { recursive: true });
    expect((await removed).id).toBe('20210814');
    expect(library.list().map((i) => i.id)).toEqual(['20260901']);
  });

  it('GIVEN a broken file arriving THEN it is a problem, nothing is served from it, and later files still arrive', async () => {
    const dir = tempCopy(repoIssues);
    const library = await open(dir, true);
    const seen: string[] = [];
    library.on('added', (issue) => seen.push(issue.id));
    writeFileSync(join(dir, 'AI简报20270102.md'), readFileSync(join(fixtures, 'bad/AI简报20200104.md')));
    const good = next(library, 'added');
    writeFileSync(join(dir, 'AI简报20270103.md'), item(3));
    expect((await good).id).toBe('20270103');
    await library.settled();
    expect(seen).toEqual(['20270103']);
    expect(library.problems()).toEqual([{ file: 'AI简报20270102.md', message: 'binary file (contains NUL bytes)' }]);
    expect(library.list()).toHaveLength(5);
  });

  it('GIVEN a listener that throws THEN the other listeners still hear the event and the bug is reported once, as an error', async () => {
    const dir = tempCopy(repoIssues);
    const { logger, lines } = recordingLogger();
    const library = await IssueLibrary.open(dir, { watch: true, debounceMs: 30, logger });
    cleanups.push(() => library.close());
    library.on('added', () => {
      throw new Error('listener bug');
    });
    const added = next(library, 'added');
    writeFileSync(join(dir, 'AI简报20270104.md'), item(4));
    expect((await added).id).toBe('20270104');
    const reports = lines.filter((l) => l.err);
    expect(reports).toMatchObject([{ level: 50, issueId: '20270104', msg: 'listener bug', err: { message: 'listener bug' } }]);
  });

  it('GIVEN a changed file that cannot be read THEN an IssueFileError naming it is reported and later files still arrive', async () => {
    const dir = tempCopy(repoIssues);
    const { logger, lines } = recordingLogger();
    const library = await IssueLibrary.open(dir, {
      watch: true,
      debounceMs: 30,
      logger,
      loadFile: async (path, root) => {
        if (path.endsWith('20270106.md')) throw new Error('disk on fire');
        return loadIssueFile(path, root);
      },
    });
    cleanups.push(() => library.close());
    writeFileSync(join(dir, 'AI简报20270106.md'), item(6));
    while (!lines.some((l) => l.err)) {
      await library.settled();
      await new Promise((r) => setTimeout(r, 20));
    }
    const good = next(library, 'added');
    writeFileSync(join(dir, 'AI简报20270107.md'), item(7));
    expect((await good).id).toBe('20270107');
    await library.settled();
    const reports = lines.filter((l) => l.err);
    for (const report of reports) {
      expect(report).toMatchObject({ level: 40, family: 'issue', file: 'AI简报20270106.md', msg: 'cannot re-read issue file AI简报20270106.md' });
      expect(report.err?.message).toContain('disk on fire');
    }
  });

  it('GIVEN close() THEN later changes are not picked up', async () => {
    const dir = tempCopy(repoIssues);
    const library = await IssueLibrary.open(dir, { watch: true, debounceMs: 30 });
    await library.close();
    const seen: string[] = [];
    library.on('added', (issue) => seen.push(issue.id));
    writeFileSync(join(dir, 'AI简报20270105.md'), item(5));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    expect(library.get('20270105')).toBeNull();
  });
});
