import { expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/digest.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { renderTelegramDigest } from '../../../adapters/telegram/render.js';
import { seedIssuePath } from '../../support/corpus.js';
import { problems } from './render-support.js';

it('GIVEN the seed issue THEN its Telegram messages read as the snapshot shows (HTML text, one block per message)', async () => {
  const issue = await parseIssueFile(seedIssuePath);
  const blocks: string[] = [];
  for (const mode of ['full', 'compact'] as const) {
    const messages = renderTelegramDigest(buildDigest(issue, mode, { webUrl: 'https://news.example/issues/20210814' }), 'zh');
    expect(problems(messages)).toEqual([]);
    // One message where one fits: the seed issue (75-character header, 8 items) is one message in either mode.
    expect(messages).toHaveLength(1);
    messages.forEach((m, i) => blocks.push(`===== ${mode} · message ${i + 1}/${messages.length} =====\n${m.text}`));
  }
  await expect(`${blocks.join('\n\n')}\n`).toMatchFileSnapshot('./snapshots/seed-issue.html');
});
