/**
 * What the repository ships in `issues/` and what the tests read instead (issue 17):
 * `issues/` holds the real seed issue only; the invented issues live in test/fixtures/issues/sample,
 * say they are invented, and link only to reserved example domains, so no rendering of them can
 * pass for real news. `issues/` is the operator's folder: this file reads what git HEAD ships,
 * never the working folder (an operator who replaces issues/ keeps npm test green).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../adapters/cli/index.js';
import { parseIssue } from '../src/issue/parse.js';
import { itemsOf } from '../src/issue/model.js';
import { folderWithDotEnv, memoryIo } from './adapters/cli/memory-io.js';
import { sampleIssuesDir, seedIssuePath } from './support/corpus.js';
import { isReservedHost, urlsIn } from './support/fixture-provenance.js';

const repoRoot = resolve(import.meta.dirname, '..');
const SEED_FILE = 'AI简报20210814.md';
const INVENTED = ['AI 简报20201009.md', 'AI简报20260901.md', 'AI简报20261120.md'];

/** The files under issues/ in git HEAD, by name, with their bytes; null when this is not a git checkout. */
function shippedIssues(): Map<string, Buffer> | null {
  const git = (...args: string[]) => execFileSync('git', ['-C', repoRoot, ...args], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const names = git('ls-tree', '-r', '-z', '--name-only', 'HEAD', '--', 'issues/').toString('utf8').split('\0').filter(Boolean);
    return new Map(names.map((path) => [path.slice('issues/'.length), git('show', `HEAD:${path}`)]));
  } catch {
    return null;
  }
}

const shipped = shippedIssues();
const seed = readFileSync(seedIssuePath);
const shipsSeed = shipped !== null && [...shipped.values()].some((bytes) => bytes.equals(seed));
const describeShipped = shipsSeed ? describe : describe.skip;
if (!shipsSeed) {
  console.warn(`[shipped-issues] skipping the issues/ check: ${shipped ? 'issues/ at git HEAD no longer holds the seed issue (an operator folder)' : 'not a git checkout'}`);
}

describeShipped('issues/ as the repository ships it (git HEAD)', () => {
  it('GIVEN the shipped issues/ THEN every URL in its Markdown files appears in the seed issue', () => {
    const seedUrls = new Set(urlsIn(seed.toString('utf8')));
    const markdown = [...shipped!.entries()].filter(([name]) => name.endsWith('.md'));
    expect(markdown.length).toBeGreaterThan(0);
    for (const [name, bytes] of markdown) {
      const foreign = urlsIn(bytes.toString('utf8')).filter((url) => !seedUrls.has(url));
      expect(foreign, name).toEqual([]);
    }
  });

  it('GIVEN the shipped issues/ THEN it holds the seed issue only, and the test copy is byte-identical to it', () => {
    expect([...shipped!.keys()]).toEqual([SEED_FILE]);
    expect(shipped!.get(SEED_FILE)?.equals(seed)).toBe(true);
  });
});

describe('the invented sample issues (test/fixtures/issues/sample)', () => {
  const files = readdirSync(sampleIssuesDir).filter((name) => name.endsWith('.md')).sort();

  it('GIVEN the sample folder THEN it holds the seed copy and the three invented issues', () => {
    expect(files).toEqual([...INVENTED, SEED_FILE].sort());
  });

  it.each(INVENTED)('GIVEN %s THEN it says it is invented and every URL in it is on a reserved example domain', (name) => {
    const text = readFileSync(join(sampleIssuesDir, name), 'utf8');
    expect(text).toContain('invented for tests');
    const urls = urlsIn(text);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !isReservedHost(url))).toEqual([]);
    // What the parser takes out of it (items' urls, links, images) is on those domains too.
    const issue = parseIssue(text, name);
    const parsed = itemsOf(issue).flatMap(({ item }) => [item.url, item.image, ...item.links.map((l) => l.url)]).filter((u): u is string => !!u);
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.filter((url) => !isReservedHost(url))).toEqual([]);
  });

  it('GIVEN a "Github:" cue THEN the real GitHub host is labelled GitHub and the example stand-in is labelled by its host', () => {
    // Link labels depend on the host (src/issue/links.ts): moving the invented links to example
    // domains turned their "GitHub" labels into "链接"; the real host stays covered by the seed.
    const seedIssue = parseIssue(seed, SEED_FILE);
    const seedLinks = itemsOf(seedIssue).flatMap(({ item }) => item.links);
    expect(seedLinks).toContainEqual({ label: 'GitHub', url: 'https://github.com/JiaquanYe/TableMASTER-mmocr' });
    const invented = parseIssue(readFileSync(join(sampleIssuesDir, 'AI简报20261120.md')), 'AI简报20261120.md');
    const inventedLinks = itemsOf(invented).flatMap(({ item }) => item.links);
    expect(inventedLinks).toContainEqual({ label: '链接', url: 'https://github.example.com/npu-infer/npu-infer' });
  });
});

describe('issues/ replaced by another newsletter', () => {
  it('GIVEN a working folder whose ./issues holds other files THEN the CLI lists and renders those, with nothing of the seed', async () => {
    const cwd = folderWithDotEnv([]);
    cpSync(join(repoRoot, 'test/fixtures/issues/shapes'), join(cwd, 'issues'), { recursive: true });
    const list = memoryIo({}, cwd);
    expect(await runCli(['list', '--json'], list)).toBe(0);
    const ids = (JSON.parse(list.out()) as Array<{ id: string }>).map((row) => row.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('20210814');
    const render = memoryIo({}, cwd);
    expect(await runCli(['render', 'latest', '--platform', 'shell'], render)).toBe(0);
    expect(render.err()).toMatch(new RegExp(`^newsbot render: ${ids.at(-1)} `));
    expect(render.out()).not.toContain('Mobile-Former');
  });
});
