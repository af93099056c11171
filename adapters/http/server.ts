/**
 * The one HTTP server on PORT, bound to HTTP_HOST: the operator's endpoints (/healthz, /readyz,
 * /metrics, /status) and whatever a platform mounts (the Telegram webhook). node:http and an exact
 * path table: a handful of fixed paths needs no router library.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../src/errors.js';
import { reportError, type Logger } from '../../src/log.js';
import type { HttpHandler, HttpRoutes } from '../../src/ops/http.js';

export interface HttpServer extends HttpRoutes {
  /** Starts listening on `port` (0: any free one) of `host`; rejects with a ConfigError when it cannot bind. */
  listen(): Promise<AddressInfo>;
  /** Where it listens, once listening. */
  readonly address: AddressInfo | null;
  /** Stops accepting connections and resolves once the requests being handled have been answered. */
  close(): Promise<void>;
}

/** The path part of a request URL, without its query string. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Builds the server; routes may be mounted before and after `listen()`. */
export function createHttpServer(options: { port: number; host: string; logger: Logger }): HttpServer {
  const { logger } = options;
  const routes = new Map<string, HttpHandler>();
  const server: Server = createServer((req, res) => {
    const handler = routes.get(pathOf(req));
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        reportError(logger, err, { method: `http ${req.method ?? ''} ${pathOf(req)}` });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end();
      });
  });
  // Keep-alive sockets of a scraper must not hold shutdown: close() drops idle ones.
  server.keepAliveTimeout = 5_000;
  let address: AddressInfo | null = null;
  let closing: Promise<void> | null = null;
  const listen = async (): Promise<AddressInfo> => {
    if (address) return address;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new ConfigError(`cannot listen on ${options.host}:${options.port} (${err.code ?? err.message}): set PORT (and HTTP_HOST) to a free port`, { variable: 'PORT' })),
      );
      server.listen(options.port, options.host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    server.on('error', (err) => reportError(logger, err, { method: 'http server' }));
    address = server.address() as AddressInfo;
    logger.info({ host: address.address, port: address.port }, 'http server listening');
    return address;
  };
  return {
    listen,
    get address() {
      return address;
    },
    get port() {
      return address?.port ?? options.port;
    },
    mount(path, handler) {
      if (routes.has(path)) throw new ConfigError(`the HTTP path ${path} is taken twice (e.g. a webhook URL on /healthz)`, { variable: 'PORT' });
      routes.set(path, handler);
      return () => {
        if (routes.get(path) === handler) routes.delete(path);
      };
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}
