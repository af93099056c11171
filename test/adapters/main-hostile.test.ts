/**
 * `npm start` beside hostile issue files: the seed issue is answered, and each hostile file is
 * reported as a problem naming it, instead of stalling start-up for minutes (issue 11).
 */
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIssueFile } from '../../src/issue/parse.js';
import { runShell } from '../support/run-shell.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const SEED = [join(repoRoot, 'issues/AI简报20210814.md'), resolve(repoRoot, '../shared/seed/000_26a502c93cfc3209.txt')].find((p) => existsSync(p));

/** The four files issue 11 names, each minutes of parsing (or a stack overflow) on the old parser. */
const HOSTILE: Record<string, string> = {
  'hostile-heading.md': `### 标题${'- '.repeat(80_000)}\n`,
  'hostile-quotes.md': `${'>'.repeat(100_000)}\n`,
  'hostile-front-matter.md': `---\n${'k: v\n'.repeat(40_000)}`,
  'hostile-emphasis.md': `${'*a'.repeat(20_000)}\n`,
};

const run = (command: string, env: NodeJS.ProcessEnv) => runShell(command, env, repoRoot);

describe('npm start with hostile issue files', () => {
  it.runIf(SEED)('GIVEN the seed issue beside four hostile files WHEN /issue 20210814 is piped in THEN the seed is answered and each hostile file is reported as a problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbot-hostile-'));
    copyFileSync(SEED as string, join(dir, 'AI简报20210814.md'));
    for (const [name, text] of Object.entries(HOSTILE)) writeFileSync(join(dir, name), text);
    const seed = await parseIssueFile(join(dir, 'AI简报20210814.md'), dir);
    const firstTitle = seed.sections[0]?.items[0]?.title ?? '';
    expect(firstTitle).not.toBe('');

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? tmpdir(),
      NEWSBOT_ENV_FILE: 'off',
      ISSUES_DIR: dir,
      DATABASE_PATH: join(dir, 'data', 'newsbot.db'),
    };
    const result = await run(`printf '/issue 20210814\\n' | npm start --silent`, env);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(firstTitle.slice(0, 20));
    const notServed = result.stderr
      .split('\n')
      .filter((l) => l.includes('issue file not served'))
      .map((l) => JSON.parse(l) as { file: string; problems: string[] });
    for (const name of Object.keys(HOSTILE)) {
      const line = notServed.find((l) => l.file === name);
      expect(line, `${name} reported`).toBeDefined();
      expect(line?.problems.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
