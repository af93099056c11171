/**
 * Locates the real newsletter archive (`../shared/corpus`, or `NEWSBOT_CORPUS`). Corpus tests
 * use `describeCorpus`, which skips with a visible message when the folder is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Absolute path of the corpus folder, or null when it is not there. */
export const corpusDir: string | null = (() => {
  const dir = process.env.NEWSBOT_CORPUS ? resolve(process.env.NEWSBOT_CORPUS) : resolve(repoRoot, '../shared/corpus');
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
})();

/**
 * The issues the tests read instead of the operator's `issues/` folder: a byte-identical copy of
 * the seed issue (20210814, real) and three issues invented for tests (20201009, 20260901,
 * 20261120), each saying so in its text, with every link on a reserved example domain.
 */
export const sampleIssuesDir = join(repoRoot, 'test', 'fixtures', 'issues', 'sample');

/** The seed issue, as shipped in `issues/` (a copy under test/fixtures, so tests own it). */
export const seedIssuePath = join(sampleIssuesDir, 'AI简报20210814.md');

/** Every Markdown file of the corpus, sorted; empty when the corpus is absent. */
export function corpusFiles(): string[] {
  if (!corpusDir) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md') && name !== 'README.md') out.push(p);
    }
  };
  walk(corpusDir);
  return out;
}

/** `describe` over the corpus, or a visibly skipped block naming why. */
export function describeCorpus(name: string, body: (dir: string) => void): void {
  if (corpusDir) {
    const dir = corpusDir;
    describe(name, () => body(dir));
  } else {
    console.warn(`[corpus] skipping "${name}": no corpus at ../shared/corpus (set NEWSBOT_CORPUS to its folder)`);
    describe.skip(`${name} (skipped: corpus not found; set NEWSBOT_CORPUS)`, () => body(''));
  }
}
