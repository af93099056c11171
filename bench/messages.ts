/**
 * `npm run bench -- messages`: how many messages each issue of the corpus (or the seed issue when
 * the corpus is absent) becomes, per platform and mode, in both languages. One JSON line per
 * platform × mode: issues, total messages, messages per issue, how many issues fit in one message.
 * Not a timing: run it before and after a renderer change and compare.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderDiscordDigest } from '../adapters/discord/render.js';
import { renderTelegramDigest } from '../adapters/telegram/render.js';
import { buildDigest, type Digest, type DigestMode } from '../src/digest/digest.js';
import type { Language } from '../src/i18n/language.js';
import { parseIssueFile } from '../src/issue/parse.js';
import type { Issue } from '../src/issue/model.js';

const repoRoot = resolve(import.meta.dirname, '..');

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md') && name !== 'README.md') out.push(p);
  }
  return out;
}

async function issues(): Promise<{ from: string; issues: Issue[] }> {
  const corpus = process.env.NEWSBOT_CORPUS ? resolve(process.env.NEWSBOT_CORPUS) : resolve(repoRoot, '../shared/corpus');
  let dir = corpus;
  try {
    statSync(corpus);
  } catch {
    dir = join(repoRoot, 'issues');
  }
  const out: Issue[] = [];
  for (const file of markdownFiles(dir)) out.push(await parseIssueFile(file, dir));
  return { from: dir === corpus ? 'corpus' : 'seed', issues: out.filter((i) => i.sections.length > 0) };
}

const RENDERERS: Record<string, (digest: Digest, language: Language) => unknown[]> = {
  telegram: renderTelegramDigest,
  discord: renderDiscordDigest,
};

/** Messages per issue for every platform and mode. */
export async function countMessages(): Promise<Array<Record<string, unknown>>> {
  const { from, issues: all } = await issues();
  const rows: Array<Record<string, unknown>> = [];
  for (const [platform, render] of Object.entries(RENDERERS)) {
    for (const mode of ['full', 'compact'] as DigestMode[]) {
      for (const language of ['zh', 'en'] as Language[]) {
        const counts = all.map((issue) => render(buildDigest(issue, mode, { webUrl: null }), language).length);
        const total = counts.reduce((a, b) => a + b, 0);
        rows.push({
          bench: 'messages',
          from,
          platform,
          mode,
          language,
          issues: counts.length,
          messages: total,
          per_issue: Number((total / Math.max(1, counts.length)).toFixed(3)),
          single: counts.filter((c) => c === 1).length,
          max: Math.max(...counts),
        });
      }
    }
  }
  return rows;
}

export async function run(): Promise<void> {
  for (const row of await countMessages()) console.log(JSON.stringify(row));
}
