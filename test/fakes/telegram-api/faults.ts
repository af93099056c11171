/**
 * Programmable failures and the optional rate limit of the fake Telegram server.
 * Error texts are the ones the Bot API sends (see docs/platform-facts.md).
 */
import { ApiFailure } from './http.js';

/** A failure the fake answers with instead of serving the request. */
export type TelegramFault =
  /** 429 `Too Many Requests: retry after N` with `parameters.retry_after` N (seconds). */
  | { kind: 'rate_limited'; retryAfter: number }
  /** 403 `Forbidden: bot was blocked by the user`. */
  | { kind: 'blocked' }
  /** 403 `Forbidden: bot was kicked from the group chat` (or `supergroup chat`). */
  | { kind: 'kicked' }
  /** 403 `Forbidden: bot is not a member of the channel chat`. */
  | { kind: 'not_member' }
  /** 403 `Forbidden: user is deactivated`. */
  | { kind: 'deactivated' }
  /** 400 `Bad Request: chat not found`. */
  | { kind: 'chat_not_found' }
  /** 400 `Bad Request: group chat was upgraded to a supergroup chat` with `parameters.migrate_to_chat_id`. */
  | { kind: 'migrated'; toChatId: number }
  /** A 5xx answer (default 500). */
  | { kind: 'server_error'; status?: number }
  /** Destroys the socket without answering: the client sees a network error (ECONNRESET). */
  | { kind: 'drop' }
  /** Never answers (until `close()`): for client timeouts. */
  | { kind: 'hang' }
  /** 200 with an HTML body, as a misbehaving proxy would: the client fails to parse JSON. */
  | { kind: 'invalid_json' };

/** Which requests a fault hits, and how often. */
export interface FaultScope {
  /** Only requests for this chat (`chat_id`); every chat when absent. */
  chatId?: string | number;
  /** Only this method; when absent, every method except the polling plumbing (getUpdates, getMe, webhooks). */
  method?: string;
  /** How many matching requests fail; default 1. `Infinity` until `clearFaults()`. */
  times?: number;
}

/** Methods a fault without `method` leaves alone, so a launched bot keeps polling. */
const PLUMBING = new Set(['getUpdates', 'getMe', 'deleteWebhook', 'setWebhook', 'getWebhookInfo', 'close', 'logOut']);

const STATUS_TEXT: Readonly<Record<number, string>> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

interface ArmedFault {
  fault: TelegramFault;
  chatId: string | null;
  method: string | null;
  remaining: number;
}

/** The list of armed faults; the first that matches a request fires and counts down. */
export class FaultBook {
  private armed: ArmedFault[] = [];

  add(fault: TelegramFault, scope: FaultScope = {}): void {
    const remaining = scope.times ?? 1;
    if (!(remaining > 0)) throw new RangeError('FaultScope.times must be positive');
    this.armed.push({ fault, chatId: scope.chatId == null ? null : String(scope.chatId), method: scope.method ?? null, remaining });
  }

  clear(): void {
    this.armed = [];
  }

  /** Returns the fault for this request, if any, and uses it up once. */
  take(method: string, chatId: string | null): TelegramFault | null {
    const hit = this.armed.find(
      (a) => (a.method === null ? !PLUMBING.has(method) : a.method === method) && (a.chatId === null || a.chatId === chatId),
    );
    if (!hit) return null;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }
}

/** The Bot API error a fault produces; `drop`, `hang` and `invalid_json` have none (the server acts them out). */
export function faultFailure(fault: TelegramFault, chatType: string): ApiFailure | null {
  switch (fault.kind) {
    case 'rate_limited':
      return new ApiFailure(429, `Too Many Requests: retry after ${fault.retryAfter}`, { retry_after: fault.retryAfter });
    case 'blocked':
      return new ApiFailure(403, 'Forbidden: bot was blocked by the user');
    case 'kicked':
      return new ApiFailure(403, `Forbidden: bot was kicked from the ${chatType === 'supergroup' ? 'supergroup' : 'group'} chat`);
    case 'not_member':
      return new ApiFailure(403, 'Forbidden: bot is not a member of the channel chat');
    case 'deactivated':
      return new ApiFailure(403, 'Forbidden: user is deactivated');
    case 'chat_not_found':
      return new ApiFailure(400, 'Bad Request: chat not found');
    case 'migrated':
      return new ApiFailure(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: fault.toChatId });
    case 'server_error': {
      const status = fault.status ?? 500;
      return new ApiFailure(status, STATUS_TEXT[status] ?? 'Server Error');
    }
    case 'drop':
    case 'hang':
    case 'invalid_json':
      return null;
  }
}

/** A messages-per-second limit (global, or per chat: Telegram allows about 1/s per chat, 20/min per group). */
export interface RateLimit {
  messagesPerSecond: number;
  /** Bucket size: how many messages may go at once after a quiet spell. Default: messagesPerSecond. */
  burst?: number;
}

/**
 * A token bucket on the fake's own clock: it refills `messagesPerSecond` tokens a second up to
 * `burst`; a message takes one token or is refused with the whole seconds until one is back
 * (Telegram's retry_after is an integer, at least 1). Refused requests take no token.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    if (!(limit.messagesPerSecond > 0)) throw new RangeError('messagesPerSecond must be positive');
    this.burst = Math.max(1, limit.burst ?? limit.messagesPerSecond);
    this.tokens = this.burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.limit.messagesPerSecond);
    this.last = t;
  }

  /** Null when a token is available now, else the retry_after in whole seconds. Takes nothing. */
  wait(): number | null {
    this.refill();
    return this.tokens >= 1 ? null : Math.max(1, Math.ceil((1 - this.tokens) / this.limit.messagesPerSecond));
  }

  /** Takes a token; returns null when allowed, else the retry_after in seconds (and takes nothing). */
  take(): number | null {
    const wait = this.wait();
    if (wait === null) this.tokens -= 1;
    return wait;
  }
}
