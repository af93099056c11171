/**
 * A `Cluster` for tests, in memory: instances of one `LockTable` share roles the way PostgreSQL
 * advisory locks do (one holder per role; a dead connection frees its locks). Every call is
 * recorded, and the test sets the answers it needs: the table's holders, or a failure (the
 * database down) with `failWith`.
 */
import type { Cluster } from '../../src/store/port.js';

/** The shared locks: role → instance. */
export class LockTable {
  readonly holders = new Map<string, string>();

  /** The instance's connection died: every lock it held is free. */
  kill(instance: string): void {
    for (const [role, holder] of this.holders) if (holder === instance) this.holders.delete(role);
  }

  /** Someone else (another instance) holds `role`. */
  take(role: string, instance: string): void {
    this.holders.set(role, instance);
  }
}

export interface ClusterCall {
  method: 'tryLead' | 'releaseLead';
  role: string;
  /** What it answered: true or false for tryLead, 'error' when it threw. */
  answer: boolean | 'error' | null;
}

export class TestCluster implements Cluster {
  readonly calls: ClusterCall[] = [];
  /** While set, every call throws it (the database is down). */
  failWith: Error | null = null;

  constructor(
    readonly instance: string,
    readonly locks: LockTable = new LockTable(),
  ) {}

  async tryLead(role: string): Promise<boolean> {
    if (this.failWith) {
      this.calls.push({ method: 'tryLead', role, answer: 'error' });
      throw this.failWith;
    }
    const holder = this.locks.holders.get(role);
    const lead = holder === undefined || holder === this.instance;
    if (lead) this.locks.holders.set(role, this.instance);
    this.calls.push({ method: 'tryLead', role, answer: lead });
    return lead;
  }

  async releaseLead(role: string): Promise<void> {
    if (this.failWith) {
      this.calls.push({ method: 'releaseLead', role, answer: 'error' });
      throw this.failWith;
    }
    if (this.locks.holders.get(role) === this.instance) this.locks.holders.delete(role);
    this.calls.push({ method: 'releaseLead', role, answer: null });
  }

  get leading(): ReadonlySet<string> {
    return new Set([...this.locks.holders].filter(([, holder]) => holder === this.instance).map(([role]) => role));
  }

  async reserve(): Promise<number> {
    return 0;
  }

  async members(): Promise<Array<{ instance: string; roles: string[]; seenAgoMs: number }>> {
    return [{ instance: this.instance, roles: [...this.leading], seenAgoMs: 0 }];
  }

  /** The calls of one method, in order. */
  callsOf(method: ClusterCall['method']): ClusterCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}
