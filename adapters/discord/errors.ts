/**
 * Maps what discord.js / @discordjs/rest throw to a `DeliveryOutcome`, and builds the
 * `PlatformError` that gets logged. How the library fails (checked in @discordjs/rest 2.6 source):
 * - `DiscordAPIError` (`status`, `code`) for every 4xx except 429; thrown at once, no retry.
 * - `RateLimitError` (`retryAfter` and `timeToReset` in ms) only when `rejectOnRateLimit` says so;
 *   otherwise the library sleeps and retries 429s without limit.
 * - `HTTPError` (`status`) for 5xx once its `retries` immediate retries are spent.
 * - An `AbortError` when a request exceeds `timeout` (after the same retries) or our signal aborts.
 * - Plain `Error`s with a `code` (ECONNREFUSED, UND_ERR_SOCKET…) for network failures.
 * Nothing here carries the bot token (it only travels in the Authorization header); interaction
 * and webhook tokens in URLs are masked by `safeRoute`.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { PlatformError } from '../../src/errors.js';
import type { DeliveryOutcome } from '../../src/platform.js';

/** The call that failed, for messages and logs. */
export interface DiscordCall {
  /** HTTP method, e.g. POST. */
  method: string;
  /** Path or route, e.g. `/channels/123/messages`; ids and tokens are masked before use. */
  route: string;
  /** The channel (or thread) the call was for, when it was for one. */
  channelId?: string | null;
}

/** A send aborted at its deadline (see delivery.ts): the sender's own, or its caller's signal. */
export class DiscordDeadlineError extends Error {
  override readonly name = 'DiscordDeadlineError';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const MAX_REASON = 300;

/**
 * A route safe to log: the part after /api/vN, snowflakes as `:id`, and the secret token segment
 * of webhook and interaction paths as `:token`; no query string.
 */
export function safeRoute(route: string): string {
  let path = route;
  try {
    if (/^https?:\/\//.test(path)) path = new URL(path).pathname;
  } catch {
    // not a URL after all: treat it as a path
  }
  path = path.split('?')[0] ?? '';
  path = path.replace(/^\/api(\/v\d+)?/, '');
  path = path.replace(/^\/(webhooks|interactions)\/([^/]+)\/[^/]+/, '/$1/$2/:token');
  return path.replace(/\b\d{15,21}\b/g, ':id');
}

function errorCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return null;
}

const firstLine = (text: string): string => (text.split('\n')[0] ?? '').slice(0, MAX_REASON);
const fieldLines = (text: string): string => text.split('\n').slice(1).join('; ').slice(0, MAX_REASON);

interface Classified {
  outcome: DeliveryOutcome;
  status: number | null;
  code: number | string | null;
  summary: string;
}

function classify(err: unknown, where: string): Classified {
  if (err instanceof RateLimitError) {
    const ms = Math.ceil(err.retryAfter > 0 ? err.retryAfter : err.timeToReset > 0 ? err.timeToReset : 1000);
    const summary = `Discord rate limit${err.global ? ' (global)' : ''}: retry after ${ms} ms`;
    return { outcome: { kind: 'rate_limited', retryAfterMs: ms, reason: `${summary} (${where})`, ...(err.global ? { global: true } : {}) }, status: 429, code: null, summary };
  }
  if (err instanceof DiscordAPIError) {
    const details = fieldLines(err.message);
    const summary = `Discord ${err.status} ${firstLine(err.message)} (code ${err.code})${details ? `: ${details}` : ''}`;
    const reason = `${summary} (${where})`;
    const base = { status: err.status, code: err.code, summary };
    if (err.status === 429) {
      const raw = err.rawError as { retry_after?: unknown; global?: unknown };
      const ms = typeof raw.retry_after === 'number' ? Math.ceil(raw.retry_after * 1000) : 1000;
      return { ...base, outcome: { kind: 'rate_limited', retryAfterMs: ms, reason, ...(raw.global === true ? { global: true } : {}) } };
    }
    if (err.status === 403 || err.status === 404) return { ...base, outcome: { kind: 'gone', reason } };
    if (err.status >= 500) return { ...base, outcome: { kind: 'transient', reason } };
    if (err.status === 401) return { ...base, outcome: { kind: 'failed', reason: `${reason}; check DISCORD_TOKEN` } };
    return { ...base, outcome: { kind: 'failed', reason } };
  }
  if (err instanceof HTTPError) {
    const summary = `Discord ${err.status} ${err.message}`;
    const kind = err.status >= 500 ? 'transient' : 'failed';
    return { outcome: { kind, reason: `${summary} (${where})` }, status: err.status, code: null, summary };
  }
  if (err instanceof DiscordDeadlineError) {
    const summary = `Discord send gave up: ${err.message}`;
    return { outcome: { kind: 'transient', reason: `${summary} (${where})` }, status: null, code: null, summary };
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    const summary = 'Discord request timed out';
    return { outcome: { kind: 'transient', reason: `${summary} (${where})` }, status: null, code: null, summary };
  }
  const code = errorCode(err);
  if (code && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) {
    const summary = `network error talking to Discord: ${code}`;
    return { outcome: { kind: 'transient', reason: `${summary} (${where})` }, status: null, code, summary };
  }
  const summary = `unexpected error calling Discord: ${err instanceof Error ? `${err.name}: ${firstLine(err.message)}` : String(err)}`;
  return { outcome: { kind: 'failed', reason: `${summary} (${where})` }, status: null, code, summary };
}

function describeCall(err: unknown, call?: DiscordCall): { method: string; route: string } {
  const fromError = err as { method?: unknown; url?: unknown };
  const method = (call?.method ?? (typeof fromError.method === 'string' ? fromError.method : '?')).toUpperCase();
  const route = safeRoute(call?.route ?? (typeof fromError.url === 'string' ? fromError.url : '?'));
  return { method, route };
}

/** The delivery outcome of a failed Discord call (never `sent`). */
export function discordErrorOutcome(err: unknown, call?: DiscordCall): DeliveryOutcome {
  const { method, route } = describeCall(err, call);
  return classify(err, `${method} ${route}`).outcome;
}

/**
 * A `PlatformError` for logging with `reportError`: platform, method, route (masked), channel,
 * HTTP status and Discord error code. The library error is not attached as `cause`, because it
 * carries the full URL and the request body.
 */
export function toPlatformError(err: unknown, call?: DiscordCall): PlatformError {
  const { method, route } = describeCall(err, call);
  const { summary, status, code } = classify(err, `${method} ${route}`);
  return new PlatformError(
    `${summary} (${method} ${route})`,
    { platform: 'discord', method, route, ...(call?.channelId ? { chatId: call.channelId } : {}), ...(code !== null ? { discordCode: code } : {}) },
    status,
  );
}
