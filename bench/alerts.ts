/**
 * `npm run bench -- alerts`: 10,000 chats with 5 saved searches each, and a new 20-item issue,
 * matched against all of them with the alerts' engine (a SearchIndex over the new issue; each
 * distinct query runs once). Searches are words of real item titles from the corpus (or the seed
 * issue), so some match and most do not. Also times queueing the alerts into a real SQLite outbox.
 * Compares matching with the time the alerts take to send at Telegram's overall rate (30/s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTelegramDigest } from '../adapters/telegram/render.js';
import { Alerts, matchFollows } from '../src/delivery/alerts.js';
import { digestBuilder } from '../src/digest/builder.js';
import { itemsOf, type Issue, type Item } from '../src/issue/model.js';
import { createLogger } from '../src/log.js';
import { systemClock } from '../src/clock.js';
import type { DeliveryPort } from '../src/platform.js';
import { SqliteStore, type Follow } from '../src/store/index.js';
import { archiveIssues } from './archive.js';

const CHATS = Number(process.env.BENCH_ALERT_CHATS ?? 10_000);
const PER_CHAT = 5;
const ITEMS = 20;
const RATE_PER_S = 30;

async function archiveItems(): Promise<Item[]> {
  const { issues } = await archiveIssues();
  return issues.flatMap((issue) => itemsOf(issue).map(({ item }) => item));
}

/** A small deterministic PRNG (mulberry32), so every run asks the same searches. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function run(): Promise<void> {
  const items = await archiveItems();
  const random = prng(16);
  // The new issue: the archive's last 20 items, under two sections.
  const fresh = items.slice(-ITEMS);
  const issue: Issue = {
    id: '20991231', date: '2099-12-31', title: 'bench issue', intro: '', file: 'bench.md', problems: [],
    sections: [{ title: 'A', items: fresh.slice(0, ITEMS / 2) }, { title: 'B', items: fresh.slice(ITEMS / 2) }],
  };
  // Saved searches: title words (Latin words of 3+ letters, CJK runs of 2-4 characters) from the whole archive.
  const words = [...new Set(items.flatMap((i) => i.title.match(/[A-Za-z][A-Za-z0-9-]{2,}|[\p{Script=Han}]{2,4}/gu) ?? []))];
  const follows: Follow[] = [];
  for (let c = 0; c < CHATS; c++) {
    for (let k = 0; k < PER_CHAT; k++) {
      const query = words[Math.floor(random() * words.length)] as string;
      follows.push({ id: follows.length + 1, platform: 'telegram', chatId: String(1_000_000 + c), threadId: null, query, language: 'zh', createdBy: 'bench', createdAt: 0 });
    }
  }
  const distinct = new Set(follows.map((f) => f.query)).size;

  matchFollows(issue, follows.slice(0, 1000)); // warm the JIT
  const t0 = performance.now();
  const matches = matchFollows(issue, follows);
  const matchMs = performance.now() - t0;
  const alertItems = [...matches.values()].reduce((n, m) => n + m.items.length, 0);

  // The same through the real Alerts into a real SQLite outbox (rendering and storing included).
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-bench-alerts-'));
  const store = SqliteStore.open(join(dir, 'newsbot.db'));
  try {
    await store.transaction(async (tx) => {
      for (const f of follows) await tx.readers.addFollow(f, 0);
    });
    const port: DeliveryPort = { platform: 'telegram', renderDigest: (d, l) => renderTelegramDigest(d, l).map((m) => ({ ...m })), send: async () => ({ kind: 'sent', messageId: '1' }) };
    const alerts = new Alerts({
      store, ports: new Map([['telegram', port]]), digests: digestBuilder(), issues: { on: () => undefined },
      clock: systemClock, logger: createLogger({ level: 'silent', secrets: [] }), queued: () => undefined,
    });
    const t1 = performance.now();
    const queued = await alerts.alert(issue);
    const queueMs = performance.now() - t1;
    const sendMs = (queued.parts / RATE_PER_S) * 1000;
    console.log(
      JSON.stringify({
        bench: 'alerts',
        chats: CHATS,
        searches: follows.length,
        distinct_searches: distinct,
        items: ITEMS,
        match_ms: Number(matchMs.toFixed(1)),
        alerts: matches.size,
        alert_items: alertItems,
        queue_ms: Number(queueMs.toFixed(1)),
        messages: queued.parts,
        send_ms_at_30_per_s: Math.round(sendMs),
        match_to_send: Number((matchMs / sendMs).toExponential(2)),
        queue_to_send: Number((queueMs / sendMs).toExponential(2)),
        loadavg_1m: Number(loadavg()[0]?.toFixed(1)),
      }),
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
