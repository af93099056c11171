/**
 * The export file (`newsbot export` / `newsbot import`): JSON Lines, dialect-neutral.
 *
 *   {"format":"newsbot-export","schema":5,"dialect":"sqlite","exportedAt":"2026-…Z"}
 *   {"table":"subscriptions","row":{"id":1,"platform":…,"paused":false,…}}
 *   … one line per row, tables in `TABLES` order (payloads before the parts that point at them) …
 *   {"trailer":"newsbot-export","counts":{"subscriptions":1,…}}
 *
 * Rows carry the columns of migrations.ts under their SQL names, with their ids, so parts keep
 * pointing at their payloads. Values are JSON numbers, strings, booleans (`paused`) or null, whatever
 * the store holds them as (SQLite 0/1, PostgreSQL bigint strings, jsonb): each dialect's reader and
 * writer convert. `chat_leases` and `handled_updates` are left out: they belong to running instances, not to the history.
 */
import { StoreError } from '../../errors.js';

/** A column's kind in the file. `json` is JSON text (a string in the file, text or jsonb in a store). */
export type ColumnKind = 'int' | 'text' | 'bool' | 'json';

export interface Column {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
}

/** One exported table: its columns in order, its key (rows are written in key order), its id sequence. */
export interface TableSpec {
  name: TableName;
  columns: readonly Column[];
  key: readonly string[];
  /** True when `id` comes from a sequence that must move past the imported ids (PostgreSQL). */
  hasIdSequence: boolean;
}

