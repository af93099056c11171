/**
 * `npm run bench -- messages`: how many messages each issue of the corpus (or the seed issue when
 * the corpus is absent) becomes, per platform and mode, in both languages. One JSON line per
 * platform × mode: issues, total messages, messages per issue, how many issues fit in one message.
 * Not a timing: run it before and after a renderer change and compare.
 */
import { renderDiscordDigest } from '../adapters/discord/render.js';
import { renderTelegramDigest } from '../adapters/telegram/render.js';
import { buildDigest, type Digest, type DigestMode } from '../src/digest/digest.js';
import type { Language } from '../src/i18n/language.js';
import type { Issue } from '../src/issue/model.js';
import { archiveIssues } from './archive.js';

async function issues(): Promise<{ from: string; issues: Issue[] }> {
  const archive = await archiveIssues();
  return { from: archive.from, issues: archive.issues.filter((i) => i.sections.length > 0) };
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
