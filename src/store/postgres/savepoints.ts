/**
 * Savepoints of one PostgreSQL transaction (`tx.transaction`), at one round trip each instead of two.
 * The group commit runs every outcome of a batch in its own savepoint, so SAVEPOINT + RELEASE per
 * outcome was two of its three round trips. A savepoint that succeeds is released lazily, in the same
 * simple query that opens the next one (COMMIT releases the last): statements run in between stay
 * inside it, which changes nothing, since only a savepoint opened after them can roll them back
 * alone, and that one is newer.
 */
import type { Sql } from './sql.js';

export class Savepoints {
  /** A savepoint that succeeded and is not released yet: always newer than every one still open. */
  #unreleased: string | null = null;
  #count = 0;

  constructor(private readonly sql: Sql) {}

  /** Opens a savepoint and returns its name. */
  async open(): Promise<string> {
    const name = `sp${++this.#count}`;
    const release = this.#unreleased ? `RELEASE SAVEPOINT ${this.#unreleased}; ` : '';
    this.#unreleased = null;
    await this.sql.query('savepoint', `${release}SAVEPOINT ${name}`);
    return name;
  }

  /** Its body succeeded: released with the next `open` (releasing it also releases any newer one). */
  release(name: string): void {
    this.#unreleased = name;
  }

  /** Its body failed: its writes are undone, and any newer savepoint with them. */
  async rollback(name: string): Promise<void> {
    this.#unreleased = null;
    await this.sql.query('savepoint', `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
  }
}
