/**
 * The readers' choices on Discord, end to end (real discord.js, fake Discord, real core, real
 * the delivery facade on a SQLite file): /sections refused for a member and set by a Manage Server admin,
 * its setting autocompleted, and /follow saved.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { discord, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { createCore, deliveryService, runApp, type RunningApp } from '../../../src/app.js';
import type { Delivery } from '../../../src/delivery/delivery.js';
import { createLogger } from '../../../src/log.js';
import { DEFAULT_MEMBER_PERMISSIONS, PERMISSIONS, startFakeDiscord, type FakeDiscord, type Json } from '../../fakes/discord-api.js';
import { sampleIssuesDir } from '../../support/corpus.js';
import { answerTo, TEST_CLIENT_OPTIONS, visibleText, type Answer } from './bot-support.js';

let fake: FakeDiscord;
let app: RunningApp;
let delivery: Delivery;
let root: string;

async function interact(payload: Json): Promise<Answer> {
  fake.dispatchInteraction(payload);
  await fake.waitFor((r) => r.params.interaction === payload.id);
  await (app.adapters[0] as DiscordAdapter).idle();
  return answerTo(fake, payload);
}
const shown = (answer: Answer) => answer.messages.map(visibleText).join('\n');
const ADMIN = { memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild, locale: 'en-US' };
const MEMBER = { memberPermissions: DEFAULT_MEMBER_PERMISSIONS, locale: 'en-US' };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'newsbot-discord-readers-'));
  const issues = join(root, 'issues');
  mkdirSync(issues);
  for (const f of ['AI简报20210814.md', 'AI 简报20201009.md']) copyFileSync(join(sampleIssuesDir, f), join(issues, f));
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  const logger = createLogger({ level: 'silent', secrets: [] });
  const config = loadPlatformConfig({
    ISSUES_DIR: issues,
    ISSUE_CACHE_PATH: 'off',
    DATABASE_PATH: join(root, 'newsbot.db'),
    DISCORD_TOKEN: fake.token,
    DISCORD_APP_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    LOG_LEVEL: 'silent',
  });
  const core = await createCore(config, logger, { watch: false, delivery: { open: true, platforms: ['discord'] } });
  if (!core.delivery) throw new Error('delivery was asked for');
  delivery = core.delivery;
  app = await runApp(core, [discord.chatAdapter({ clientOptions: TEST_CLIENT_OPTIONS })], [deliveryService(delivery)]);
}, 60_000);

afterAll(async () => {
  await app?.stop('test over');
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('readers on Discord', () => {
  it('GIVEN a member THEN /sections only is refused; GIVEN a Manage Server admin THEN it is saved; the setting autocompletes from recent sections', async () => {
    const refused = await interact(fake.chatInput('sections', { setting: 'only 有趣' }, MEMBER));
    expect(shown(refused)).toContain('Only chat admins can use `/sections`.');
    const payload = fake.chatInput('sections', { setting: 'only 有趣' }, ADMIN);
    const saved = await interact(payload);
    expect(shown(saved)).toContain('This chat receives only: `有趣的开源项目`.');
    const filter = await delivery.choices.sectionFilter('discord', String(payload.channel_id));
    expect(filter).toMatchObject({ kind: 'only', names: ['有趣的开源项目'] });

    const choices = (await interact(fake.autocomplete('sections', { setting: 'skip 其' }, 'setting'))).choices;
    expect(choices).toEqual([{ name: 'skip 其他', value: 'skip 其他' }]);
    const first = (await interact(fake.autocomplete('sections', { setting: '' }, 'setting'))).choices;
    expect(first[0]).toEqual({ name: 'all', value: 'all' });
    expect(first.length).toBeLessThanOrEqual(25);
  }, 60_000);

  it('GIVEN /follow words:nerf from an admin THEN it is saved and /following lists it', async () => {
    const saved = await interact(fake.chatInput('follow', { words: 'nerf' }, ADMIN));
    expect(shown(saved)).toContain('Following `nerf`');
    const listed = await interact(fake.chatInput('following', {}, MEMBER));
    expect(shown(listed)).toContain('1. `nerf`');
  }, 60_000);
});
