/**
 * The archive the benches read: the AI 简报 corpus (NEWSBOT_CORPUS, default ../shared/corpus), or the
 * shipped issues/ folder when the corpus is not beside the checkout. One place, so every bench
 * reports the same `from` and parses the same files.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Issue } from '../src/issue/model.js';
import { parseIssueFile } from '../src/issue/parse.js';

const repoRoot = resolve(import.meta.dirname, '..');

/** Every Markdown file under `dir` but READMEs, in name order. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return markdownFiles(path);
      return name.endsWith('.md') && name !== 'README.md' ? [path] : [];
    });
}

/** The archive's folder and where it came from ('corpus' or 'seed'). */
export function archiveDir(): { dir: string; from: 'corpus' | 'seed' } {
  const corpus = process.env.NEWSBOT_CORPUS ? resolve(process.env.NEWSBOT_CORPUS) : resolve(repoRoot, '../shared/corpus');
  try {
    statSync(corpus);
    return { dir: corpus, from: 'corpus' };
  } catch {
    return { dir: join(repoRoot, 'issues'), from: 'seed' };
  }
}

/** Every issue of the archive, parsed, in file order. */
export async function archiveIssues(): Promise<{ from: 'corpus' | 'seed'; issues: Issue[] }> {
  const { dir, from } = archiveDir();
  const issues: Issue[] = [];
  for (const file of markdownFiles(dir)) issues.push(await parseIssueFile(file, dir));
  return { from, issues };
}
