/**
 * Webhook mode: an HTTP server on PORT that hands Telegram's POSTs to telegraf's own webhook
 * callback. Only POSTs to the webhook URL's path carrying the right
 * `X-Telegram-Bot-Api-Secret-Token` header get through; anything else is answered 403.
 *
 * telegraf's default filter prints both the received and the expected secret through its `debug`
 * logger (DEBUG=telegraf:*) on a mismatch, so the filter is replaced by one that never logs.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Telegraf } from 'telegraf';
import { reportError, type Logger } from '../../src/log.js';
import type { HttpHandler, HttpRoutes } from '../../src/ops/http.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

interface WebhookServerOptions {
  /** The path Telegram posts to (the webhook URL's path). */
  path: string;
  secret: string;
  port: number;
  /** Default: every interface. */
  host?: string;
  logger: Logger;
}

export interface WebhookServer {
  /** Where it listens (the real port when 0 was asked for). */
  readonly address: AddressInfo;
  /** Stops accepting requests and resolves once the ones being handled have been answered. */
  close(): Promise<void>;
}

function sameSecret(expected: string, received: string | string[] | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The path part of a request URL, without its query string. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** telegraf's webhook callback behind our filter: POST, the path, the secret header. */
function webhookHandler(bot: Telegraf, options: Pick<WebhookServerOptions, 'path' | 'secret' | 'logger'>): HttpHandler {
  bot.webhookFilter = function (req) {
    return req.method === 'POST' && pathOf(req) === this.path && sameSecret(this.secretToken ?? '', req.headers[SECRET_HEADER]);
  };
  const callback = bot.webhookCallback(options.path, { secretToken: options.secret });
  return (req, res) =>
    callback(req, res).catch((err: unknown) => {
      reportError(options.logger, err, { platform: 'telegram', method: 'webhook' });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
}

/** The webhook as a route of the app's shared HTTP server (npm start); `close` unmounts it. */
export function mountWebhook(bot: Telegraf, routes: HttpRoutes, options: Pick<WebhookServerOptions, 'path' | 'secret' | 'logger'>): WebhookServer {
  const unmount = routes.mount(options.path, webhookHandler(bot, options));
  return { address: { address: '', family: '', port: routes.port }, close: async () => unmount() };
}

/** Starts a server of its own (no shared one given); rejects if the port cannot be bound. */
export async function startWebhookServer(bot: Telegraf, options: WebhookServerOptions): Promise<WebhookServer> {
  const handler = webhookHandler(bot, options);
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => reportError(options.logger, err, { platform: 'telegram', method: 'webhook' }));
  let closing: Promise<void> | null = null;
  return {
    address: server.address() as AddressInfo,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}
