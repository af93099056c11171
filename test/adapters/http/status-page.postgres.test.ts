/**
 * The operator's view of several instances on a real PostgreSQL server (a throwaway one, see
 * test/support/postgres.ts): two stores on one database stand for two instances, each taking a role
 * through its Cluster and leasing chats. The status page of one names itself, lists both with their
 * roles and the leases with their owners; its /metrics says which roles it holds. When the other
 * instance leaves, the page and the metrics follow.
 */
import { afterEach, expect, it } from 'vitest';
import { renderStatusPage } from '../../../adapters/http/status-page.js';
import { PromMetrics, type MetricsSummary } from '../../../src/ops/metrics.js';
import { statusView } from '../../../src/ops/status.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { describePostgres } from '../../support/postgres-suite.js';
import { parsePrometheusText } from '../../support/prom-text.js';

const summary: MetricsSummary = {
  issuesLoaded: 0, issueProblems: 0, commands: 0, partsSent: 0, partsFailed: 0, partsRetried: 0, rateLimitWaits: 0,
  rateLimitSeconds: 0, outboxDepth: 0, oldestPendingSeconds: 0, pausedSubscriptions: 0, lastScheduledRun: null,
};

/** The instances section's text (tags dropped, spaces folded). */
function instancesText(html: string): string {
  const from = html.indexOf('<h2>Instances');
  const to = html.indexOf('<h2>', from + 4);
  return html.slice(from, to < 0 ? undefined : to).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ ([.,])/g, '$1').trim();
}

let stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

describePostgres('the status page and metrics on PostgreSQL', (server) => {
  it('GIVEN two instances on one database, one the scheduler and the other polling Telegram, each leasing chats THEN the page lists both with roles and leases by owner, and metrics say which roles this one holds; WHEN the other leaves THEN it is gone from both', async () => {
    const url = await server().createDatabase();
    const a = await openStore({ databasePath: ':unused:', databaseUrl: url });
    const b = await openStore({ databasePath: ':unused:', databaseUrl: url });
    stores = [a, b];
    if (!a.cluster || !b.cluster) throw new Error('a PostgreSQL store is shared');
    const [nameA, nameB] = [a.cluster.instance, b.cluster.instance];
    expect(await a.cluster.tryLead('scheduler')).toBe(true);
    expect(await b.cluster.tryLead('telegram:polling')).toBe(true);
    expect(await b.cluster.tryLead('scheduler')).toBe(false);

    const now = Date.now();
    const part = (chatId: string) => ({ platform: 'telegram', chatId, threadId: null, issueId: '20250101', partIndex: 0, partCount: 1, payload: { text: chatId } });
    await a.parts.insertParts(['1001', '1002', '1003'].map(part), now - 10_000);
    expect(await a.parts.claimChats(['telegram'], now - 4_000, 1, nameA, now + 60_000)).toHaveLength(1);
    expect(await b.parts.claimChats(['telegram'], now - 2_000, 5, nameB, now + 30_000)).toHaveLength(2);

    const pageOf = async (store: Store) =>
      instancesText(renderStatusPage(await statusView({ issues: () => null, store: () => store, readiness: () => ({ ready: true, reasons: [] }), metrics: async () => summary, now: () => now }, {})));
    const page = await pageOf(a);
    expect(page).toContain(`Instances (2) This is ${nameA}.`);
    expect(page).toMatch(new RegExp(`${escaped(nameA)} this one scheduler \\d+ s ago`));
    expect(page).toMatch(new RegExp(`${escaped(nameB)} telegram polling \\d+ s ago`));
    expect(page).toContain(`Chat leases (3) Chat Owner Held for Expires in telegram 1001 ${nameA} 4 s 1 min`);
    expect(page.match(new RegExp(`telegram 100[23] ${escaped(nameB)} 2 s 30 s`, 'g'))).toHaveLength(2);

    const metrics = new PromMetrics({ issues: () => null, store: () => a, now: () => now }, { processMetrics: false });
    const before = parsePrometheusText(await metrics.text());
    expect(before.value('newsbot_roles_held', { role: 'scheduler' })).toBe(1);
    expect(before.value('newsbot_roles_held', { role: 'telegram:polling' })).toBe(0);
    expect(before.value('newsbot_chat_leases')).toBe(3);

    // B shuts down: its roles go with its sessions and it leaves the member list; its leases stay until they expire.
    await b.close();
    stores = [a];
    expect(await a.cluster.tryLead('telegram:polling')).toBe(true);
    const after = await pageOf(a);
    expect(after).toContain(`Instances (1) This is ${nameA}.`);
    expect(after).toMatch(new RegExp(`${escaped(nameA)} this one scheduler, telegram polling \\d+ s ago`));
    expect(after).not.toMatch(new RegExp(`${escaped(nameB)} (this one )?(Telegram|scheduler|standing)`));
    const later = parsePrometheusText(await metrics.text());
    expect(later.value('newsbot_roles_held', { role: 'telegram:polling' })).toBe(1);
    expect(later.value('newsbot_roles_held', { role: 'scheduler' })).toBe(1);
  }, 60_000);
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
