/** Export to and import from a file with the library calls the CLI makes, for the store tests. */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { StoreLocation } from '../../../src/store/index.js';
import { exportStore, importInto, openTransfer, type Counts, type ImportOptions, type ImportResult } from '../../../src/store/transfer/index.js';

export async function exportToFile(where: StoreLocation, file: string, now = new Date('2026-02-01T00:00:00Z')): Promise<Counts> {
  const from = await openTransfer(where, { mustExist: true });
  const out = createWriteStream(file);
  try {
    const counts = await exportStore(from, async (line) => void (out.write(`${line}\n`) || (await once(out, 'drain'))), now);
    out.end();
    await once(out, 'finish');
    return counts;
  } finally {
    await from.close();
  }
}

export async function importFromFile(where: StoreLocation, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const to = await openTransfer(where);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    return await importInto(to, lines, options);
  } finally {
    lines.close();
    await to.close();
  }
}
