/**
 * Set-up for the Discord adapter's end-to-end tests: the real core over real issue files, the real
 * discord.js client started through `runApp`, and the fake Discord. `interact` dispatches an
 * interaction and returns what the reader ends up seeing, rebuilt from the requests the fake got.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientOptions } from 'discord.js';
import { discord, type DiscordAdapter, type DiscordAdapterOptions } from '../../../adapters/discord/index.js';
import { loadPlatformConfig } from '../../../adapters/platforms.js';
import { createCore, runApp, type Core, type RunningApp } from '../../../src/app.js';
import type { CommandModule } from '../../../src/commands/module.js';
import type { HttpRoutes } from '../../../src/ops/http.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type Json, type RecordedRequest } from '../../fakes/discord-api.js';
import { FIXTURE_ISSUES, recordingLogger } from '../../commands/support.js';

/** Thirty synthetic issues of January 2019, each with one NeRF item, so "/search nerf" has many pages. */
export const SYNTHETIC_IDS = Array.from({ length: 30 }, (_, i) => `201901${String(i + 1).padStart(2, '0')}`);

/** The twelve fixture issues plus the synthetic ones, in a fresh folder. */
export function issuesFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-discord-'));
  cpSync(FIXTURE_ISSUES, dir, { recursive: true });
  SYNTHETIC_IDS.forEach((id, i) => {
    const n = i + 1;
    const text = [
      '---',
      `title: 合成测试第 ${n} 期`,
      '---',
      '',
      '# AI 前沿',
      '',
      `## 1. [NeRF 神经辐射场进展 ${n}](https://example.com/nerf/${n}) | 测试源`,
      '',
      `NeRF 方法的第 ${n} 次改进，渲染更快。`,
      '',
      `## 2. [扩散模型 ${n}](https://example.com/diffusion/${n}) | 测试源`,
      '',
      '扩散模型的新结果。',
      '',
    ].join('\n');
    writeFileSync(join(dir, `AI简报${id}.md`), text);
  });
  return dir;
}

/** No 5 s identify wait on reconnects, so tests that reconnect stay quick. */
export const TEST_CLIENT_OPTIONS: Partial<ClientOptions> = {
  ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } as never,
};

export interface Harness {
  fake: FakeDiscord;
  core: Core;
  app: RunningApp;
  adapter: DiscordAdapter;
  /** JSON log lines of the app's logger. */
  logs: Array<Record<string, unknown>>;
  /** Dispatches an interaction and waits until the adapter has answered it. */
  interact(payload: Json): Promise<Answer>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  commands?: CommandModule[];
  fake?: FakeDiscordOptions;
  adapter?: DiscordAdapterOptions;
  issuesDir?: string;
  /** The shared HTTP server's routes (the HTTP interactions endpoint mounts there). */
  http?: HttpRoutes;
}

/** Starts the fake, the core and the app with the Discord adapter; `close()` stops them all. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, ...options.fake });
  const { logger, lines } = recordingLogger();
  const config = loadPlatformConfig({
    ISSUES_DIR: options.issuesDir ?? issuesFolder(),
    LOG_LEVEL: 'debug',
    // Tests must not write the parse cache into the working tree.
    ISSUE_CACHE_PATH: 'off',
    DISCORD_TOKEN: fake.token,
    DISCORD_APP_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    ...options.env,
  });
  const core = await createCore(config, logger, { watch: false, ...(options.commands ? { commands: options.commands } : {}), ...(options.http ? { http: options.http } : {}) });
  let app: RunningApp;
  try {
    app = await runApp(core, [discord.chatAdapter({ clientOptions: TEST_CLIENT_OPTIONS, ...options.adapter })]);
  } catch (err) {
    await fake.close();
    throw err;
  }
  const adapter = app.adapters[0] as DiscordAdapter;
  return {
    fake,
    core,
    app,
    adapter,
    logs: lines,
    async interact(payload) {
      fake.dispatchInteraction(payload);
      await fake.waitFor((r) => r.params.interaction === payload.id);
      await adapter.idle();
      return answerTo(fake, payload);
    },
    async close() {
      await app.stop('test over');
      await fake.close();
    },
  };
}

/** One message the reader sees (or saw) as an answer. */
export interface AnsweredMessage {
  via: 'reply' | 'edit' | 'update' | 'followUp';
  body: Json;
  ephemeral: boolean;
}

