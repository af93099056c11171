import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/digest.js';
import { itemsOf } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library/library.js';
import { sampleIssuesDir } from '../support/corpus.js';
import { runShell } from '../support/run-shell.js';

const repoRoot = resolve(import.meta.dirname, '../..');
/** tsx's loader and the entry by absolute path, so the entry can run from any working folder. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const ENTRY = join(repoRoot, 'adapters/main.ts');

/**
 * The environment of a fresh shell: no tokens, a throwaway database, and the developer's own
 * `.env` in the repository never read (NEWSBOT_ENV_FILE=off).
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), NEWSBOT_ENV_FILE: 'off' };
  return { ...env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'newsbot-main-')), 'newsbot.db'), ...extra };
}

/** A fresh folder holding `files` (name → lines). */
function folder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-main-cwd-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

const run = (command: string, env: NodeJS.ProcessEnv, cwd = repoRoot) => runShell(command, env, cwd);

describe('npm start', () => {
  it('GIVEN commands piped into npm start with no token THEN the shell chat answers them all and exits 0', async () => {
    const library = await IssueLibrary.open(sampleIssuesDir, { watch: false });
    const latest = library.latest();
    const seed = library.get('20210814');
    await library.close();
    if (!latest || !seed) throw new Error('the sample fixtures hold the seed issue');
    const nerfItem = itemsOf(seed).find(({ item }) => /nerf/i.test(`${item.title} ${item.summary}`));
    if (!nerfItem) throw new Error('the seed issue mentions NeRF');
    const seedFirstItem = buildDigest(seed, 'full').sections[0]?.items[0]?.title ?? '';

    const result = await run(`printf '/latest\\n/search nerf\\n/issue 20210814\\n/issue 19990101\\n' | npm start`, cleanEnv({ ISSUES_DIR: sampleIssuesDir }));

    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    const at = {
      latest: out.indexOf(`${latest.date} · `),
      nerf: out.indexOf(nerfItem.item.title.slice(0, 20)),
      missing: out.indexOf('没有 `19990101` 这一期'),
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

  it("GIVEN the operator's issues/ as it is (whatever it holds) WHEN /latest is piped into npm start THEN the newest issue there is shown", async () => {
    // The one test that reads the live issues/ folder: the out-of-the-box smoke test. It asks the
    // folder what is newest, so an operator who replaces issues/ keeps npm test green.
    const library = await IssueLibrary.open(join(repoRoot, 'issues'), { watch: false });
    const latest = library.latest();
    await library.close();
    const result = await run(`printf '/latest\\n' | npm start`, cleanEnv());
    expect(result.code, result.stderr).toBe(0);
    if (latest) {
      expect(result.stdout).toContain(`${latest.date} · `);
      expect(result.stdout).toContain(buildDigest(latest, 'full').title);
    } else {
      expect(result.stdout).toContain('简报库里还没有任何一期');
    }
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

  it('GIVEN a .env in the working folder THEN the entry reads it, and a variable set in the environment wins over it', async () => {
    const cwd = folder({ '.env': ['DEFAULT_LANGUAGE=en', `ISSUES_DIR=${sampleIssuesDir}`, 'DEFAULT_TIMEZONE=Mars/Base'] });
    const { NEWSBOT_ENV_FILE: _off, ...env } = cleanEnv({ DEFAULT_TIMEZONE: 'UTC' });
    const result = await run(`printf '/issue 19990101\\n' | '${process.execPath}' --import '${TSX}' '${ENTRY}'`, env, cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('There is no issue `19990101`');
  });

  it('GIVEN NEWSBOT_ENV_FILE=off THEN a .env with a bad value in the working folder does not affect the entry', async () => {
    const cwd = folder({ '.env': ['DEFAULT_LANGUAGE=fr', 'TELEGRAM_BOT_TOKEN=123456:must-not-be-used'] });
    const result = await run(`printf '/issue 19990101\\n' | '${process.execPath}' --import '${TSX}' '${ENTRY}'`, cleanEnv({ ISSUES_DIR: sampleIssuesDir }), cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('没有 `19990101` 这一期');
  });

  it('GIVEN a token only in the env file and a start that fails THEN the failure is logged and printed with the token redacted', async () => {
    const token = '123456789:AAFakeDotEnvTokenNeverPrinted';
    const missing = join(mkdtempSync(join(tmpdir(), 'newsbot-main-missing-')), token);
    // The API root is a closed local port: nothing could ever reach Telegram.
    const envFile = join(folder({ 'bot.env': [`TELEGRAM_BOT_TOKEN=${token}`, 'TELEGRAM_API_ROOT=http://127.0.0.1:9', `ISSUES_DIR=${missing}`] }), 'bot.env');
    const result = await run('npm start --silent', cleanEnv({ NEWSBOT_ENV_FILE: envFile }));
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).not.toContain(token);
    const lines = result.stderr.trim().split('\n');
    // The IssueFileError is logged (at warn, with its family and folder), then said in one line.
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 40, family: 'issue', method: 'start', file: missing.replace(token, '[redacted]') });
    expect(lines[1]).toBe(`newsbot: issues folder not found: ${missing.replace(token, '[redacted]')}`);
    expect(lines).toHaveLength(2);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('GIVEN the shell waiting for input WHEN %s arrives THEN it stops gracefully and exits 0', async (signal) => {
    // One process (node with tsx's loader), so the signal reaches our handler directly rather than
    // through tsx's relay, whose 30 ms hand-off is at the mercy of a loaded machine.
    const child = spawn(process.execPath, ['--import', TSX, ENTRY], { cwd: repoRoot, env: cleanEnv({ ISSUES_DIR: sampleIssuesDir }), stdio: ['pipe', 'pipe', 'pipe'] });
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
