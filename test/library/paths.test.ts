/**
 * Which paths the library serves, at start and while watching (real files, real symlinks, real
 * `fs.watch` in temp folders): one rule set, so a change is served exactly when it would be after a
 * restart, and a link never serves a file from outside the issues folder.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library/library.js';
import { classifyPath } from '../../src/library/paths.js';
import { drain, HeldClock, until } from '../support/watched-folder.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-paths-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, clock?: HeldClock): Promise<IssueLibrary> {
  const library = await IssueLibrary.open(dir, clock ? { debounceMs: 30, settleMs: 1_000, clock } : { watch: false });
  cleanups.push(() => library.close());
  return library;
}

const issue = (n: number) => `# AI\n\n## 1. [Item ${n}](https://example.org/${n})\n\nSummary ${n}.\n`;
const ids = (library: IssueLibrary) => library.list().map((i) => i.id);
const problemFiles = (library: IssueLibrary) => library.problems().map((p) => p.file);

/** Writes `rel` under `dir`, making its folders. */
function put(dir: string, rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** Paths the library must never serve, wherever the rules are applied. */
const IGNORED = [
  '.git/AI简报20300201.md',
  'node_modules/pkg/AI简报20300202.md',
  '.drafts/AI简报20300203.md',
  'a/b/c/d/AI简报20300204.md',
  'a/.hidden/AI简报20300205.md',
  '.AI简报20300206.md',
  'README.md',
  'AI简报20300207.txt',
];

describe('the path rules', () => {
  it('GIVEN paths under the issues folder THEN only Markdown files outside hidden and skipped folders, at most three folders deep, are issues', () => {
    expect(classifyPath('AI简报20300101.md')).toBe('issue');
    expect(classifyPath('2030/01/x/AI简报20300101.markdown')).toBe('issue');
    for (const rel of IGNORED) expect(classifyPath(rel), rel).not.toBe('issue');
    expect(classifyPath('../AI简报20300101.md')).toBe('ignored');
    expect(classifyPath('2030')).toBe('other');
    expect(classifyPath('a/b/c/d')).toBe('ignored');
    expect(classifyPath('node_modules')).toBe('ignored');
  });
});

describe('symbolic links at start', () => {
  it('GIVEN a link inside the folder to an issue file outside it THEN it is not served and a problem names the link', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.md'), issue(1));
    const dir = tempDir();
    writeFileSync(join(dir, 'AI简报20300102.md'), issue(2));
    symlinkSync(join(outside, 'secret.md'), join(dir, 'AI简报20300101.md'));
    const library = await open(dir);
    expect(ids(library)).toEqual(['20300102']);
    expect(library.get('AI简报20300101.md')).toBeNull();
    expect(library.problems()).toEqual([{ file: 'AI简报20300101.md', message: expect.stringContaining('outside the issues folder') }]);
  });

  it('GIVEN a link to a file inside the folder THEN it is served, and a link into a hidden folder or to a non-issue file is refused', async () => {
    const dir = tempDir();
    put(dir, 'archive/AI简报20300103.md', issue(3));
    put(dir, '.drafts/AI简报20300104.md', issue(4));
    put(dir, 'notes/plain.txt', issue(5));
    symlinkSync(join(dir, 'archive/AI简报20300103.md'), join(dir, 'AI简报20300113.md'));
    symlinkSync(join(dir, '.drafts/AI简报20300104.md'), join(dir, 'AI简报20300104.md'));
    symlinkSync('notes/plain.txt', join(dir, 'AI简报20300105.md'));
    symlinkSync(join(dir, 'missing.md'), join(dir, 'AI简报20300106.md'));
    const library = await open(dir);
    expect(ids(library)).toEqual(['20300103', '20300113']);
    expect(problemFiles(library).sort()).toEqual(['AI简报20300104.md', 'AI简报20300105.md', 'AI简报20300106.md']);
  });
});

describe('the watcher applies the start-up rules', () => {
  it('GIVEN a watched folder WHEN issue files appear under .git/, node_modules/, hidden or too-deep folders, or with non-issue names THEN none is served, exactly as after a restart', async () => {
    const dir = tempDir();
    // The folders exist before the watcher starts, so their files' events surely reach it.
    for (const rel of IGNORED) mkdirSync(join(dir, rel, '..'), { recursive: true });
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added: Issue[] = [];
    library.on('added', (i) => added.push(i));

    for (const rel of IGNORED) put(dir, rel, issue(9));
    put(dir, 'a/b/c/AI简报20300301.md', issue(1));
    await until(() => {
      clock.release();
      return added.length > 0;
    }, 'the file three folders deep to be added');
    await drain(library, clock);

    expect(added.map((i) => i.id)).toEqual(['20300301']);
    expect(ids(library)).toEqual(['20300301']);
    const restarted = await open(dir);
    expect(ids(restarted)).toEqual(ids(library));
    expect(library.problems()).toEqual(restarted.problems());
  });

  it('GIVEN a watched folder WHEN a link to an outside file appears, or a served file is replaced by one THEN neither is served and each is a problem', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.md'), issue(1));
    const dir = tempDir();
    writeFileSync(join(dir, 'AI简报20300402.md'), issue(2));
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const removed: Issue[] = [];
    library.on('removed', (i) => removed.push(i));

    symlinkSync(join(outside, 'secret.md'), join(dir, 'AI简报20300401.md'));
    // An atomic swap: the link is made under a name the library ignores, then renamed over the served file.
    symlinkSync(join(outside, 'secret.md'), join(dir, '.swap'));
    renameSync(join(dir, '.swap'), join(dir, 'AI简报20300402.md'));
    await until(() => {
      clock.release();
      return removed.length > 0 && problemFiles(library).length === 2;
    }, 'both links to be refused');
    await drain(library, clock);

    expect(removed.map((i) => i.id)).toEqual(['20300402']);
    expect(ids(library)).toEqual([]);
    expect(problemFiles(library).sort()).toEqual(['AI简报20300401.md', 'AI简报20300402.md']);
    const restarted = await open(dir);
    expect(restarted.problems()).toEqual(library.problems());
  });
});
