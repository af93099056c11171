/**
 * The status page's data about instances: on SQLite one line; on a shared store the instances seen
 * (this one first) with their roles, and the chat leases read from a real store (oldest first, cut
 * at LEASES_SHOWN with a note that more are held).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LEASES_SHOWN, statusView, type StatusSources } from '../../src/ops/status.js';
import type { OpsView } from '../../src/store/index.js';
import { EMPTY_SUMMARY, LEASED_AT, leasedStore, OWNER_A, OWNER_B, TestCluster, type LeasedStore } from '../support/leased-store.js';

const NOW = LEASED_AT;
const A = OWNER_A;
const B = OWNER_B;
const summary = EMPTY_SUMMARY;

function sources(store: OpsView | null): StatusSources {
  return { issues: () => null, store: () => store, readiness: () => ({ ready: true, reasons: [] }), metrics: async () => summary, now: () => NOW };
}

let leased: LeasedStore | null = null;
afterEach(async () => {
  await leased?.close();
  leased = null;
});

describe('statusView: instances', () => {
  it('GIVEN a SQLite store (no cluster) THEN the view says one instance and lists no members or leases', async () => {
    leased = await leasedStore(NOW, 2, 2, [A, B]);
    const view = await statusView(sources(leased.view(null)));
    expect(view.instances).toEqual({ shared: false });
  });

  it('GIVEN no open store THEN there is nothing to say about instances', async () => {
    expect((await statusView(sources(null))).instances).toBeNull();
  });

  it('GIVEN two instances sharing the store, each leasing chats THEN this instance comes first with its roles, and the leases show owner, held-for and expires-in, oldest first', async () => {
    leased = await leasedStore(NOW, 3, 1, [A, B]);
    const cluster = new TestCluster(B, [
      { instance: A, roles: ['scheduler', 'telegram:polling'], seenAgoMs: 1_200 },
      { instance: B, roles: ['discord:gateway'], seenAgoMs: 300 },
    ]);
    const view = await statusView(sources(leased.view(cluster)));
    expect(view.instances).toEqual({
      shared: true,
      self: B,
      members: [
        { instance: B, roles: ['discord:gateway'], seenAgoMs: 300 },
        { instance: A, roles: ['scheduler', 'telegram:polling'], seenAgoMs: 1_200 },
      ],
      leases: [
        { platform: 'telegram', chatId: '1000', owner: A, heldMs: 5_000, expiresInMs: 60_000 },
        { platform: 'telegram', chatId: '1001', owner: B, heldMs: 2_000, expiresInMs: 30_000 },
        { platform: 'telegram', chatId: '1002', owner: B, heldMs: 2_000, expiresInMs: 30_000 },
      ],
      moreLeases: false,
    });
    expect(cluster.membersAsked).toBe(1);
  });

  it(`GIVEN more than ${LEASES_SHOWN} leases THEN the oldest ${LEASES_SHOWN} are listed and the view says more are held`, async () => {
    leased = await leasedStore(NOW, LEASES_SHOWN + 5, 3, [A, B]);
    const view = await statusView(sources(leased.view(new TestCluster(A, [{ instance: A, roles: [], seenAgoMs: 0 }]))));
    if (!view.instances?.shared) throw new Error('a shared store was given');
    expect(view.instances.leases).toHaveLength(LEASES_SHOWN);
    expect(view.instances.moreLeases).toBe(true);
    expect(view.instances.leases.slice(0, 3).map((l) => l.owner)).toEqual([A, A, A]);
    expect(view.instances.leases.slice(3).every((l) => l.owner === B)).toBe(true);
  });

  it('GIVEN a lease that expired THEN it is not listed (another instance may take the chat)', async () => {
    leased = await leasedStore(NOW, 2, 1, [A, B]);
    const later: StatusSources = { ...sources(leased.view(new TestCluster(A, []))), now: () => NOW + 45_000 };
    const view = await statusView(later);
    if (!view.instances?.shared) throw new Error('a shared store was given');
    // B's lease ran until NOW + 30 s; A's until NOW + 60 s.
    expect(view.instances.leases).toEqual([{ platform: 'telegram', chatId: '1000', owner: A, heldMs: 50_000, expiresInMs: 15_000 }]);
  });
});
