/**
 * Programmed failures and the optional global rate limit of the fake Discord, with Discord's
 * response shapes (429 with a Retry-After header, 403 Missing Access, 404 Unknown Channel, 5xx).
 */
import type { ApiReply } from './discord-rest.js';

export type FaultKind = 'rate_limited' | 'missing_access' | 'missing_permissions' | 'unknown_channel' | 'server_error' | 'hang' | 'reset';

/** A programmed failure. Without `channelId`/`route` it hits any request (except GET /gateway/bot). */
export interface FaultSpec {
  kind: FaultKind;
  channelId?: string;
  /** A route template as in RecordedRequest.route, e.g. `POST /channels/:channel/messages`. */
  route?: string;
  /** How many requests it hits (default 1; Infinity for all). */
  times?: number;
  /** rate_limited: seconds in the Retry-After header and body (default 1; fractions allowed). */
  retryAfterSeconds?: number;
  /** rate_limited: a global limit (adds X-RateLimit-Global). */
  global?: boolean;
  /** server_error: the status (default 500). */
  status?: number;
}

export interface FakeStats {
  requests: number;
  /** 429s from `requestsPerSecond` enforcement. */
  enforced429s: number;
  /** 429s from programmed faults. */
  injected429s: number;
}

/** What a fault does to a request: an answer, or never answering, or dropping the connection. */
export type FaultOutcome = ApiReply | 'hang' | 'reset';

const FIXED_REPLIES: Record<'missing_access' | 'missing_permissions' | 'unknown_channel', ApiReply> = {
  missing_access: { status: 403, body: { message: 'Missing Access', code: 50001 } },
  missing_permissions: { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
  unknown_channel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
};

/** Discord's 429: Retry-After header (what @discordjs/rest reads) and the JSON body. */
export function rateLimitedReply(seconds: number, global: boolean): ApiReply {
  return {
    status: 429,
    headers: { 'retry-after': String(seconds), 'x-ratelimit-scope': global ? 'global' : 'user', ...(global ? { 'x-ratelimit-global': 'true' } : {}) },
    body: { message: 'You are being rate limited.', retry_after: seconds, global },
  };
}

export class Faults {
  private list: Array<FaultSpec & { remaining: number }> = [];
  private requestsPerSecond: number | null;
  private window = { start: -Infinity, count: 0 };
  readonly stats: FakeStats = { requests: 0, enforced429s: 0, injected429s: 0 };

  constructor(requestsPerSecond: number | null, private readonly clock: () => number) {
    this.requestsPerSecond = requestsPerSecond;
  }

  add(spec: FaultSpec): void {
    this.list.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.list = [];
  }

  setRateLimit(requestsPerSecond: number | null): void {
    this.requestsPerSecond = requestsPerSecond;
    this.window = { start: -Infinity, count: 0 };
  }

  /** The enforced global limit's 429 for this request, if over it. Interaction callbacks are exempt, as on Discord. */
  enforce(route: string): ApiReply | null {
    if (this.requestsPerSecond === null || route.startsWith('POST /interactions/')) return null;
    const now = this.clock();
    if (now - this.window.start >= 1000) this.window = { start: now, count: 0 };
    this.window.count += 1;
    if (this.window.count <= this.requestsPerSecond) return null;
    this.stats.enforced429s += 1;
    return rateLimitedReply((this.window.start + 1000 - now) / 1000, true);
  }

  /** Consumes the first matching fault and returns what it does, or null. */
  take(route: string, params: Record<string, string>): FaultOutcome | null {
    const fault = this.list.find(
      (f) => f.remaining > 0 && (f.route === undefined ? route !== 'GET /gateway/bot' : f.route === route) && (f.channelId === undefined || f.channelId === params.channel),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    switch (fault.kind) {
      case 'rate_limited':
        this.stats.injected429s += 1;
        return rateLimitedReply(fault.retryAfterSeconds ?? 1, fault.global ?? false);
      case 'server_error':
        return { status: fault.status ?? 500, body: { message: 'Internal Server Error', code: 0 } };
      case 'hang':
      case 'reset':
        return fault.kind;
      default:
        return FIXED_REPLIES[fault.kind];
    }
  }
}
