/**
 * The persistent parse cache, through the real SQLite file and a real IssueLibrary over temp
 * folders. Parses are counted by wrapping the real `loadIssueFile` (the unit under test is the
 * cache, not the parser), so "served from the cache" means "the parser was not called".
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { computeParserVersion, ParseCache, parserVersion, type FileStat } from '../../src/issue/parse-cache.js';
import { loadIssueFile, parseIssue } from '../../src/issue/parse.js';
import { IssueLibrary, type IssueLibraryOptions } from '../../src/library/library.js';
import { createLogger } from '../../src/log.js';
import { corpusFiles, describeCorpus } from '../support/corpus.js';

const repoIssues = resolve(import.meta.dirname, '../fixtures/issues/sample');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the shipped issues whose files are an hour old (not "racy"), and a cache path beside it. */
function setup(): { dir: string; cachePath: string } {
  const dir = tempDir('newsbot-cache-issues-');
  cpSync(repoIssues, dir, { recursive: true });
  const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
  for (const rel of readdirRel(dir)) utimesSync(join(dir, rel), old, old);
  return { dir, cachePath: join(tempDir('newsbot-cache-db-'), 'issue-cache.db') };
}

function readdirRel(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.md'));
}

/** Opens a library that counts the files it parses. */
async function open(dir: string, options: IssueLibraryOptions = {}): Promise<{ library: IssueLibrary; parsed: string[] }> {
  const parsed: string[] = [];
  const library = await IssueLibrary.open(dir, {
    watch: false,
    ...options,
    loadFile: (path, root) => {
      parsed.push(relative(root, path).split('\\').join('/'));
      return loadIssueFile(path, root);
    },
  });
  cleanups.push(() => library.close());
  return { library, parsed };
}

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger({ level: 'debug', secrets: [], destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

function rowCount(cachePath: string): number {
  const db = new Database(cachePath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM parsed_issues').pluck().get() as number;
  } finally {
    db.close();
  }
}

const ITEM = (n: number) => `# AI\n\n## 1. [Item ${n}](https://example.org/${n})\n\nSummary ${n}.\n`;

describe('IssueLibrary with a parse cache', () => {
  it('GIVEN a second open with the same cache THEN no unchanged file is parsed and the issues are the same', async () => {
    const { dir, cachePath } = setup();
    const first = await open(dir, { cache: cachePath });
    expect(first.parsed.length).toBeGreaterThanOrEqual(4);
    expect(first.library.loadStats).toMatchObject({ cached: 0, parsed: first.parsed.length });

    const second = await open(dir, { cache: cachePath });
    expect(second.parsed).toEqual([]);
    expect(second.library.loadStats).toMatchObject({ files: first.parsed.length, cached: first.parsed.length, verified: 0, parsed: 0 });
    expect(second.library.list()).toStrictEqual(first.library.list());
    expect(second.library.problems()).toStrictEqual(first.library.problems());
  });

  it('GIVEN a file changed between two opens THEN only that file is parsed again and its new content is served', async () => {
    const { dir, cachePath } = setup();
    await open(dir, { cache: cachePath });
    writeFileSync(join(dir, 'AI简报20210814.md'), ITEM(7));
    const second = await open(dir, { cache: cachePath });
    expect(second.parsed).toEqual(['AI简报20210814.md']);
    expect(second.library.get('20210814')?.sections[0]?.items[0]?.title).toBe('Item 7');
    const third = await open(dir, { cache: cachePath });
    expect(third.parsed).toEqual([]);
    expect(third.library.get('20210814')?.sections[0]?.items[0]?.title).toBe('Item 7');
  });

  it('GIVEN a file deleted between two opens THEN its entry is pruned from the cache file', async () => {
    const { dir, cachePath } = setup();
    const first = await open(dir, { cache: cachePath });
    await first.library.close();
    const before = rowCount(cachePath);
    unlinkSync(join(dir, 'AI简报20210814.md'));
    const second = await open(dir, { cache: cachePath });
    await second.library.close();
    expect(second.parsed).toEqual([]);
    expect(second.library.get('20210814')).toBeNull();
    expect(rowCount(cachePath)).toBe(before - 1);
  });

  it('GIVEN another parser version THEN every file is parsed again and the old entries are dropped', async () => {
    const { dir, cachePath } = setup();
    const v1 = ParseCache.open(cachePath, { version: 'parser-1' });
    cleanups.push(() => v1.close());
    const first = await open(dir, { cache: v1 });
    expect((await open(dir, { cache: v1 })).parsed).toEqual([]);
    v1.close();

    const v2 = ParseCache.open(cachePath, { version: 'parser-2' });
    cleanups.push(() => v2.close());
    const second = await open(dir, { cache: v2 });
    expect(second.parsed).toEqual(first.parsed);
    v2.close();
    const db = new Database(cachePath, { readonly: true });
    cleanups.push(() => {
      db.close();
    });
    expect(db.prepare('SELECT DISTINCT parser FROM parsed_issues').pluck().all()).toEqual(['parser-2']);
  });

  it('GIVEN a corrupt cache file THEN loading serves every issue, warns, and rebuilds the cache', async () => {
    const { dir, cachePath } = setup();
    const reference = await open(dir);
    writeFileSync(cachePath, Buffer.from('this is not an SQLite database, just bytes '.repeat(200)));
    const { logger, lines } = recordingLogger();
    const first = await open(dir, { cache: cachePath, logger });
    expect(first.library.list()).toStrictEqual(reference.library.list());
    // Reported once through reportError: a StoreError naming the cache file, at warn.
    expect(lines.filter((l) => /issue cache unusable/.test(l.msg))).toMatchObject([{ level: 40, family: 'store', path: cachePath, method: 'open' }]);
    await first.library.close();
    const second = await open(dir, { cache: cachePath });
    expect(second.parsed).toEqual([]);
    expect(second.library.list()).toStrictEqual(reference.library.list());
  });

  it('GIVEN a cache row that is not an issue THEN that file alone is parsed again', async () => {
    const { dir, cachePath } = setup();
    const first = await open(dir, { cache: cachePath });
    await first.library.close();
    const db = new Database(cachePath);
    db.prepare("UPDATE parsed_issues SET issue = '{\"id\": 3' WHERE path = ?").run('AI简报20210814.md');
    db.close();
    const second = await open(dir, { cache: cachePath });
    expect(second.parsed).toEqual(['AI简报20210814.md']);
    expect(second.library.list()).toStrictEqual(first.library.list());
  });

  it('GIVEN a cache path that cannot be created THEN the library loads without a cache and says so', async () => {
    const { dir } = setup();
    const blocker = join(tempDir('newsbot-cache-blocked-'), 'a-file');
    writeFileSync(blocker, 'x');
    const { logger, lines } = recordingLogger();
    const { library, parsed } = await open(dir, { cache: join(blocker, 'issue-cache.db'), logger });
    expect(library.list().length).toBe(parsed.length);
    expect(lines.filter((l) => /issue cache disabled/.test(l.msg))).toMatchObject([{ level: 40, family: 'store', path: join(blocker, 'issue-cache.db') }]);
  });

  it('GIVEN a file rewritten within the same mtime just after it was cached THEN the content hash catches it', async () => {
    const dir = tempDir('newsbot-cache-racy-');
    const cachePath = join(tempDir('newsbot-cache-db-'), 'issue-cache.db');
    const file = join(dir, 'AI简报20270101.md');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    writeFileSync(file, ITEM(1));
    utimesSync(file, stamp, stamp);
    await open(dir, { cache: cachePath });
    // Same size, same mtime: a stat alone cannot tell, but the entry is recent enough to be checked.
    writeFileSync(file, ITEM(2));
    utimesSync(file, stamp, stamp);
    const second = await open(dir, { cache: cachePath });
    expect(second.parsed).toEqual(['AI简报20270101.md']);
    expect(second.library.latest()?.sections[0]?.items[0]?.title).toBe('Item 2');
    // Unchanged and still recent: verified by hash, not parsed.
    const third = await open(dir, { cache: cachePath });
    expect(third.parsed).toEqual([]);
    expect(third.library.loadStats).toMatchObject({ cached: 1, verified: 1 });
  });

  it('GIVEN a file the watcher picks up THEN it is written to the cache and the next open does not parse it', async () => {
    const { dir, cachePath } = setup();
    const watching = await open(dir, { cache: cachePath, watch: true, debounceMs: 30 });
    writeFileSync(join(dir, 'AI简报20270102.md'), ITEM(3));
    while (!watching.library.get('20270102')) {
      await watching.library.settled();
      await new Promise((r) => setTimeout(r, 20));
    }
    await watching.library.close();
    const next = await open(dir, { cache: cachePath });
    expect(next.parsed).toEqual([]);
    expect(next.library.get('20270102')?.sections[0]?.items[0]?.title).toBe('Item 3');
  });
});

describe('parser version', () => {
  it('GIVEN the parser sources THEN the version is stable, and changes when any source file changes', () => {
    const src = tempDir('newsbot-parser-src-');
    cpSync(resolve(import.meta.dirname, '../../src/issue'), src, { recursive: true });
    const before = computeParserVersion(src);
    expect(computeParserVersion(src)).toBe(before);
    writeFileSync(join(src, 'structure.ts'), `${readFileSync(join(src, 'structure.ts'), 'utf8')}\n// a change\n`);
    expect(computeParserVersion(src)).not.toBe(before);
  });

  it('GIVEN this checkout THEN the process version is the hash of src/issue', () => {
    expect(parserVersion()).toBe(computeParserVersion(resolve(import.meta.dirname, '../../src/issue')));
  });
});

describeCorpus('parse cache over the corpus', (corpus) => {
  it('GIVEN every corpus file THEN the cached Issue is deep-equal to a fresh parse', async () => {
    const cache = ParseCache.open(join(tempDir('newsbot-cache-corpus-'), 'issue-cache.db'));
    cleanups.push(() => cache.close());
    const first = await open(corpus, { cache });
    const files = corpusFiles().map((p) => relative(corpus, p).split('\\').join('/'));
    expect(first.parsed.sort()).toEqual(files.sort());

    const current = new Map<string, FileStat>();
    for (const rel of files) current.set(rel, statSync(join(corpus, rel)));
    const cached = cache.read(corpus, current);
    expect([...cached.keys()].sort()).toEqual(files);
    for (const rel of files) {
      const fresh = parseIssue(readFileSync(join(corpus, rel)), rel);
      expect(cached.get(rel)?.issue, rel).toStrictEqual(fresh);
    }
    expect((await open(corpus, { cache })).parsed).toEqual([]);
  });
});
