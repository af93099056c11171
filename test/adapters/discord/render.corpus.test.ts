import { beforeAll, expect, it } from 'vitest';
import { buildDigest, isWebUrl } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { itemsOf, type Issue } from '../../../src/issue/model.js';
import { renderDiscordDigest } from '../../../adapters/discord/render.js';
import { corpusFiles, describeCorpus } from '../../support/corpus.js';
import { normalUrl, problems, urls as urlsIn } from './render-support.js';

describeCorpus('Discord rendering of every corpus issue', (dir) => {
  let issues: Issue[] = [];
  beforeAll(async () => {
    issues = await Promise.all(corpusFiles().map((file) => parseIssueFile(file, dir)));
  });

  it('GIVEN all 96 issues in both modes and languages THEN every message validates and every item url is there', () => {
    expect(issues).toHaveLength(96);
    const counts: string[] = [];
    for (const issue of issues) {
      const urls = itemsOf(issue).map((e) => e.item.url).filter(isWebUrl);
      const perMode: number[] = [];
      for (const mode of ['full', 'compact'] as const) {
        for (const language of ['zh', 'en'] as const) {
          const messages = renderDiscordDigest(buildDigest(issue, mode), language);
          expect(problems(messages), `${issue.file} ${mode} ${language}`).toEqual([]);
          const linked = urlsIn(messages);
          expect(urls.filter((u) => !linked.has(normalUrl(u))), `${issue.file} ${mode}`).toEqual([]);
          if (language === 'zh') perMode.push(messages.length);
        }
      }
      counts.push(`${issue.id} items=${itemsOf(issue).length} full=${perMode[0]} compact=${perMode[1]}`);
    }
    console.log(`[discord] messages per issue (header included):\n${counts.join('\n')}`);
  });
});
