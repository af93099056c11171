/**
 * For the broadcast bench: newsbot's metrics and the ops HTTP server on 127.0.0.1, and a poller that
 * asks for /metrics and /status every second, as Prometheus and an operator's open page would.
 */
import { mountOpsRoutes } from '../adapters/http/ops-routes.js';
import { createHttpServer } from '../adapters/http/server.js';
import { createLogger } from '../src/log.js';
import { PromMetrics } from '../src/ops/metrics.js';
import { statusView } from '../src/ops/status.js';
import type { Issue, Problem } from '../src/issue/model.js';
import type { Store } from '../src/store/index.js';

export interface ScrapeStats {
  count: number;
  meanMs: number;
  maxMs: number;
}

const TOKEN = 'bench-status-token-0123456789';

export async function startScrapedOps(sources: { issues: () => { list(): Issue[]; problems(): readonly Problem[] }; store: () => Store | null }) {
  const logger = createLogger({ level: 'silent', secrets: [] });
  const metrics = new PromMetrics({ ...sources, now: () => Date.now() });
  const server = createHttpServer({ port: 0, host: '127.0.0.1', logger });
  mountOpsRoutes(server, {
    health: () => ({ ok: true, lagMs: 0 }),
    readiness: () => ({ ready: true, reasons: [] }),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
    status: () => statusView({ ...sources, readiness: () => ({ ready: true, reasons: [] }), metrics: () => metrics.summary(), now: () => Date.now() }),
    statusToken: TOKEN,
    secrets: [],
  });
  const { port } = await server.listen();
  const times: number[] = [];
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();
  const scrape = async () => {
    const t0 = performance.now();
    for (const path of ['/metrics', `/status?token=${TOKEN}`]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.text();
    }
    times.push(performance.now() - t0);
  };
  return {
    metrics,
    scrapeEverySecond() {
      timer = setInterval(() => {
        const p = scrape().finally(() => inFlight.delete(p));
        inFlight.add(p);
      }, 1_000);
    },
    async stopScraping(): Promise<ScrapeStats> {
      if (timer) clearInterval(timer);
      await Promise.all([...inFlight]);
      return { count: times.length, meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length), maxMs: Math.max(0, ...times) };
    },
    close: () => server.close(),
  };
}
