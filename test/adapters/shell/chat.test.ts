import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShellChat, shellChatAdapter } from '../../../adapters/shell/chat.js';
import { runApp, type Core } from '../../../src/app.js';
import { openCore } from '../../commands/support.js';

/** A shell chat on in-memory streams, recording what it prints and why it ended. */
function harness(core: Core, terminal = false) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const ends: string[] = [];
  const chat = createShellChat({ input, output, router: core.router, terminal, onEnd: (reason) => ends.push(reason) });
  return { input, chat, ends, printed: () => printed };
}

describe('shell chat, piped input', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN commands piped in THEN each reply is printed in input order and the chat ends at end of input', async () => {
    const { input, chat, ends, printed } = harness(core);
    await chat.start();
    input.end('/latest\n/search nerf\n/issue 20210814\n/issue 19990101\n');
    await chat.finished;
    const out = printed();
    const latest = out.indexOf('2026-08-18');
    const nerf = out.search(/NeRF/i);
    const seed = out.indexOf('Mobile-Former');
    const missing = out.indexOf('没有');
    expect([latest, nerf, seed, missing].every((i) => i >= 0)).toBe(true);
    expect(latest).toBeLessThan(nerf);
    expect(nerf).toBeLessThan(seed);
    expect(seed).toBeLessThan(missing);
    expect(out).toContain('/issue 20201030');
    expect(out).not.toContain('newsbot>');
    expect(ends).toEqual(['end of input']);
  });

  it('GIVEN a bare word THEN it runs as the command of that name', async () => {
    const { input, chat, printed } = harness(core);
    await chat.start();
    input.end('issues 2\n');
    await chat.finished;
    expect(printed()).toContain('20201030');
    expect(printed()).not.toContain('20260818');
  });

  it('GIVEN blank lines and Windows line ends THEN they are skipped and trimmed', async () => {
    const { input, chat, printed } = harness(core);
    await chat.start();
    input.end('\n   \r\n/issue 0814\r\n');
    await chat.finished;
    expect(printed()).toContain('2026-08-14');
    expect(printed()).not.toContain('没有');
  });

  it('GIVEN /quit THEN the chat ends and later lines are not run', async () => {
    const { input, chat, ends, printed } = harness(core);
    await chat.start();
    input.end('/quit\n/latest\n');
    await chat.finished;
    expect(printed()).toBe('');
    expect(ends).toEqual(['quit']);
  });

  it('GIVEN an unknown command or a bare slash THEN a hint to /help is printed', async () => {
    const { input, chat, printed } = harness(core);
    await chat.start();
    input.end('/frob\n/\n');
    await chat.finished;
    expect(printed()).toContain('没有 `/frob` 这个命令');
    expect(printed()).toContain('请以 / 开头输入命令');
  });

  it('GIVEN stop() while input is still open THEN it finishes without calling onEnd', async () => {
    const { input, chat, ends, printed } = harness(core);
    await chat.start();
    input.write('/issue 20210814\n');
    while (!printed().includes('Mobile-Former')) await new Promise((r) => setImmediate(r));
    await chat.stop();
    expect(ends).toEqual([]);
  });
});

describe('shell chat, terminal', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((r) => setImmediate(r));
  };

  it('GIVEN a terminal THEN it greets, prompts, recalls history with the up arrow and leaves on Ctrl-D', async () => {
    const { input, chat, ends, printed } = harness(core, true);
    await chat.start();
    await until(() => printed().includes('newsbot> '));
    expect(printed()).toContain('/help');
    input.write('/issue 0814\r');
    const count = (text: string) => printed().split(text).length - 1;
    await until(() => count('2026-08-14 · ') === 1 && count('newsbot> ') === 2);
    input.write('\u001b[A\r'); // up arrow: the previous command, then Enter
    await until(() => count('2026-08-14 · ') === 2 && count('newsbot> ') >= 3);
    input.write('\u0004'); // Ctrl-D on an empty line
    await chat.finished;
    expect(ends).toEqual(['end of input']);
  });

  it('GIVEN Ctrl-C THEN the chat ends', async () => {
    const { input, chat, ends } = harness(core, true);
    await chat.start();
    input.write('\u0003');
    await chat.finished;
    expect(ends).toEqual(['end of input']);
  });
});

describe('shell chat in the app', () => {
  it('GIVEN the app runs the shell THEN end of input stops the app', async () => {
    const core = await openCore();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const app = await runApp(core, [shellChatAdapter({ input, output })]);
    input.end('/latest\n');
    await app.stopped;
    expect(printed).toContain('2026-08-18');
  });
});
