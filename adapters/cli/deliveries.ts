/** `newsbot deliveries <id> [--json]`: where one issue went, part by part. */
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors.js';
import { println, type CliCommand } from './io.js';
import { closing, openExistingStore, table } from './store-access.js';

export const command: CliCommand = {
  summary: 'Show the delivery state of one issue in every chat (sent, pending, failed, skipped)',
  usage: 'newsbot deliveries <issue-id> [--json]\n\nReads DATABASE_URL when set, else DATABASE_PATH (default ./data/newsbot.db).',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    const issueId = positionals[0];
    if (!issueId || positionals.length > 1) throw new UsageError('expected one issue id, e.g. newsbot deliveries 20210814');
    const { store } = await openExistingStore(io);
    const parts = store ? await closing(store, () => store.parts.forIssue(issueId)) : [];
    const rows = parts.map(({ payload: _payload, ...rest }) => rest);
    if (values.json) {
      println(io.stdout, JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) {
      println(io.stdout, `Issue ${issueId} has not been queued for any chat.`);
      return 0;
    }
    const chats = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.platform}\u0000${r.chatId}`;
      chats.set(key, [...(chats.get(key) ?? []), r]);
    }
    const lines = [...chats.values()].map((parts) => {
      const first = parts[0] as (typeof rows)[number];
      const errors = [...new Set(parts.filter((p) => p.status !== 'sent' && p.lastError).map((p) => p.lastError as string))];
      return [first.platform, first.chatId, parts.map((p) => p.status).join(' '), String(parts.reduce((n, p) => n + p.attempts, 0)), errors.join('; ')];
    });
    println(io.stdout, table([['PLATFORM', 'CHAT', 'PARTS', 'ATTEMPTS', 'LAST ERROR'], ...lines]));
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    println(io.stdout, `\n${chats.size} chat(s), ${rows.length} part(s): ${count('sent')} sent, ${count('pending') + count('sending')} waiting, ${count('failed')} failed, ${count('skipped')} skipped.`);
    return 0;
  },
};
