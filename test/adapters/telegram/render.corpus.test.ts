import { beforeAll, expect, it } from 'vitest';
import { buildDigest, isWebUrl } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { itemsOf, type Issue } from '../../../src/issue/model.js';
import { renderTelegramDigest } from '../../../adapters/telegram/render.js';
import { corpusFiles, describeCorpus } from '../../support/corpus.js';
import { hrefs, problems } from './render-support.js';

describeCorpus('Telegram rendering of every corpus issue', (dir) => {
  let issues: Issue[] = [];
  beforeAll(async () => {
    issues = await Promise.all(corpusFiles().map((file) => parseIssueFile(file, dir)));
  });

  it('GIVEN all 96 issues in both modes and languages THEN every message validates and every item url is linked', () => {
    expect(issues).toHaveLength(96);
    const counts: string[] = [];
    for (const issue of issues) {
      const urls = itemsOf(issue).map((e) => e.item.url).filter(isWebUrl);
      const perMode: number[] = [];
      for (const mode of ['full', 'compact'] as const) {
        for (const language of ['zh', 'en'] as const) {
          const messages = renderTelegramDigest(buildDigest(issue, mode), language);
          expect(problems(messages), `${issue.file} ${mode} ${language}`).toEqual([]);
          const linked = new Set(hrefs(messages));
          expect(urls.filter((u) => !linked.has(u)), `${issue.file} ${mode}`).toEqual([]);
          if (language === 'zh') perMode.push(messages.length);
        }
      }
      counts.push(`${issue.id} items=${itemsOf(issue).length} full=${perMode[0]} compact=${perMode[1]}`);
    }
    console.log(`[telegram] messages per issue (header included):\n${counts.join('\n')}`);
  });
});
