/**
 * The PostgreSQL connection layer: the pool (epoch-ms BIGINT columns and counts come back as numbers),
 * one `Sql` handle per connection or pool, and the one place a `pg` failure becomes a `StoreError`.
 */
import pg from 'pg';
import { NewsbotError, StoreError } from '../../errors.js';

/** Where queries run: the pool (each call on any free connection) or one connection (a transaction). */
export interface Sql {
  query<R = Record<string, unknown>>(op: string, text: string, values?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/** Something `pg` can run a query on. */
type Queryable = Pick<pg.Pool | pg.PoolClient | pg.Client, 'query'>;

const INT8 = 20;
const NUMERIC = 1700;
/**
 * BIGINT (epoch ms, ids, COUNT) and NUMERIC (SUM of BIGINT) as JavaScript numbers: every value the
 * store keeps is below 2^53 (epoch ms until the year 287,396), and the SQLite store answers numbers.
 */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * SQLSTATE classes and codes (and socket errors) that say the database cannot answer right now, not
 * that the statement is wrong: connection failures (08), admin or crash shutdown (57P01-57P03),
 * insufficient resources (53), serialization failure and deadlock (40001, 40P01), lock not available
 * (55P03). Waiting and trying again is the remedy, so the outbox holds chats instead of dropping work.
 */
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53...|40001|40P01|55P03)$/;
const SOCKET = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNABORTED)$/;

/** True when a `pg` failure means "unavailable" (see above). */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (SOCKET.test(code) || UNAVAILABLE_STATE.test(code)) return true;
    // Any other SQLSTATE is the server refusing this statement.
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  // No SQLSTATE: the client lost or never had its connection ("Connection terminated", pool timeout).
  return err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError);
}

/** The password (and any user:password@) of a URL, masked wherever it might be echoed. */
export function redactor(url: string): (text: string) => string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // An unparsable URL: the generic rule below still masks user:password@.
  }
  return (text) => {
    let out = text.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
    if (password) out = out.split(password).join('***');
    return out;
  };
}

/** Turns a `pg` failure of `op` into a `StoreError` (password masked, unavailability marked). */
export function storeError(op: string, err: unknown, redact: (text: string) => string): NewsbotError {
  if (err instanceof NewsbotError) return err;
  const raw = err instanceof Error ? err.message || String((err as { code?: unknown }).code ?? err.name) : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new StoreError(`store: ${op} failed: ${redact(raw)}`, {
    op,
    ...(typeof code === 'string' ? { code } : {}),
    unavailable: isUnavailable(err),
  });
}

/**
 * Named statements: each distinct SQL text is prepared once per connection and reused (the hot
 * outbox queries run thousands of times a broadcast). Names are process-wide, texts never change.
 */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `nb${names.size + 1}`));
  return name;
}

/** A `Sql` on a pool or a connection; every failure becomes a `StoreError`. */
export function sqlOn(target: Queryable, redact: (text: string) => string): Sql {
  return {
    async query<R>(op: string, text: string, values: readonly unknown[] = []) {
      try {
        // Only statements with parameters are named: the others (BEGIN, SAVEPOINT spN) are cheap or one-off.
        const answer = values.length > 0 ? await target.query({ name: statementName(text), text, values: values as unknown[] }) : await target.query(text);
        // Several statements in one simple query (savepoints.ts) answer one result each: the last is the caller's.
        const result = (Array.isArray(answer) ? answer[answer.length - 1] : answer) as pg.QueryResult;
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      } catch (err) {
        throw storeError(op, err, redact);
      }
    },
  };
}

/** A pool of `size` connections to `url`. */
export function createPool(url: string, size: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    types: pgTypes,
    keepAlive: true,
    application_name: 'newsbot',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server dropped: the pool discards it and the next query reports any
  // lasting failure as a StoreError; left unhandled, this event would end the process.
  pool.on('error', () => undefined);
  return pool;
}
