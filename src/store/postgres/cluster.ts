/**
 * What several instances on one PostgreSQL database share: roles (one holder each, by advisory lock),
 * rates counted across instances (GCRA on the database's clock) and a heartbeat table of members.
 *
 * A role's advisory lock is taken on a connection of its own, outside the pool, held as long as the
 * role: the lock lives and dies with that session, so a holder killed with SIGKILL (or cut off) frees
 * the role as soon as the server notices the connection is gone, and nothing else has to expire.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Cluster } from '../port.js';
import { pgTypes, storeError, type Sql } from './sql.js';

/** First half of every role's advisory lock key (the migrations use another). */
const ROLE_LOCK = 0x6e627432;
/** The database's clock, in epoch ms. */
const DB_NOW = '(extract(epoch FROM clock_timestamp()) * 1000)::float8';
/** How often an instance says it is alive, and after how long without a word it is no longer listed. */
export const HEARTBEAT_MS = 5_000;
const STALE_MS = 30_000;
/** How long a role's connection may take to connect or answer before the role counts as lost. */
const ROLE_TIMEOUT_MS = 5_000;

export class PgCluster implements Cluster {
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #held = new Map<string, pg.Client>();
  readonly #pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly url: string,
    private readonly sql: Sql,
    private readonly redact: (text: string) => string,
  ) {}

  get leading(): ReadonlySet<string> {
    return new Set(this.#held.keys());
  }

  /**
   * Takes `role` when no live session holds it. Called again while held, it checks the connection
   * still answers (a lost connection means the role may already be another's). A database that
   * cannot be reached throws an unavailable `StoreError`.
   */
  tryLead(role: string): Promise<boolean> {
    const pending = this.#pending.get(role);
    if (pending) return pending;
    const attempt = this.#tryLead(role).finally(() => this.#pending.delete(role));
    this.#pending.set(role, attempt);
    return attempt;
  }

  async #tryLead(role: string): Promise<boolean> {
    const held = this.#held.get(role);
    if (held) {
      try {
        await held.query('SELECT 1');
        return true;
      } catch {
        this.#drop(role, held);
        await held.end().catch(() => undefined);
      }
    }
    const client = new pg.Client({
      connectionString: this.url,
      types: pgTypes,
      application_name: `newsbot:${role}`,
      // Both ends notice a dead peer in bounded time: the server frees the lock of a holder whose
      // machine vanished within ~25 s (server-side keepalives: the default waits two hours), and a
      // holder cut off from the server learns it at its next tryLead, within the query timeout.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      options: '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3',
      query_timeout: ROLE_TIMEOUT_MS,
      connectionTimeoutMillis: ROLE_TIMEOUT_MS,
    });
    // A lost connection is a lost role; the error itself surfaces at the next tryLead.
    client.on('error', () => this.#drop(role, client));
    client.on('end', () => this.#drop(role, client));
    try {
      await client.connect();
      const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [ROLE_LOCK, role]);
      if (rows[0]?.got === true) {
        this.#held.set(role, client);
        await this.beat().catch(() => undefined);
        return true;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw storeError('cluster.tryLead', err, this.redact);
    }
    await client.end().catch(() => undefined);
    return false;
  }

  /** Gives `role` up: ending its session frees the lock. */
  async releaseLead(role: string): Promise<void> {
    await this.#pending.get(role)?.catch(() => false);
    const client = this.#held.get(role);
    if (!client) return;
    this.#held.delete(role);
    await client.end().catch(() => undefined);
    await this.beat().catch(() => undefined);
  }

  #drop(role: string, client: pg.Client): void {
    if (this.#held.get(role) === client) this.#held.delete(role);
  }

  /**
   * GCRA: `tat` is the theoretical arrival time of the next send on the rate. Reserving `count` sends
   * moves it to max(tat, now) + count × interval; the first may go once tat − (burst − 1) × interval
   * has come. One statement, so the row lock orders instances reserving at once.
   */
  async reserve(key: string, count: number, intervalMs: number, burst: number): Promise<number> {
    const { rows } = await this.sql.query<{ tat: number; now: number }>(
      'cluster.reserve',
      `WITH clock AS (SELECT ${DB_NOW} AS now)
       INSERT INTO rate_cells (key, tat) SELECT $1, clock.now + $2::float8 FROM clock
       ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_cells.tat + $2::float8, excluded.tat)
       RETURNING tat, (SELECT now FROM clock) AS now`,
      [key, count * intervalMs],
    );
    const row = rows[0];
    if (!row) return 0;
    const before = row.tat - count * intervalMs;
    return Math.max(0, before - (Math.max(1, burst) - 1) * intervalMs - row.now);
  }

  async members(): Promise<Array<{ instance: string; roles: string[]; seenAgoMs: number }>> {
    const { rows } = await this.sql.query<{ instance: string; roles: string; ago: number }>(
      'cluster.members',
      `SELECT instance, roles, ${DB_NOW} - seen_at AS ago FROM instances WHERE seen_at > ${DB_NOW} - $1 ORDER BY instance`,
      [STALE_MS],
    );
    return rows.map((r) => ({ instance: r.instance, roles: JSON.parse(r.roles) as string[], seenAgoMs: Math.max(0, Math.round(r.ago)) }));
  }

  /** Says this instance is alive, with its roles; forgets instances silent for a day. */
  async beat(): Promise<void> {
    await this.sql.query(
      'cluster.beat',
      `INSERT INTO instances (instance, roles, seen_at) VALUES ($1, $2, ${DB_NOW})
       ON CONFLICT (instance) DO UPDATE SET roles = excluded.roles, seen_at = excluded.seen_at`,
      [this.instance, JSON.stringify([...this.#held.keys()].sort())],
    );
    await this.sql.query('cluster.forget', `DELETE FROM instances WHERE seen_at < ${DB_NOW} - 86400000`);
  }

  /** Gives every role up and leaves the member list. */
  async close(): Promise<void> {
    for (const role of [...this.#held.keys()]) await this.releaseLead(role);
    await this.sql.query('cluster.leave', 'DELETE FROM instances WHERE instance = $1', [this.instance]).catch(() => undefined);
  }
}
