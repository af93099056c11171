/**
 * The Discord adapter as a whole: its DeliveryPort posting to a channel, its connection logging,
 * a clean shutdown (a separate process must exit on its own), and the real entry
 * (`adapters/main.ts`) started with Discord settings, answering /latest and stopping on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/digest.js';
import { itemsOf } from '../../../src/issue/model.js';
import { IssueLibrary } from '../../../src/library/library.js';
import { DEFAULT_MEMBER_PERMISSIONS, FAKE_DISCORD, PERMISSIONS, startFakeDiscord, type Json } from '../../fakes/discord-api.js';
import { checkApplicationCommands } from '../../validators/discord-commands.js';
import { checkDiscordMessage } from '../../validators/discord-payload.js';
import { answerTo, issuesFolder, startHarness } from './bot-support.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** Runs a node process to its end; a liveness guard (not a timing assertion) kills a hung one. */
function runNode(args: string[], env: NodeJS.ProcessEnv, onOutput?: (all: string) => void): { exited: Promise<{ code: number | null; output: string }>; kill(signal: NodeJS.Signals): void } {
  // NEWSBOT_ENV_FILE=off: the developer's .env (a real token) must never reach this process.
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...env, NEWSBOT_ENV_FILE: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString('utf8');
    onOutput?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; output: string }>((done) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, output });
    });
  });
  return { exited, kill: (signal) => child.kill(signal) };
}

