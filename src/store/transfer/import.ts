/**
 * Reads an export file (format.ts) into a store, all or nothing: one transaction, ids kept, counts
 * checked three ways (the trailer, the rows read, the rows in the target after) before it commits.
 */
import { StoreError } from '../../errors.js';
import type { TransferConnection } from './connection.js';
import { TABLES, TABLE_NAMES, formatError, parseHeader, parseLine, zeroCounts, type Counts, type Header, type Row, type TableSpec } from './format.js';

export interface ImportOptions {
  /** Delete what the target holds first (otherwise a non-empty target is refused). */
  replace?: boolean;
  /** Rows sent to the store per insert. */
  batch?: number;
}

export interface ImportResult {
  header: Header;
  counts: Counts;
  /** Rows deleted from the target first (`replace`). */
  replaced: Counts;
}

/** Imports `lines` (the file, read a line at a time) into `to`. Throws a StoreError and leaves the target as it was on any mismatch. */
export async function importInto(to: TransferConnection, lines: AsyncIterable<string>, options: ImportOptions = {}): Promise<ImportResult> {
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw formatError('the file is empty', 1);
  const header = parseHeader(first.value);
  checkSchema(header, to);

  await to.beginWrite();
  try {
    const replaced = await makeRoom(to, options.replace === true);
    const counts = await copyRows(to, { [Symbol.asyncIterator]: () => iterator }, options.batch ?? 500);
    await to.resetSequences(TABLES.filter((t) => t.hasIdSequence));
    await to.commit();
    return { header, counts, replaced };
  } catch (err) {
    await to.rollback();
    throw err;
  }
}

function checkSchema(header: Header, to: TransferConnection): void {
  if (header.schema === to.schema) return;
  const remedy =
    header.schema < to.schema
      ? 'run `newsbot migrate` where it was exported and export again'
      : 'this newsbot is older than the one that exported it; update it first';
  throw new StoreError(`import: the file is schema ${header.schema} but ${to.where} is at schema ${to.schema}: ${remedy}`, {
    op: 'import',
    fileSchema: header.schema,
    targetSchema: to.schema,
  });
}

/** Refuses a target holding any row (its ids would collide with the file's), or empties it when told to. */
async function makeRoom(to: TransferConnection, replace: boolean): Promise<Counts> {
  const held = zeroCounts();
  for (const t of TABLES) held[t.name] = await to.count(t);
  const nonEmpty = TABLE_NAMES.filter((t) => held[t] > 0);
  if (nonEmpty.length === 0) return held;
  if (!replace) {
    const what = nonEmpty.map((t) => `${held[t]} ${t}`).join(', ');
    throw new StoreError(
      `import: ${to.where} already holds ${what}; importing would mix two histories whose ids collide. ` +
        'Import into an empty store, or pass --replace to delete what it holds first (stop the bot first).',
      { op: 'import', tables: nonEmpty },
    );
  }
  await to.clear([...TABLES].reverse());
  return held;
}

/** Inserts every row after the header, then checks the trailer's counts against what was read and what the target holds. */
async function copyRows(to: TransferConnection, lines: AsyncIterable<string>, batchSize: number): Promise<Counts> {
  const read = zeroCounts();
  let trailer: Counts | null = null;
  let lineNo = 1;
  let order = 0;
  // Rows of one table waiting to go in together (one statement per batch on PostgreSQL).
  const pending: { table: TableSpec | null; rows: Row[] } = { table: null, rows: [] };
  const flush = async () => {
    if (pending.table && pending.rows.length > 0) await to.insert(pending.table, pending.rows);
    pending.rows = [];
  };
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    if (trailer) throw formatError('a line after the trailer', lineNo);
    const line = parseLine(text, lineNo);
    if (line.kind === 'trailer') {
      trailer = line.counts;
      continue;
    }
    const at = TABLES.indexOf(line.table);
    // Parents come first: a part's payload must be in before the part (its foreign key).
    if (at < order) throw formatError(`a ${line.table.name} row after the ${TABLES[order]?.name} rows`, lineNo, { table: line.table.name });
    order = at;
    if (pending.table !== line.table) {
      await flush();
      pending.table = line.table;
    }
    pending.rows.push(line.row);
    read[line.table.name]++;
    if (pending.rows.length >= batchSize) await flush();
  }
  await flush();
  if (!trailer) throw formatError('the file ends without its trailer: it was cut short (nothing imported)', lineNo);
  for (const t of TABLES) {
    const expected = trailer[t.name];
    if (read[t.name] !== expected) {
      throw new StoreError(`import: ${t.name}: the trailer counts ${expected} rows but the file holds ${read[t.name]} (nothing imported)`, { op: 'import', table: t.name });
    }
    const stored = await to.count(t);
    if (stored !== expected) {
      throw new StoreError(`import: ${t.name}: ${expected} rows read but ${stored} in ${to.where} (nothing imported)`, { op: 'import', table: t.name });
    }
  }
  return read;
}
