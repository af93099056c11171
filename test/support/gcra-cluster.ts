/**
 * An in-process stand-in for the store's `Cluster.reserve`: a real GCRA (generic cell rate algorithm)
 * on an injected clock, the same arithmetic the PostgreSQL store runs on the database's clock. Several
 * limiters given one instance of it are several newsbot instances on one database. It records every
 * reservation it answered.
 */
import type { Clock } from '../../src/clock.js';
import type { SharedRates } from '../../src/delivery/shared-rate.js';

export interface Reservation {
  key: string;
  count: number;
  at: number;
  wait: number;
}

export class GcraCluster implements SharedRates {
  /** Per key: the theoretical arrival time of the next send (TAT). */
  readonly #tat = new Map<string, number>();
  readonly reservations: Reservation[] = [];
  /** While true, `reserve` and `members` fail as a database that is down does. */
  failing = false;
  /** While true, `reserve` never answers (a database that hangs). */
  hanging = false;
  /** Instances `members` reports. */
  instances = 2;
  failures = 0;

  /** `latencyMs`: a round trip, half before the database reads its clock and half after. */
  constructor(private readonly clock: Clock, private readonly latencyMs = 0) {}

  /**
   * Reserves `count` sends: the first may go once the key's TAT is within the burst tolerance
   * ((burst − 1) × interval) of now; the TAT moves on by `count` intervals.
   */
  async reserve(key: string, count: number, intervalMs: number, burst: number): Promise<number> {
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs / 2);
    if (this.hanging) return new Promise<number>(() => undefined);
    if (this.failing) {
      this.failures++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    const now = this.clock.now();
    const tat = Math.max(this.#tat.get(key) ?? now, now);
    const wait = Math.max(0, tat - now - (burst - 1) * intervalMs);
    this.#tat.set(key, tat + count * intervalMs);
    this.reservations.push({ key, count, at: now, wait });
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs / 2);
    return wait;
  }

  async members(): Promise<Array<{ instance: string; roles: string[]; seenAgoMs: number }>> {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    return Array.from({ length: this.instances }, (_, i) => ({ instance: `test:${i}`, roles: [], seenAgoMs: 0 }));
  }
}
