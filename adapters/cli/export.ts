/** `newsbot export [--out file]`: the store's subscriptions and delivery history as JSON Lines. */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportStore, openTransfer, type Counts } from '../../src/store/transfer/index.js';
import { println, type CliCommand } from './io.js';
import { storeLocation } from './store-location.js';

export const command: CliCommand = {
  summary: 'Export subscriptions and delivery history (SQLite or PostgreSQL) as a JSON Lines file',
  usage:
    'newsbot export [--out file]\n\n' +
    'Writes the store the bot uses (DATABASE_URL, else DATABASE_PATH) to `file`, or to standard output:\n' +
    'a header, one line per row of subscriptions, payloads, deliveries, chat_sections, follows and alerts\n' +
    '(chat leases are not exported), and a trailer with the counts. Read from one snapshot, so the bot may\n' +
    'keep running. Load it into another store with `newsbot import`.',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string', short: 'o' } }, strict: true });
    const from = await openTransfer(storeLocation(io), { mustExist: true });
    try {
      if (!values.out) {
        const counts = await exportStore(from, lineWriter(io.stdout), new Date());
        println(io.stderr, summary(from.dialect, from.where, counts));
        return 0;
      }
      // Written beside the target and renamed at the end: a failed export leaves no file that looks whole.
      const target = resolve(io.cwd, values.out);
      const partial = `${target}.partial`;
      const file = createWriteStream(partial);
      try {
        const counts = await exportStore(from, lineWriter(file), new Date());
        file.end();
        await once(file, 'finish');
        await rename(partial, target);
        println(io.stdout, `${summary(from.dialect, from.where, counts)} to ${values.out}`);
      } catch (err) {
        file.destroy();
        await rm(partial, { force: true });
        throw err;
      }
      return 0;
    } finally {
      await from.close();
    }
  },
};

/** Writes a line, waiting while the stream is full (so rows are fetched no faster than they are written). */
function lineWriter(stream: NodeJS.WritableStream): (line: string) => Promise<void> {
  let failed: unknown = null;
  stream.on('error', (err) => (failed = err));
  return async (line) => {
    if (failed) throw failed;
    if (!stream.write(`${line}\n`)) await once(stream as NodeJS.EventEmitter, 'drain');
  };
}

function summary(dialect: string, where: string, counts: Counts): string {
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return `exported ${rows} row(s) from ${dialect} ${where}: ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`;
}
