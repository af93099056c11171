/** /issue <number>, /issue <date> and /latest through the shell chat, over the public newsletters of ../shared/newsletters. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createShellChat } from '../../../adapters/shell/chat.js';
import type { Core } from '../../../src/app.js';
import { openCore } from '../../commands/support.js';
import { describeNewsletters } from '../../support/newsletters.js';

/** Pipes `lines` into a shell chat and returns what it printed. */
async function chatOutput(core: Core, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const chat = createShellChat({ input, output, router: core.router, terminal: false, onEnd: () => undefined });
  await chat.start();
  input.end(`${lines.join('\n')}\n`);
  await chat.finished;
  return printed;
}

describeNewsletters('shell chat over other newsletters', (dir) => {
  const cores: Core[] = [];
  const open = async (folder: string) => {
    const core = await openCore(join(dir, folder));
    cores.push(core);
    return core;
  };
  afterAll(async () => {
    for (const core of cores) await core.close();
  });

  let ios: Core;
  beforeAll(async () => {
    ios = await open('ios-weekly');
  });

  it.each(['/issue 375', '/issue #375', '/issue 第375期', '/issue 2026-07-20', '/issue 20260720', '/issue 2026.07.20'])(
    'GIVEN 老司机 iOS 周报 WHEN %s THEN issue #375 is shown with its first article',
    async (line) => {
      const out = await chatOutput(ios, [line]);
      expect(out).toContain('老司机 iOS 周报 #375 | 2026-07-20');
      expect(out).toContain('iOS 27 Adds Mac-Like Recovery Mode for iPhone and iPad');
    },
  );

  it('GIVEN the empty template #378 is the newest file WHEN /latest THEN #375 is shown, and /issue 378 finds nothing', async () => {
    const out = await chatOutput(ios, ['/latest']);
    expect(out).toContain('老司机 iOS 周报 #375 | 2026-07-20');
    const missing = await chatOutput(ios, ['/issue 378']);
    expect(missing).not.toContain('#378');
    expect(missing).toContain('/issue 375');
  });

  it('GIVEN GoCN weekly files WHEN /issue 2023-11-25 and /latest THEN the week ending that day is shown with its daily sections', async () => {
    const gocn = await open('gocn-news');
    for (const line of ['/issue 2023-11-25', '/latest']) {
      const out = await chatOutput(gocn, [line]);
      expect(out).toContain('GoCN 每日新闻 (2023-11-19)');
      expect(out).toContain('扩展Kubernetes:使用自定义操作符删除DynamoDB分区');
    }
  });

  it('GIVEN Bitcoin Optech WHEN /issue 419, /issue 2026-08-21 and /latest THEN newsletter #419 is shown', async () => {
    const optech = await open('bitcoin-optech');
    for (const line of ['/issue 419', '/issue 2026-08-21', '/latest']) {
      const out = await chatOutput(optech, [line]);
      expect(out).toContain('Bitcoin Optech Newsletter #419');
      expect(out).toContain('Reorg vulnerability in LND channel closes');
    }
  });
});
