/** `newsbot` itself: the command list of `--help`, and one-line failures with no secret in them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import type { CliCommand } from '../../../adapters/cli/io.js';
import { folderWithDotEnv, memoryIo } from './memory-io.js';

const MODULES: Record<string, () => Promise<{ command: CliCommand }>> = {
  deliver: () => import('../../../adapters/cli/deliver.js'),
  deliveries: () => import('../../../adapters/cli/deliveries.js'),
  list: () => import('../../../adapters/cli/list.js'),
  parse: () => import('../../../adapters/cli/parse.js'),
  render: () => import('../../../adapters/cli/render.js'),
  search: () => import('../../../adapters/cli/search.js'),
  shell: () => import('../../../adapters/cli/shell.js'),
  subscriptions: () => import('../../../adapters/cli/subscriptions.js'),
  migrate: () => import('../../../adapters/cli/migrate.js'),
  export: () => import('../../../adapters/cli/export.js'),
  import: () => import('../../../adapters/cli/import.js'),
};

describe('newsbot', () => {
  it('GIVEN --help THEN every command is listed with its one-line summary', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    const lines = io.out().split('\n');
    for (const [name, load] of Object.entries(MODULES)) {
      const { summary } = (await load()).command;
      expect(lines.filter((line) => new RegExp(`^  ${name} +${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(line)), name).toHaveLength(1);
    }
    expect(lines.filter((line) => /^ {2}\S/.test(line))).toHaveLength(Object.keys(MODULES).length);
  });

  it('GIVEN a failure whose message holds a token set only in .env THEN the one line printed has it redacted', async () => {
    const token = '123456789:AAFakeDotEnvTokenNeverPrinted';
    const cwd = folderWithDotEnv([`TELEGRAM_BOT_TOKEN=${token}`]);
    const missing = join(mkdtempSync(join(tmpdir(), 'newsbot-cli-missing-')), token);
    const io = memoryIo({}, cwd);
    expect(await runCli(['list', '--dir', missing], io)).toBe(1);
    expect(io.err()).toBe(`newsbot list: issues folder not found: ${missing.replace(token, '[redacted]')}\n`);
    expect(io.out() + io.err()).not.toContain(token);
  });
});
