/**
 * For the broadcast bench: the ops side as `npm start` builds it (metrics, alerts, the HTTP server on
 * 127.0.0.1) and a scraper in a child process, as Prometheus and an operator's browser would be,
 * asking for /metrics and /status every second. The scraper's own work stays out of the bot's process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createOps } from '../adapters/http/ops.js';
import type { Config } from '../src/config.js';
import type { IssueLibrary } from '../src/library/library.js';
import { createLogger } from '../src/log.js';
import type { Store } from '../src/store/index.js';

export interface ScrapeStats {
  count: number;
  meanMs: number;
  maxMs: number;
}

const SCRAPER = `
const [base, token] = process.argv.slice(1);
const times = [];
const scrape = async () => {
  const t0 = performance.now();
  for (const path of ['/metrics', '/status?token=' + token]) {
    const res = await fetch(base + path);
    if (res.status !== 200) throw new Error(path + ': ' + res.status);
    await res.text();
  }
  times.push(performance.now() - t0);
};
const timer = setInterval(() => scrape().catch((e) => console.error(String(e))), 1000);
process.stdin.on('data', () => {});
process.stdin.on('end', () => {
  clearInterval(timer);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  process.stdout.write(JSON.stringify({ count: times.length, meanMs: mean, maxMs: Math.max(0, ...times) }));
});
`;

export async function startScrapedOps(config: Config, parts: { library: IssueLibrary; store: () => Store | null }) {
  const token = 'bench-status-token-0123456789';
  const ops = createOps({ ...config, PORT: 0, HTTP_HOST: '127.0.0.1', STATUS_TOKEN: token }, createLogger({ level: 'silent', secrets: [] }), ['telegram']);
  ops.attach(parts);
  await ops.listen();
  let child: ChildProcess | null = null;
  return {
    observer: ops.observer,
    scrapeEverySecond() {
      child = spawn(process.execPath, ['-e', SCRAPER, `http://127.0.0.1:${ops.http.port}`, token], { stdio: ['pipe', 'pipe', 'inherit'] });
    },
    async stopScraping(): Promise<ScrapeStats | null> {
      const c = child;
      if (!c) return null;
      let out = '';
      c.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const closed = new Promise((r) => c.on('close', r));
      c.stdin?.end();
      await closed;
      return JSON.parse(out) as ScrapeStats;
    },
    close: () => ops.close(),
  };
}
