/**
 * The status page's instances section as HTML, from views gathered over a real store: one line on
 * SQLite; on a shared store every instance with its roles in words and when it was seen, and the
 * chat leases with their owner, age and time left, every name escaped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../../adapters/http/status-page.js';
import { LEASES_SHOWN, statusView, type StatusView } from '../../../src/ops/status.js';
import type { Cluster, OpsView } from '../../../src/store/index.js';
import { EMPTY_SUMMARY, LEASED_AT, leasedStore, OWNER_A, OWNER_B, TestCluster, type LeasedStore } from '../../support/leased-store.js';

const NOW = LEASED_AT;
const A = OWNER_A;
const B = OWNER_B;
const summary = EMPTY_SUMMARY;

let leased: LeasedStore | null = null;
afterEach(async () => {
  await leased?.close();
  leased = null;
});

async function viewOf(store: OpsView): Promise<StatusView> {
  return statusView({ issues: () => null, store: () => store, readiness: () => ({ ready: true, reasons: [] }), metrics: async () => summary, now: () => NOW });
}

/** The page's text from the Instances heading to the next h2 (or the end), tags dropped, spaces folded. */
function instancesText(html: string): string {
  const from = html.indexOf('<h2>Instances');
  if (from < 0) return '';
  const to = html.indexOf('<h2>', from + 4);
  return html.slice(from, to < 0 ? undefined : to).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ ([.,])/g, '$1').trim();
}

describe('the status page: instances', () => {
  it('GIVEN SQLite THEN it says one instance holds every role, and lists no leases', async () => {
    leased = await leasedStore(NOW, 2, 2, [A, B]);
    const html = renderStatusPage(await viewOf(leased.view(null)));
    expect(instancesText(html)).toBe('Instances One instance (SQLite): it holds every role.');
    expect(html).not.toContain('Chat leases');
  });

  it('GIVEN two instances sharing the store THEN each is listed with its roles in words and when it was seen (this one marked), and each lease with owner, held for and expires in', async () => {
    leased = await leasedStore(NOW, 3, 1, [A, B]);
    const cluster = new TestCluster(B, [
      { instance: A, roles: ['scheduler', 'telegram:polling'], seenAgoMs: 4_000 },
      { instance: B, roles: ['discord:gateway'], seenAgoMs: 300 },
      { instance: 'host-c:303:z3', roles: [], seenAgoMs: 125_000 },
    ]);
    const text = instancesText(renderStatusPage(await viewOf(leased.view(cluster))));
    expect(text).toContain(`Instances (3) This is ${B}.`);
    expect(text).toContain(`Instance Roles Seen ${B} this one discord gateway 0 s ago ${A} scheduler, telegram polling 4 s ago host-c:303:z3 standing by 2 min ago`);
    expect(text).toContain(`Chat leases (3) Chat Owner Held for Expires in telegram 1000 ${A} 5 s 1 min telegram 1001 ${B} 2 s 30 s telegram 1002 ${B} 2 s 30 s`);
    expect(text).not.toContain('more are held');
  });

  it(`GIVEN more than ${LEASES_SHOWN} leases THEN the oldest ${LEASES_SHOWN} are shown and the page says more are held`, async () => {
    leased = await leasedStore(NOW, LEASES_SHOWN + 1, 1, [A, B]);
    const html = renderStatusPage(await viewOf(leased.view(new TestCluster(A, [{ instance: A, roles: ['scheduler'], seenAgoMs: 0 }]))));
    const text = instancesText(html);
    expect(text).toContain(`Chat leases (the oldest ${LEASES_SHOWN})`);
    expect(text).toContain(`Showing the oldest ${LEASES_SHOWN}; more are held.`);
    expect(text.match(/telegram 1\d{3} /g)).toHaveLength(LEASES_SHOWN);
  });

  it('GIVEN no chat leased and an instance name and role carrying markup THEN the page says none are held and shows the names as text', async () => {
    leased = await leasedStore(NOW, 0, 0, [A, B]);
    const hostile = '<img src=x onerror=alert(1)>:1:x';
    const cluster: Pick<Cluster, 'instance' | 'members'> = new TestCluster(hostile, [{ instance: hostile, roles: ['<b>odd</b>'], seenAgoMs: 0 }]);
    const html = renderStatusPage(await viewOf(leased.view(cluster)));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>odd');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;:1:x');
    expect(html).toContain('&lt;b&gt;odd&lt;/b&gt;');
    expect(instancesText(html)).toContain('Chat leases (none held)');
  });
});
