import { expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { renderDiscordDigest } from '../../../adapters/discord/render.js';
import { seedIssuePath } from '../../support/corpus.js';
import { problems } from './render-support.js';

it('GIVEN the seed issue THEN its Discord payloads are as the snapshot shows (the JSON sent)', async () => {
  const issue = await parseIssueFile(seedIssuePath);
  const payloads = {
    full: renderDiscordDigest(buildDigest(issue, 'full', { webUrl: 'https://news.example/issues/20210814' }), 'zh'),
    compact: renderDiscordDigest(buildDigest(issue, 'compact'), 'zh'),
  };
  expect(problems([...payloads.full, ...payloads.compact])).toEqual([]);
  await expect(`${JSON.stringify(payloads, null, 2)}\n`).toMatchFileSnapshot('./snapshots/seed-issue.json');
});