describe('Discord adapter', () => {
  it('GIVEN its DeliveryPort and a digest THEN every message is posted to the channel, valid, with mentions off', async () => {
    const h = await startHarness();
    try {
      const delivery = h.adapter.delivery;
      const latest = h.core.library.latest()!;
      const messages = delivery.renderDigest(buildDigest(latest, 'full'), 'zh');
      const chat = { platform: 'discord' as const, chatId: FAKE_DISCORD.channelId, threadId: null };
      const outcomes = [];
      for (const message of messages) outcomes.push(await delivery.send(chat, message));
      expect(delivery.platform).toBe('discord');
      expect(outcomes.map((o) => o.kind)).toEqual(messages.map(() => 'sent'));
      const posted = h.fake.requests('POST /channels/:channel/messages');
      expect(posted).toHaveLength(messages.length);
      for (const r of posted) {
        expect(checkDiscordMessage(r.body)).toEqual([]);
        expect((r.body as Json).allowed_mentions).toEqual({ parse: [] });
      }
      const embeds = posted.flatMap((r) => ((r.body as Json).embeds ?? []) as Json[]);
      expect(embeds.map((e) => e.url)).toEqual(itemsOf(latest).map(({ item }) => item.url ?? undefined));
      expect(String((posted[0]?.body as Json).content)).toContain(latest.date);
    } finally {
      await h.close();
    }
  });

  it('GIVEN the gateway connection drops THEN the reconnect and resume are logged and the bot answers again', async () => {
    const h = await startHarness();
    try {
      h.fake.gateway.drop(4000);
      await h.fake.gateway.waitFor(6); // the client RESUMEs on a new connection
      while (!h.logs.some((l) => l.msg === 'discord: gateway session resumed')) await new Promise((r) => setTimeout(r, 20));
      expect(h.logs.some((l) => l.msg === 'discord: gateway reconnecting')).toBe(true);
      const answer = await h.interact(h.fake.chatInput('search', { query: 'nerf' }));
      expect(answer.messages).toHaveLength(1);
      expect(JSON.stringify(h.logs)).not.toContain(h.fake.token);
    } finally {
      await h.close();
    }
  });

  it.each([
    [4004, 'authentication failed'],
    [4014, 'disallowed intents'],
  ])('GIVEN the gateway closes with %i (%s) after start THEN the error is reported once and the app is asked to stop', async (code, meaning) => {
    const h = await startHarness();
    try {
      h.fake.gateway.drop(code);
      // Without the fatal handling the app would keep running with Discord gone: this never resolves.
      await h.app.stopped;
      const reported = h.logs.filter((l) => l.closeCode === code);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({ family: 'platform', platform: 'discord', method: 'gateway', msg: expect.stringContaining(meaning) });
      expect(h.logs.find((l) => l.msg === 'stopping')?.reason).toEqual(expect.stringContaining(`discord: Discord closed the gateway with ${code}`));
      expect(h.adapter.client).toBeNull();
      expect(JSON.stringify(h.logs)).not.toContain(h.fake.token);
    } finally {
      await h.close();
    }
  });

  it('GIVEN Discord refuses IDENTIFY with 4014 THEN starting fails with that reason instead of waiting for the ready timeout', async () => {
    // A ready timeout far beyond the test's own: only the fatal close can end the start in time.
    const starting = startHarness({ fake: { identifyCloseCode: 4014 }, adapter: { readyTimeoutMs: 120_000 } });
    await expect(starting).rejects.toThrow(/closed the gateway with 4014: disallowed intents/);
  });

  it('GIVEN answers given and the app stopped and the fake closed THEN the process exits on its own', async () => {
    const probe = resolve(import.meta.dirname, 'shutdown.probe.ts');
    const { code, output } = await runNode(['--import', 'tsx', probe], { ...process.env, LOG_LEVEL: 'silent' }).exited;
    expect(output).toContain('probe: closed');
    expect(output).toContain('probe: client released');
    expect(output).not.toContain('still alive');
    expect(code, output).toBe(0);
  });

  it('GIVEN the real entry with Discord settings THEN it registers, answers /latest, posts a broadcast to a subscribed channel and exits 0 on SIGTERM', async () => {
    const fake = await startFakeDiscord();
    const issues = issuesFolder();
    try {
      const library = await IssueLibrary.open(issues, { watch: false });
      const latest = library.latest()!;
      await library.close();
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME ?? tmpdir(),
        ISSUES_DIR: issues,
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'newsbot-discord-main-')), 'newsbot.db'),
        DISCORD_TOKEN: fake.token,
        DISCORD_APP_ID: fake.applicationId,
        DISCORD_API_BASE: fake.apiBase,
        OWNER_IDS: `discord:${FAKE_DISCORD.userId}`,
        // The ops HTTP server: any free port of the loopback, so parallel tests never collide.
        PORT: '0',
        HTTP_HOST: '127.0.0.1',
      };
      let started!: () => void;
      const ready = new Promise<void>((r) => (started = r));
      const child = runNode(['--import', 'tsx', 'adapters/main.ts'], env, (all) => {
        if (all.includes('"msg":"adapter started"')) started();
      });
      await Promise.race([ready, child.exited]);

      // Registration: the readers' and delivery's commands, valid, the admin ones behind Manage Server.
      const registered = fake.requests('PUT /applications/:app/commands')[0]?.body as Json[];
      expect(checkApplicationCommands(registered)).toEqual([]);
      const admin = registered.filter((c) => c.default_member_permissions !== undefined && c.default_member_permissions !== null);
      expect(admin.map((c) => c.name)).toEqual(expect.arrayContaining(['subscribe', 'broadcast']));
      expect(new Set(admin.map((c) => c.default_member_permissions))).toEqual(new Set([PERMISSIONS.ManageGuild.toString()]));
      expect(admin.map((c) => c.name)).not.toContain('latest');

      const answered = (payload: Json) => fake.waitFor((r) => r.route === 'PATCH /webhooks/:app/:token/messages/@original' && r.params.token === payload.token, 20_000);
      const asAdmin = { memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild };
      const subscribe = fake.dispatchInteraction(fake.chatInput('subscribe', {}, asAdmin));
      expect(checkDiscordMessage((await answered(subscribe)).body, { edit: true })).toEqual([]);
      const broadcast = fake.dispatchInteraction(fake.chatInput('broadcast', { issue: latest.id }, asAdmin));
      await answered(broadcast);
      // The outbox posts the issue to the subscribed channel through the adapter's DeliveryPort.
      const postedEmbeds = () => fake.channelMessages().flatMap((m) => (m.embeds ?? []) as Json[]);
      for (let i = 0; i < 400 && postedEmbeds().length < itemsOf(latest).length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(postedEmbeds().map((e) => e.url)).toEqual(itemsOf(latest).map(({ item }) => item.url ?? undefined));

      const interaction = fake.dispatchInteraction(fake.chatInput('latest'));
      await answered(interaction);
      // Stopping finishes the answer in progress, so every follow-up is in before the process ends.
      child.kill('SIGTERM');
      const { code, output } = await child.exited;
      expect(code, output).toBe(0);
      expect(output).toContain('"reason":"SIGTERM"');
      expect(output).not.toContain(fake.token);

      const answer = answerTo(fake, interaction);
      expect(answer.callbackType).toBe(5);
      expect(answer.messages[0]?.body.content).toContain(latest.date);
      expect(answer.messages.flatMap((m) => (m.body.embeds ?? []) as Json[])).toHaveLength(itemsOf(latest).length);
    } finally {
      await fake.close();
    }
  });
});
