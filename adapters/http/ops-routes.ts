/**
 * The operator's endpoints on the shared server:
 *   GET /healthz  200 while the process is alive and its event loop responsive, else 503;
 *   GET /readyz   200 once library, store and every platform are up, else 503 with the reasons (JSON);
 *   GET /metrics  Prometheus text (prom-client);
 *   GET /status   the status page, only when STATUS_TOKEN is set: the token as `?token=` or
 *                 `Authorization: Bearer`, compared in constant time; wrong or missing: 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactSecrets } from '../../src/log.js';
import type { HealthReport } from '../../src/ops/heartbeat.js';
import type { HttpRoutes } from '../../src/ops/http.js';
import type { ReadinessReport } from '../../src/ops/readiness.js';
import type { StatusView } from '../../src/ops/status.js';
import { renderStatusPage } from './status-page.js';

export interface OpsEndpoints {
  health(): HealthReport;
  readiness(): ReadinessReport;
  metrics(): Promise<{ contentType: string; text: string }>;
  status(): Promise<StatusView>;
  /** STATUS_TOKEN; absent: no status page (404). */
  statusToken?: string | undefined;
  /** Values never to appear in a page (tokens), whatever an issue or error holds. */
  secrets: readonly string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Mounts the four endpoints; returns the unmount. */
export function mountOpsRoutes(routes: HttpRoutes, ops: OpsEndpoints): () => void {
  const unmount = [
    routes.mount('/healthz', (req, res) => {
      if (!isRead(req, res)) return;
      const health = ops.health();
      send(res, health.ok ? 200 : 503, JSON_TYPE, JSON.stringify({ status: health.ok ? 'ok' : 'stalled', eventLoopLagMs: health.lagMs }), req);
    }),
    routes.mount('/readyz', (req, res) => {
      if (!isRead(req, res)) return;
      const ready = ops.readiness();
      send(res, ready.ready ? 200 : 503, JSON_TYPE, JSON.stringify({ status: ready.ready ? 'ready' : 'not ready', reasons: ready.reasons }), req);
    }),
    routes.mount('/metrics', async (req, res) => {
      if (!isRead(req, res)) return;
      const { contentType, text } = await ops.metrics();
      send(res, 200, contentType, text, req);
    }),
    routes.mount('/status', async (req, res) => {
      if (!isRead(req, res)) return;
      if (!ops.statusToken) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', req);
      if (!tokenMatches(ops.statusToken, presentedToken(req))) {
        res.setHeader('www-authenticate', 'Bearer realm="newsbot status"');
        return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized: add ?token=<STATUS_TOKEN>\n', req);
      }
      const html = redactSecrets(renderStatusPage(await ops.status()), ops.secrets);
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('x-robots-tag', 'noindex');
      send(res, 200, 'text/html; charset=utf-8', html, req);
    }),
  ];
  return () => unmount.forEach((u) => u());
}

function isRead(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
  return false;
}

function send(res: ServerResponse, status: number, type: string, body: string, req: IncomingMessage): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function presentedToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const url = new URL(req.url ?? '/', 'http://localhost');
  return url.searchParams.get('token');
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(expected: string, presented: string | null): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented ?? '', 'utf8').digest();
  return timingSafeEqual(a, b) && presented !== null;
}
