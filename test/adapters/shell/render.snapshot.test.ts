import { expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { renderShellDigest } from '../../../adapters/shell/render.js';
import { seedIssuePath } from '../../support/corpus.js';

it('GIVEN the seed issue THEN the terminal text reads as the snapshot shows', async () => {
  const issue = await parseIssueFile(seedIssuePath);
  const text = ['full', 'compact'].map((mode) => renderShellDigest(buildDigest(issue, mode as 'full' | 'compact'), 'zh', { width: 80 })).join('\n────────\n\n');
  await expect(text).toMatchFileSnapshot('./snapshots/seed-issue.txt');
});
