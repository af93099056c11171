/**
 * Savepoints of one PostgreSQL transaction (`tx.transaction`) at no round trip of their own. The
 * group commit runs every outcome of a batch in its own savepoint, so SAVEPOINT and RELEASE were two
 * of an outcome's four round trips. Here:
 *  - a savepoint is opened lazily: its SAVEPOINT goes in the same simple query as the first statement
 *    run inside it (its parameters written as literals), so a body that runs no statement costs nothing;
 *  - a savepoint that succeeds is released with the next one opened (COMMIT releases the last).
 *    Statements run in between stay inside it, which changes nothing: only a savepoint opened after
 *    them could roll them back alone, and that one is newer.
 */
import pg from 'pg';
import type { Sql } from './sql.js';

/** A parameter as an SQL literal, or null when it is not a scalar (arrays go as parameters). */
function literal(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  // Parenthesised: "x - $1" with $1 = -5 must not become "x - -5", a comment.
  if (typeof value === 'number') return Number.isFinite(value) ? `(${value})` : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value !== 'string') return null;
  // pg's own quoting (doubles quotes; E'' with doubled backslashes when there are any).
  return pg.escapeLiteral(value);
}

/** `text` with its $n parameters written as literals, or null when one cannot be. */
export function inline(text: string, values: readonly unknown[]): string | null {
  const literals = values.map(literal);
  if (literals.some((l) => l === null)) return null;
  return text.replace(/\$(\d+)/g, (m, n: string) => literals[Number(n) - 1] ?? m);
}

export class Savepoints {
  /** Opened, not sent yet (no statement ran since), innermost last. */
  #pending: string[] = [];
  /** Sent and succeeded, not released yet: always newer than every savepoint still open. */
  #unreleased: string | null = null;
  #count = 0;
  /** The transaction's handle: each statement first sends what is pending. */
  readonly sql: Sql;

  constructor(private readonly raw: Sql) {
    this.sql = { query: (op, text, values) => this.#query(op, text, values ?? []) };
  }

  #query<R>(op: string, text: string, values: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    if (this.#pending.length === 0) return this.raw.query<R>(op, text, values);
    const prefix = [...(this.#unreleased ? [`RELEASE SAVEPOINT ${this.#unreleased}`] : []), ...this.#pending.map((n) => `SAVEPOINT ${n}`)].join('; ');
    this.#pending = [];
    this.#unreleased = null;
    const statement = inline(text, values);
    if (statement !== null) return this.raw.query<R>(op, `${prefix}; ${statement}`);
    return this.raw.query('savepoint', prefix).then(() => this.raw.query<R>(op, text, values));
  }

  /** Opens a savepoint (sent with the next statement) and returns its name. */
  open(): string {
    const name = `sp${++this.#count}`;
    this.#pending.push(name);
    return name;
  }

  /** Its body succeeded: released with the next savepoint opened (releasing it releases newer ones too). */
  release(name: string): void {
    const at = this.#pending.indexOf(name);
    if (at >= 0) this.#pending.splice(at);
    else this.#unreleased = name;
  }

  /** Its body failed: its writes are undone, and any newer savepoint with them. */
  async rollback(name: string): Promise<void> {
    const at = this.#pending.indexOf(name);
    if (at >= 0) {
      // Never sent: no statement ran inside it, nothing to undo.
      this.#pending.splice(at);
      return;
    }
    this.#pending = [];
    this.#unreleased = null;
    await this.raw.query('savepoint', `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
  }
}