export const TABLE_NAMES = ['subscriptions', 'payloads', 'deliveries', 'chat_sections', 'follows', 'alerts'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const col = (name: string, kind: ColumnKind, nullable = false): Column => ({ name, kind, nullable });
const int = (name: string, nullable = false) => col(name, 'int', nullable);
const text = (name: string, nullable = false) => col(name, 'text', nullable);

/** The exported tables, parents first, as of schema 5 (test/store/transfer checks them against SQLite's). */
export const TABLES: readonly TableSpec[] = [
  {
    name: 'subscriptions',
    columns: [
      int('id'), text('platform'), text('chat_id'), text('thread_id', true), text('schedule', true), text('timezone'), text('mode'),
      text('language'), col('paused', 'bool'), text('paused_reason', true), int('last_slot_at'), text('created_by'), int('created_at'),
      text('updated_by'), int('updated_at'),
    ],
    key: ['id'],
    hasIdSequence: true,
  },
  { name: 'payloads', columns: [int('id'), col('body', 'json')], key: ['id'], hasIdSequence: true },
  {
    name: 'deliveries',
    columns: [
      int('id'), text('platform'), text('chat_id'), text('thread_id', true), text('issue_id'), int('part_index'), int('part_count'),
      int('payload_id'), text('status'), int('attempts'), int('next_attempt_at'), text('last_error', true), text('message_id', true),
      int('created_at'), int('updated_at'), int('sent_at', true),
    ],
    key: ['id'],
    hasIdSequence: true,
  },
  {
    name: 'chat_sections',
    columns: [text('platform'), text('chat_id'), text('kind'), col('names', 'json'), text('updated_by'), int('updated_at')],
    key: ['platform', 'chat_id'],
    hasIdSequence: false,
  },
  {
    name: 'follows',
    columns: [int('id'), text('platform'), text('chat_id'), text('thread_id', true), text('query'), text('language'), text('created_by'), int('created_at')],
    key: ['id'],
    hasIdSequence: true,
  },
  {
    name: 'alerts',
    columns: [text('platform'), text('chat_id'), text('issue_id'), text('item_key'), int('part_index'), int('created_at')],
    key: ['platform', 'chat_id', 'issue_id', 'item_key'],
    hasIdSequence: false,
  },
];

export const FORMAT = 'newsbot-export';

export interface Header {
  format: typeof FORMAT;
  schema: number;
  dialect: 'sqlite' | 'postgres';
  exportedAt: string;
}

export type Counts = Record<TableName, number>;
export type Row = Record<string, number | string | boolean | null>;

export interface Trailer {
  trailer: typeof FORMAT;
  counts: Counts;
}

/** One line of the file, read back and checked. */
export type Line = { kind: 'row'; table: TableSpec; row: Row } | { kind: 'trailer'; counts: Counts };

export function zeroCounts(): Counts {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Counts;
}

/** Why the file cannot be imported, at which line. */
export function formatError(message: string, line: number, context: Record<string, unknown> = {}): StoreError {
  return new StoreError(`import: line ${line}: ${message}`, { op: 'import', line, ...context });
}

const SPECS = new Map<string, TableSpec>(TABLES.map((t) => [t.name, t]));

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw formatError('not a JSON line (is the file cut short or not an export?)', line);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the first line: a header of this format. */
export function parseHeader(text: string): Header {
  const value = parseJson(text, 1);
  if (!isObject(value) || value.format !== FORMAT) throw formatError(`not a newsbot export (expected {"format":"${FORMAT}",…})`, 1);
  if (!Number.isSafeInteger(value.schema)) throw formatError('the header has no schema version', 1);
  if (value.dialect !== 'sqlite' && value.dialect !== 'postgres') throw formatError('the header names no known dialect', 1);
  return { format: FORMAT, schema: value.schema as number, dialect: value.dialect, exportedAt: String(value.exportedAt ?? '') };
}

/** Reads a line after the header: a row (its values checked against the table's columns) or the trailer. */
export function parseLine(text: string, line: number): Line {
  const value = parseJson(text, line);
  if (!isObject(value)) throw formatError('expected a row or the trailer', line);
  if (value.trailer === FORMAT) {
    const counts = value.counts;
    if (!isObject(counts)) throw formatError('the trailer has no counts', line);
    const out = zeroCounts();
    for (const name of TABLE_NAMES) {
      const n = counts[name];
      if (!Number.isSafeInteger(n) || (n as number) < 0) throw formatError(`the trailer has no count for ${name}`, line, { table: name });
      out[name] = n as number;
    }
    return { kind: 'trailer', counts: out };
  }
  const table = typeof value.table === 'string' ? SPECS.get(value.table) : undefined;
  if (!table) throw formatError(`unknown table ${JSON.stringify(value.table)}`, line);
  if (!isObject(value.row)) throw formatError(`a ${table.name} line without its row`, line, { table: table.name });
  return { kind: 'row', table, row: checkRow(table, value.row, line) };
}

function checkRow(table: TableSpec, row: Record<string, unknown>, line: number): Row {
  const out: Row = {};
  for (const c of table.columns) {
    const v = row[c.name];
    const ok =
      v === null || v === undefined
        ? c.nullable
        : c.kind === 'int'
          ? Number.isSafeInteger(v)
          : c.kind === 'bool'
            ? typeof v === 'boolean'
            : typeof v === 'string' && (c.kind === 'text' || isJsonText(v));
    if (!ok) throw formatError(`${table.name}.${c.name} is ${JSON.stringify(v) ?? 'missing'}, expected ${c.nullable ? 'null or ' : ''}${c.kind}`, line, { table: table.name });
    out[c.name] = (v ?? null) as Row[string];
  }
  const extra = Object.keys(row).filter((k) => !table.columns.some((c) => c.name === k));
  if (extra.length > 0) throw formatError(`${table.name} has no column ${extra.join(', ')} (an export of another schema?)`, line, { table: table.name });
  return out;
}

/** True when `text` parses as JSON (a stored message or a filter's names, read back by the store later). */
function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A value as a store gave it, in the file's form: numbers from bigint strings, booleans from 0/1, JSON as text. */
export function toFileValue(c: Column, v: unknown, table: string): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  switch (c.kind) {
    case 'int': {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new StoreError(`export: ${table}.${c.name} holds ${String(v)}, not a safe integer`, { op: 'export', table });
      return n;
    }
    case 'bool':
      return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
    case 'json':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'text':
      return String(v);
  }
}
