/** `newsbot render`: the exact payloads per platform, and a one-line error for bad input. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { folderWithDotEnv, memoryIo, SAMPLE_ISSUES } from './memory-io.js';
import { checkDiscordMessage } from '../../validators/discord-payload.js';
import { checkSendMessage, checkTelegramHtml } from '../../validators/telegram-html.js';

describe('newsbot render', () => {
  it('GIVEN an id and --platform telegram THEN it prints a JSON array of valid sendMessage parameters', async () => {
    const io = memoryIo({ ISSUE_WEB_URL: 'https://news.example/issues/{id}' });
    expect(await runCli(['render', '20210814', '--platform', 'telegram'], io)).toBe(0);
    const messages = JSON.parse(io.out()) as Array<Record<string, unknown>>;
    // The seed issue fits one message, header included.
    expect(messages.length).toBe(1);
    for (const m of messages) {
      expect(Object.keys(m).sort()).toEqual(['link_preview_options', 'parse_mode', 'text']);
      expect(checkSendMessage({ chat_id: 1, ...m })).toEqual([]);
    }
    const header = checkTelegramHtml(messages[0]?.text as string).plainText;
    expect(header).toContain('2021-08-14 · 共 8 条');
    expect(messages[0]?.text).toContain('<a href="https://news.example/issues/20210814">');
    expect(io.err()).toMatch(/20210814 \(8 items\) → \d+ telegram message\(s\), full, zh/);
  });

  it('GIVEN a file path, --platform discord, compact and English THEN it prints valid Discord payloads', async () => {
    const io = memoryIo();
    expect(await runCli(['render', `${SAMPLE_ISSUES}/AI简报20210814.md`, '--platform', 'discord', '--mode', 'compact', '--lang', 'en'], io)).toBe(0);
    const payloads = JSON.parse(io.out()) as unknown[];
    for (const p of payloads) expect(checkDiscordMessage(p)).toEqual([]);
    expect((payloads[0] as { content: string }).content).toContain('8 items');
    expect(JSON.stringify(payloads)).toContain('[Mobile-Former');
  });

  it('GIVEN --platform shell THEN it prints the terminal text, or a JSON array of it with --json', async () => {
    const io = memoryIo({ ISSUES_DIR: SAMPLE_ISSUES });
    expect(await runCli(['render', '2021-08-14', '--platform', 'shell', '--width', '60'], io)).toBe(0);
    expect(io.out().startsWith('AI简报20210814\n2021-08-14 · 共 8 条\n')).toBe(true);
    const json = memoryIo();
    expect(await runCli(['render', '20210814', '--platform', 'shell', '--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toEqual([expect.stringContaining('━━ AI 前沿 ━━')]);
  });

  it('GIVEN "latest" THEN the newest issue of the folder is rendered', async () => {
    const io = memoryIo();
    expect(await runCli(['render', 'latest', '--platform', 'discord'], io)).toBe(0);
    expect(io.err()).toMatch(/^newsbot render: 20261120 /);
  });

  it.each([
    [['render', '20210814'], '--platform is required: telegram, discord, shell'],
    [['render', '20210814', '--platform', 'icq'], '--platform must be one of telegram, discord, shell, got "icq"'],
    [['render', '20210814', '--platform', 'shell', '--mode', 'huge'], '--mode must be one of full, compact, got "huge"'],
    [['render', '19990101', '--platform', 'shell'], 'no issue "19990101" in'],
    [['render', 'missing/AI简报20210814.md', '--platform', 'shell'], 'file not found: missing/AI简报20210814.md'],
    [['render', '--platform', 'shell'], 'give one issue id or file'],
    [['render', '20210814', '--platform', 'shell', '--dir', 'no/such/dir'], 'issues folder not found'],
  ])('GIVEN bad input %j THEN it prints one line and exits 1', async (argv, message) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(1);
    expect(io.out()).toBe('');
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`newsbot render: ${message}`);
  });

  it('GIVEN DEFAULT_LANGUAGE, DEFAULT_MODE, ISSUES_DIR and ISSUE_WEB_URL in .env THEN render uses them, and --lang wins', async () => {
    const cwd = folderWithDotEnv([
      `ISSUES_DIR=${resolve(import.meta.dirname, '../../..', SAMPLE_ISSUES)}`,
      'DEFAULT_LANGUAGE=en',
      'DEFAULT_MODE=compact',
      'ISSUE_WEB_URL=https://news.example/{id}/page',
    ]);
    const io = memoryIo({}, cwd);
    expect(await runCli(['render', '20210814', '--platform', 'telegram'], io)).toBe(0);
    expect(io.err()).toMatch(/telegram message\(s\), compact, en\n$/);
    expect(io.out()).toContain('https://news.example/20210814/page');
    const flag = memoryIo({}, cwd);
    expect(await runCli(['render', '20210814', '--platform', 'shell', '--lang', 'zh'], flag)).toBe(0);
    expect(flag.err()).toMatch(/for shell, compact, zh\n$/);
  });

  it('GIVEN DEFAULT_LANGUAGE=fr in .env THEN one line names the variable (not a --lang error)', async () => {
    const io = memoryIo({}, folderWithDotEnv(['DEFAULT_LANGUAGE=fr']));
    expect(await runCli(['render', '20210814', '--platform', 'shell'], io)).toBe(1);
    expect(io.err()).toBe('newsbot render: DEFAULT_LANGUAGE=fr is not valid: expected zh or en\n');
  });
});