/** What became of one interaction. */
export interface Answer {
  /** The interaction callback type (4 reply, 5 deferred, 7 update, 8 autocomplete), or null. */
  callbackType: number | null;
  /** Messages still showing, in order (a deleted original is left out). */
  messages: AnsweredMessage[];
  /** Whether the original response was deleted. */
  deletedOriginal: boolean;
  /** Autocomplete choices, when the callback was type 8. */
  choices: Array<{ name: string; value: string | number }>;
  /** Every request that answered it, failed ones included. */
  requests: RecordedRequest[];
}

const isEphemeral = (body: unknown) => ((((body as Json | undefined)?.flags as number | undefined) ?? 0) & 64) !== 0;

/** Rebuilds what the reader sees from the successful requests that answered `payload`. */
export function answerTo(fake: FakeDiscord, payload: Json): Answer {
  const requests = fake.responsesTo(payload);
  const answer: Answer = { callbackType: null, messages: [], deletedOriginal: false, choices: [], requests };
  let original: AnsweredMessage | null = null;
  let deferredEphemeral = false;
  for (const r of requests.filter((q) => q.status >= 200 && q.status < 300)) {
    const body = (r.body ?? {}) as Json;
    if (r.route === 'POST /interactions/:interaction/:token/callback') {
      const data = (body.data ?? {}) as Json;
      answer.callbackType = body.type as number;
      if (body.type === 4) original = { via: 'reply', body: data, ephemeral: isEphemeral(data) };
      if (body.type === 5) deferredEphemeral = isEphemeral(data);
      if (body.type === 7) original = { via: 'update', body: data, ephemeral: false };
      if (body.type === 8) answer.choices = data.choices as Answer['choices'];
      if (original) answer.messages.push(original);
    } else if (r.route === 'PATCH /webhooks/:app/:token/messages/@original') {
      const edited: AnsweredMessage = { via: 'edit', body, ephemeral: deferredEphemeral };
      answer.messages = answer.messages.filter((m) => m !== original);
      original = edited;
      answer.messages.unshift(edited);
    } else if (r.route === 'DELETE /webhooks/:app/:token/messages/@original') {
      answer.deletedOriginal = true;
      answer.messages = answer.messages.filter((m) => m !== original);
    } else if (r.route === 'POST /webhooks/:app/:token') {
      answer.messages.push({ via: 'followUp', body, ephemeral: isEphemeral(body) });
    }
  }
  return answer;
}

/** Every string a message shows: content, embed titles, descriptions, footers, button labels. */
export function visibleText(message: AnsweredMessage): string {
  const { content, embeds, components } = message.body as { content?: string; embeds?: Json[]; components?: Array<{ components: Json[] }> };
  const parts: unknown[] = [content];
  for (const e of embeds ?? []) parts.push(e.title, e.description, (e.footer as Json | undefined)?.text, (e.author as Json | undefined)?.name);
  for (const row of components ?? []) for (const c of row.components) parts.push(c.label);
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

/** The custom_ids of the buttons on a message, by label. */
export function buttonsOf(message: AnsweredMessage): Array<{ label: string; customId: string | undefined; disabled: boolean }> {
  const rows = ((message.body.components ?? []) as Array<{ components: Json[] }>);
  return rows.flatMap((row) => row.components.map((c) => ({ label: String(c.label), customId: c.custom_id as string | undefined, disabled: c.disabled === true })));
}
