/** `newsbot subscriptions [--json]`: every chat subscription in the delivery store. */
import { parseArgs } from 'node:util';
import { println, type CliCommand } from './io.js';
import { closing, openExistingStore, table } from './store-access.js';

export const command: CliCommand = {
  summary: 'List chat subscriptions: schedule, time zone, mode, language, paused state',
  usage: 'newsbot subscriptions [--json]\n\nReads DATABASE_URL when set, else DATABASE_PATH (default ./data/newsbot.db).',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
    const { store, path } = await openExistingStore(io);
    const subs = store ? await closing(store, () => store.subscriptions.list()) : [];
    if (values.json) {
      println(io.stdout, JSON.stringify(subs, null, 2));
      return 0;
    }
    if (!store) {
      println(io.stdout, `No subscriptions yet: there is no database at ${path} (the bot creates it when it starts).`);
      return 0;
    }
    if (subs.length === 0) {
      println(io.stdout, 'No subscriptions.');
      return 0;
    }
    const rows = subs.map((s) => [
      s.platform,
      s.chatId + (s.threadId ? `/${s.threadId}` : ''),
      s.schedule ?? 'off',
      s.timezone,
      s.mode,
      s.language,
      s.paused ? `paused: ${s.pausedReason ?? ''}` : 'active',
      `${new Date(s.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} by ${s.updatedBy}`,
    ]);
    println(io.stdout, table([['PLATFORM', 'CHAT', 'SCHEDULE', 'TIMEZONE', 'MODE', 'LANG', 'STATE', 'UPDATED'], ...rows]));
    println(io.stdout, `\n${subs.length} subscription(s), ${subs.filter((s) => s.paused).length} paused.`);
    return 0;
  },
};
