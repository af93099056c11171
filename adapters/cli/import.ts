/** `newsbot import <file> [--replace]`: loads a `newsbot export` file into the configured store. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors.js';
import { importInto, openTransfer } from '../../src/store/transfer/index.js';
import { println, type CliCommand } from './io.js';
import { storeLocation } from './store-location.js';

export const command: CliCommand = {
  summary: 'Import a `newsbot export` file into the store (empty, or --replace), counts checked',
  usage:
    'newsbot import <file|-> [--replace]\n\n' +
    'Loads the file into the store the bot uses (DATABASE_URL, else DATABASE_PATH), migrating it first, in one\n' +
    'transaction that keeps every id. Refused when the store already holds rows (their ids would collide)\n' +
    'unless --replace, which deletes them first: stop the bot before replacing. The header must name the\n' +
    "store's schema version, and the trailer's counts must match the rows read and the rows stored, or\n" +
    'nothing is imported. The file is read a line at a time, so its size does not matter.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: { replace: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('expected one file, e.g. newsbot import newsbot-export.jsonl');
    const path = file === '-' ? null : resolve(io.cwd, file);
    if (path && !(await stat(path).catch(() => null))?.isFile()) throw new UsageError(`file not found: ${file}`);
    const to = await openTransfer(storeLocation(io));
    const input = path ? createReadStream(path, { encoding: 'utf8' }) : io.stdin;
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      const { header, counts, replaced } = await importInto(to, lines, { replace: values.replace });
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const deleted = Object.values(replaced).reduce((a, b) => a + b, 0);
      println(io.stdout, `imported ${total} row(s) into ${to.dialect} ${to.where}: ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);
      println(io.stdout, `  from a ${header.dialect} export of ${header.exportedAt || 'unknown date'}, schema ${header.schema}${deleted > 0 ? `; ${deleted} row(s) it held were replaced` : ''}`);
      return 0;
    } finally {
      lines.close();
      if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
      await to.close();
    }
  },
};
