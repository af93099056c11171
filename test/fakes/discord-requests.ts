/**
 * What the fake Discord records of each HTTP request, and waiting for one: a request is recorded
 * once the fake has decided its answer, and seen again when a client hangs up on a request the fake
 * held (a `hang` fault), so a test can wait for "the client gave up on it".
 */
import type { IncomingMessage } from 'node:http';
import type { ApiReply } from './discord-rest.js';

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, percent-decoded, without the query. */
  path: string;
  /** `METHOD /template`, e.g. `POST /channels/:channel/messages`; `METHOD ?` when unknown. */
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** Request headers; `authorization` is replaced by `[redacted]` when present. */
  headers: Record<string, string>;
  /** The status the fake answered; 0 when it hung or reset the connection. */
  status: number;
  at: number;
  /**
   * When the client closed the connection of a request the fake held unanswered (a `hang` fault),
   * e.g. because it aborted the request; null while held, and for every answered request.
   */
  hungUpAt: number | null;
}

export type RequestMatch = string | ((request: RecordedRequest) => boolean);

export function matcher(match: RequestMatch): (r: RecordedRequest) => boolean {
  return typeof match === 'function' ? match : (r) => r.route === match || `${r.method} ${r.path}` === match;
}

/** The fake's request log. */
export class RequestLog {
  private readonly log: RecordedRequest[] = [];
  private readonly waiters = new Map<(r: RecordedRequest) => void, NodeJS.Timeout>();

  /** Recorded requests, optionally filtered. */
  all(match?: RequestMatch): RecordedRequest[] {
    return match === undefined ? [...this.log] : this.log.filter(matcher(match));
  }

  /** Records a request the fake has decided its answer for. */
  add(record: RecordedRequest): void {
    this.log.push(record);
    this.notify(record);
  }

  /** The client closed the connection of a held request. */
  hungUp(record: RecordedRequest): void {
    record.hungUpAt = Date.now();
    this.notify(record);
  }

  /** Resolves with the first recorded request that matches (ones already recorded count). */
  waitFor(match: RequestMatch, timeoutMs = 5000): Promise<RecordedRequest> {
    const test = matcher(match);
    const seen = this.log.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = (r: RecordedRequest) => {
        if (!test(r)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake discord: no request matching ${typeof match === 'string' ? match : 'the predicate'} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(waiter, timer);
    });
  }

  /** Pending waits stay pending; their timers must not keep the process alive. */
  close(): void {
    for (const timer of this.waiters.values()) clearTimeout(timer);
    this.waiters.clear();
  }

  private notify(record: RecordedRequest): void {
    for (const waiter of [...this.waiters.keys()]) waiter(record);
  }
}

/** The API version prefix every routed path carries. */
const PREFIX = '/api/v10';

/**
 * Reads a request into a record: the body parsed as JSON (`refused` is Discord's 400 when it is not
 * JSON), the Authorization header checked against `token` and then redacted.
 */
export async function readRequest(
  req: IncomingMessage,
  token: string,
): Promise<{ record: RecordedRequest; authorized: boolean; versioned: boolean; refused: ApiReply | null }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const authorized = headers.authorization === `Bot ${token}`;
  if (headers.authorization !== undefined) headers.authorization = '[redacted]';
  const method = req.method ?? 'GET';
  const versioned = url.pathname.startsWith(PREFIX);
  const path = versioned ? url.pathname.slice(PREFIX.length).split('/').map(decodeURIComponent).join('/') : url.pathname;
  const record: RecordedRequest = {
    method, path, route: `${method} ?`, params: {}, query: Object.fromEntries(url.searchParams), body: undefined, headers, status: 0, at: Date.now(), hungUpAt: null,
  };
  let refused: ApiReply | null = null;
  if (raw.length > 0 && !(headers['content-type'] ?? '').includes('application/json')) {
    refused = { status: 400, body: { message: 'fake discord: only JSON bodies are supported (no files)', code: 50035 } };
  } else {
    try {
      record.body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      refused = { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } };
    }
  }
  return { record, authorized, versioned, refused };
}
