/**
 * Chat leases: an instance sends a chat only while it holds that chat's lease in the store, so two
 * instances (or the bot and `newsbot deliver`) never send one chat at once and its order holds.
 * A lease lasts `leaseMs` from its last renewal; every committed outcome renews it in the same
 * transaction, and a runner that ends gives it back. A holder that dies stops renewing, and another
 * instance takes the chat once the lease has lapsed. Lease times are wall time (epoch ms): they are
 * compared across processes and machines, which share no monotonic clock.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { reportError, type Logger } from '../log.js';
import type { PlatformName } from '../platform.js';
import type { ChatId, Store, StoreTx } from '../store/index.js';

/** A lease's length when the settings name none (LEASE_SECONDS' default). */
export const DEFAULT_LEASE_MS = 60_000;

/** This process's name on leases when the store names none: host, process id and a random tag. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export interface LeaseDeps {
  store: Store;
  /** Wall time: lease expiries are compared across processes. */
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  owner: string;
  leaseMs: number;
}

export class ChatLeases {
  constructor(private readonly d: LeaseDeps) {}

  get owner(): string {
    return this.d.owner;
  }

  /** The expiry a lease taken or renewed now gets. */
  until(now = this.d.clock.now()): number {
    return now + this.d.leaseMs;
  }

  /** How long to wait before looking again at due chats others hold (their holder may be dead). */
  get recheckMs(): number {
    return Math.max(1_000, Math.round(this.d.leaseMs / 10));
  }

  /** Renew when this much of a lease has passed since the last renewal (before a send that waited long). */
  get renewAfterMs(): number {
    return this.d.leaseMs / 2;
  }

  /** Leases up to `limit` due chats that no one else holds (ours come back renewed), inside `tx`. */
  claimIn(tx: Pick<StoreTx, 'parts'>, platforms: readonly PlatformName[], limit: number): Promise<ChatId[]> {
    const now = this.d.clock.now();
    return tx.parts.claimChats(platforms, now, limit, this.d.owner, this.until(now));
  }

  /** Leases one chat (due or not); false while another holds it. Without `tx`, its own transaction. */
  claimOne(chat: ChatId, tx?: Pick<StoreTx, 'parts'>): Promise<boolean> {
    const claim = (t: Pick<StoreTx, 'parts'>) => {
      const now = this.d.clock.now();
      return t.parts.claimChat(chat, this.d.owner, now, this.until(now));
    };
    return tx ? claim(tx) : this.#alone(claim);
  }

  /** Extends the lease inside `tx`; false when it was lost (it lapsed and another took it). */
  renew(tx: Pick<StoreTx, 'parts'>, chat: ChatId): Promise<boolean> {
    const now = this.d.clock.now();
    return tx.parts.renewChat(chat, this.d.owner, now, this.until(now));
  }

  /** Gives a chat back, inside `tx` or in its own transaction; there a failure only leaves it to lapse. */
  async release(chat: ChatId, tx?: Pick<StoreTx, 'parts'>): Promise<void> {
    if (tx) return tx.parts.releaseChat(chat, this.d.owner);
    if (!this.d.store.isOpen) return;
    try {
      await this.#alone((t) => t.parts.releaseChat(chat, this.d.owner));
    } catch (err) {
      this.d.logger.debug({ ...chat, err: err instanceof Error ? err.message : String(err) }, 'outbox: a lease could not be given back; it lapses');
    }
  }

  /**
   * A lease write on its own: a transaction that never waits for another connection's lock (on
   * SQLite the busy wait would block the event loop); a locked store fails it at once.
   */
  #alone<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.d.store.transaction(fn, { wait: false });
  }

  /**
   * At start: leases held by processes of this host that no longer run (a crash, SIGKILL) are given
   * back at once, so a restarted bot does not wait out its own dead predecessor's leases. Leases of
   * other hosts lapse on their own. Returns how many were freed.
   */
  async freeDeadLocal(isAlive: (pid: number) => boolean = processRuns, host = hostname()): Promise<number> {
    const { store, clock, logger } = this.d;
    try {
      let freed = 0;
      for (const lease of await store.ops.leases(clock.now(), 10_000)) {
        const who = ownerProcess(lease.owner);
        if (!who || who.host !== host || who.pid === process.pid || isAlive(who.pid)) continue;
        await this.#alone((tx) => tx.parts.releaseChat(lease, lease.owner));
        freed++;
      }
      if (freed > 0) logger.warn({ leases: freed }, 'outbox: chats leased by a process of this host that has died are free again');
      return freed;
    } catch (err) {
      reportError(logger, err, { op: 'free dead leases' });
      return 0;
    }
  }
}

/** The host and process id of an owner named host:pid:tag, or null for another form. */
export function ownerProcess(owner: string): { host: string; pid: number } | null {
  const m = /^(.+):(\d+):[^:]+$/.exec(owner);
  return m ? { host: m[1] as string, pid: Number(m[2]) } : null;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
