import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest.js';
import { itemsOf } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The environment of a fresh shell: no tokens, no .env-style settings, a throwaway database. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir() };
  return { ...env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'newsbot-main-')), 'newsbot.db'), ...extra };
}

function run(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', command], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm start', () => {
  it('GIVEN commands piped into npm start with no token THEN the shell chat answers them all and exits 0', async () => {
    const library = await IssueLibrary.open(join(repoRoot, 'issues'), { watch: false });
    const latest = library.latest();
    const seed = library.get('20210814');
    await library.close();
    if (!latest || !seed) throw new Error('issues/ must hold the seed issue');
    const nerfItem = itemsOf(seed).find(({ item }) => /nerf/i.test(`${item.title} ${item.summary}`));
    if (!nerfItem) throw new Error('the seed issue mentions NeRF');
    const seedFirstItem = buildDigest(seed, 'full').sections[0]?.items[0]?.title ?? '';

    const result = await run(`printf '/latest\\n/search nerf\\n/issue 20210814\\n/issue 19990101\\n' | npm start`, cleanEnv());

    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    const at = {
      latest: out.indexOf(`${latest.date} · `),
      nerf: out.indexOf(nerfItem.item.title.slice(0, 20)),
      missing: out.indexOf('没有 19990101 这一期'),
    };
    expect(at.latest).toBeGreaterThanOrEqual(0);
    expect(at.nerf).toBeGreaterThan(at.latest);
    // The seed issue is printed after the search results, whatever /latest showed.
    expect(out.indexOf(seedFirstItem.slice(0, 20), at.nerf)).toBeGreaterThan(at.nerf);
    expect(at.missing).toBeGreaterThan(at.nerf);
    expect(out.slice(at.missing)).toContain('/issue 20210814');
    // The hint goes to stderr, so stdout stays the chat.
    expect(result.stderr).toContain('TELEGRAM_BOT_TOKEN');
    expect(out).not.toContain('TELEGRAM_BOT_TOKEN');
  });

  it('GIVEN a bad configuration value THEN it exits 1 with one line naming the variable, and no token in it', async () => {
    const token = '123456789:AAFakeTokenThatMustNeverBePrinted';
    const result = await run('npm start --silent', cleanEnv({ DEFAULT_TIMEZONE: 'Mars/Base', TELEGRAM_BOT_TOKEN: token }));
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DEFAULT_TIMEZONE=Mars/Base');
    expect(lines[0]).toContain('IANA time zone');
    expect(result.stderr + result.stdout).not.toContain(token);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('GIVEN the shell waiting for input WHEN %s arrives THEN it stops gracefully and exits 0', async (signal) => {
    // One process (node with tsx's loader), so the signal reaches our handler directly rather than
    // through tsx's relay, whose 30 ms hand-off is at the mercy of a loaded machine.
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { cwd: repoRoot, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const started = new Promise<void>((ready) =>
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        if (stderr.includes('adapter started')) ready();
      }),
    );
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await started;
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(stderr).toContain(`"reason":"${signal}"`);
    expect(stderr).toContain('"msg":"stopped"');
    child.stdin.end();
  });
});
