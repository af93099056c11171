import { beforeAll, expect, it } from 'vitest';
import { buildDigest, isWebUrl } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { itemsOf, type Issue } from '../../../src/issue/model.js';
import { renderTelegramDigest, telegramDigestUnits } from '../../../adapters/telegram/render.js';
import { packUnits } from '../../../adapters/telegram/pack.js';
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

  it('GIVEN every issue in both modes and languages THEN the header packed with the items takes no more messages than the header alone did, and fewer in all', () => {
    let before = 0;
    let after = 0;
    for (const issue of issues) {
      for (const mode of ['full', 'compact'] as const) {
        for (const language of ['zh', 'en'] as const) {
          const units = telegramDigestUnits(buildDigest(issue, mode), language);
          const alone = packUnits(units.map((u, i) => (i === 0 ? { ...u, alone: true } : u))).length;
          const packed = renderTelegramDigest(buildDigest(issue, mode), language).length;
          expect(packed, `${issue.file} ${mode} ${language}`).toBeLessThanOrEqual(alone);
          before += alone;
          after += packed;
        }
      }
    }
    expect(after).toBeLessThan(before);
    console.log(`[telegram] messages for 96 issues x 2 modes x 2 languages: header alone ${before}, packed ${after}`);
  });
});
