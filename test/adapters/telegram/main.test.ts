import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryText } from '../../../src/i18n/delivery.js';
import { IssueLibrary } from '../../../src/library/library.js';
import { sampleIssuesDir } from '../../support/corpus.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { handled } from './bot-support.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

let fake: FakeTelegramApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('npm start with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT', () => {
  it('GIVEN a token and an API root THEN the real entry talks to that server, answers /latest and a channel /subscribe, and stops cleanly on SIGTERM', async () => {
    fake = await startFakeTelegramApi();
    const library = await IssueLibrary.open(sampleIssuesDir, { watch: false });
    const latest = library.latest();
    await library.close();
    if (!latest) throw new Error('the sample fixtures hold issues');

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? tmpdir(),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ISSUES_DIR: sampleIssuesDir,
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'newsbot-telegram-main-')), 'newsbot.db'),
      // The ops HTTP server: any free port of the loopback, so parallel tests never collide.
      PORT: '0',
      HTTP_HOST: '127.0.0.1',
    };
    // One process (node with tsx's loader), so SIGTERM reaches our handler directly (see reports: tsx's relay is flaky).
    // NEWSBOT_ENV_FILE=off: the developer's .env (a real token) must never reach this process.
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { cwd: repoRoot, env: { ...env, NEWSBOT_ENV_FILE: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    const started = new Promise<void>((ready, fail) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        if (stderr.includes('adapter started')) ready();
      });
      child.on('close', (code) => fail(new Error(`exited ${code} before starting: ${stderr}`)));
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    try {
      await started;
      expect(fake.requests.find((r) => r.method === 'getMe')?.token).toBe(fake.token);
      // The ops server listens on the port it logged; ready once the adapter started (and the archive loaded).
      const listening = stderr.split('\n').find((l) => l.includes('"msg":"http server listening"'));
      const port = (JSON.parse(listening ?? '{}') as { port?: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status, { timeout: 10_000 }).toBe(200);

      const command = fake.pushMessage({ chatId: 5005, text: '/latest', languageCode: 'en' });
      await handled(fake, command);
      const digest = fake.sent(5005);
      expect(digest.length).toBeGreaterThan(0);
      expect(digest[0]?.plainText).toContain(latest.date);

      const channel = -1003000000042;
      const subscribe = fake.pushChannelPost({ chatId: channel, text: '/subscribe' });
      await handled(fake, subscribe);
      const [answer] = fake.sent(channel);
      // A channel post comes from the channel's admins, and the default language is zh.
      expect(answer?.plainText).toContain(deliveryText.zh['subscribe.created']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('"reason":"SIGTERM"');
    expect(stderr).toContain('"msg":"stopped"');
    // telegraf confirms the last update on its way out (replies still under way may follow it).
    expect(fake.requests.filter((r) => r.method === 'getUpdates').at(-1)).toMatchObject({ params: { limit: 1 } });
    const secret = fake.token.split(':')[1] ?? '';
    expect(stderr + stdout).not.toContain(secret);
  });
});
