/** A delivery store with two subscriptions and one half-failed issue, and a CLI io that captures stdout. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../adapters/cli/io.js';
import { SqliteStore, type NewPart, type Store } from '../../../src/store/index.js';

export function io(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += String(d)));
  return { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env, cwd, out: () => out };
}

export const settings = { threadId: null, schedule: '0 8 * * *', timezone: 'Asia/Shanghai', mode: 'full' as const, language: 'zh' as const };

/** Writes the fixture into `<dir>/data/newsbot.db` (the default DATABASE_PATH under that cwd). */
export async function seedStore(dir: string): Promise<void> {
  const store = SqliteStore.open(join(dir, 'data', 'newsbot.db'));
  await seed(store);
  await store.close();
}

/** Writes the fixture into `store` (any dialect). */
export async function seed(store: Store): Promise<void> {
  await store.subscriptions.insert('telegram', '-1001', settings, 'telegram:7', Date.parse('2025-01-01T00:00:00Z'));
  await store.subscriptions.insert('discord', '555', { ...settings, schedule: null, mode: 'compact', language: 'en' }, 'discord:8', 0);
  await store.subscriptions.pause('discord', '555', 'Missing Access', 1);
  const parts: NewPart[] = [0, 1].map((i) => ({ platform: 'telegram', chatId: '-1001', threadId: null, issueId: '20250101', partIndex: i, partCount: 2, payload: { i } }));
  await store.parts.insertParts(parts, 1);
  const head = (await store.parts.head('telegram', '-1001'))!;
  await store.parts.markSent(head.id, '99', 3);
  const second = (await store.parts.head('telegram', '-1001'))!;
  await store.parts.finish(second.id, 'failed', 'Bad Request: message is too long', 5);
}

