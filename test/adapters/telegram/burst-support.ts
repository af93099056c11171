/**
 * A burst of commands as a busy bot sees it: many private chats each sending the same six commands
 * at once, against the fake Bot API with Telegram's limits switched on. Shared by the end-to-end
 * tests and `npm run bench -- burst`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Update } from 'telegraf/types';
import type { FakeTelegramApi } from '../../fakes/telegram-api.js';

/** The six commands of the issue's burst, in the order each chat sends them. */
export const BURST_COMMANDS = ['/latest', '/search nerf', '/issue 20210814', '/search 车道线', '/issues', '/help'] as const;

/** The seed issue, the only content these tests use. */
export const SEED_ISSUE = resolve(import.meta.dirname, '../../commands/fixtures/issues/AI简报20210814.md');

/** A temp issues folder holding a copy of the seed issue; `cleanup` removes it. */
export function seedIssuesDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-burst-'));
  copyFileSync(SEED_ISSUE, join(dir, 'AI简报20210814.md'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Private chat ids of the burst: 2001, 2002, … */
export const burstChats = (count: number): number[] => Array.from({ length: count }, (_, i) => 2001 + i);

/**
 * Queues every chat's commands, round by round (each chat's first command, then each chat's second…),
 * as they would arrive when everyone types at once. Returns the last update.
 */
export function pushBurst(fake: FakeTelegramApi, chats: readonly number[], commands: readonly string[] = BURST_COMMANDS): Update {
  let last: Update | undefined;
  for (const text of commands) {
    for (const chatId of chats) last = fake.pushMessage({ chatId, from: { id: chatId }, text, languageCode: 'en' });
  }
  if (!last) throw new Error('an empty burst');
  return last;
}
