/** Shared set-up for the command tests: a real core over real issue files, and callers. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/app.js';
import { parseCommandText } from '../../src/commands/parse.js';
import type { Caller, Reply } from '../../src/commands/types.js';
import { loadPlatformConfig } from '../../adapters/platforms.js';
import { createLogger, type Logger } from '../../src/log.js';
import { spansToPlain, type Span } from '../../src/rich-text.js';

/** Twelve real issues from the archive: 2020-10-30, 2021-08-08/14/20, 2026-08-01…05, 2026-08-14/15/18. */
export const FIXTURE_ISSUES = resolve(import.meta.dirname, 'fixtures/issues');
export const FIXTURE_IDS_NEWEST_FIRST = [
  '20260818', '20260815', '20260814', '20260805', '20260804', '20260803',
  '20260802', '20260801', '20210820', '20210814', '20210808', '20201030',
];

/** A logger that keeps its JSON lines. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', secrets: [], destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

/** A core over `dir` (default: the fixtures), not watching, with extra environment. */
export async function openCore(dir = FIXTURE_ISSUES, env: Record<string, string> = {}, options: CoreOptions = {}): Promise<Core> {
  const config = loadPlatformConfig({ ISSUES_DIR: dir, LOG_LEVEL: 'silent', ISSUE_CACHE_PATH: 'off', ...env });
  return createCore(config, createLogger({ level: 'silent', secrets: [] }), { watch: false, ...options });
}

/** An empty issues folder. */
export function emptyIssuesDir(): string {
  return mkdtempSync(join(tmpdir(), 'newsbot-empty-'));
}

/** A caller in a Telegram private chat, language unknown unless given. */
export function caller(overrides: Partial<Caller> = {}): Caller {
  return {
    platform: 'telegram',
    userId: '42',
    chatId: '42',
    threadId: null,
    chatType: 'private',
    language: null,
    isChatAdmin: async () => true,
    ...overrides,
  };
}

/** Sends `text` as typed in a chat and returns the reply. */
export async function ask(core: Core, text: string, who: Partial<Caller> = {}): Promise<Reply> {
  const command = parseCommandText(text);
  if (!command) throw new Error(`not a command: ${text}`);
  return core.router.handle(command, caller(who));
}

/** The visible text of a text reply, paragraphs on their own lines. */
export function textOf(reply: Reply): string {
  if (reply.kind !== 'text') throw new Error(`expected a text reply, got ${reply.kind}`);
  return reply.body.map((p) => spansToPlain(p)).join('\n');
}

/** Every span of a text reply. */
export function spansOf(reply: Reply): Span[] {
  return reply.kind === 'text' ? reply.body.flat() : [];
}
