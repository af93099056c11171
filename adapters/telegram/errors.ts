/**
 * Turns what telegraf's `callApi` throws into delivery outcomes and PlatformErrors.
 *
 * telegraf 4.16 throws `TelegramError` (`code`, `description`, `parameters`) for every
 * `ok: false` answer and for HTTP >= 500 (then the description is the HTTP status text), and
 * passes node-fetch errors through: `FetchError` (`code` ECONNREFUSED, ECONNRESET…, or `type`
 * request-timeout / invalid-json) and `AbortError`. It redacts the token from a failed request's
 * URL only partly (`/bot123:[REDACTED]/`, keeping the bot id) and NOT at all in `invalid-json`
 * errors, so everything here is scrubbed again before it leaves.
 */
import { TelegramError } from 'telegraf';
import { PlatformError } from '../../src/errors.js';
import type { DeliveryOutcome } from '../../src/platform.js';

/** Any outcome but `sent`: what a failed send becomes. */
export type FailedDelivery = Exclude<DeliveryOutcome, { kind: 'sent' }>;

/** 400 descriptions that mean we can no longer post to the chat (or topic) at all. */
const GONE_400 =
  /chat not found|user not found|PEER_ID_INVALID|CHAT_WRITE_FORBIDDEN|have no rights to send|not enough rights to send|need administrator rights|message thread not found|TOPIC_DELETED|group chat was deactivated/i;
/** Error codes of Node and undici network failures. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);
const NETWORK_ERROR_NAMES = new Set(['FetchError', 'AbortError', 'TimeoutError']);
const REDACTED = '[redacted]';

interface ApiErrorParts {
  code: number;
  description: string;
  retryAfterSeconds: number | null;
  migrateToChatId: number | null;
}

/**
 * Removes the bot token from text: the token itself (plain and URL-encoded), its secret half,
 * and any `/bot<anything>/` path segment of a Bot API URL, whatever the token.
 */
export function scrubTelegramSecrets(text: string, token?: string): string {
  let out = text;
  if (token && token.length >= 6) {
    const secretHalf = token.includes(':') ? token.slice(token.indexOf(':') + 1) : '';
    for (const s of [token, encodeURIComponent(token), secretHalf]) if (s.length >= 6) out = out.split(s).join(REDACTED);
  }
  return out.replace(/\/(bot|user)[^/\s]+\//g, `/$1${REDACTED}/`);
}

function apiErrorParts(err: unknown): ApiErrorParts | null {
  const response =
    err instanceof TelegramError
      ? err.response
      : typeof err === 'object' && err !== null && 'response' in err
        ? (err as { response: unknown }).response
        : null;
  if (typeof response !== 'object' || response === null) return null;
  const r = response as { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown } };
  if (typeof r.error_code !== 'number') return null;
  const retryAfter = r.parameters?.retry_after;
  const migrateTo = r.parameters?.migrate_to_chat_id;
  return {
    code: r.error_code,
    description: typeof r.description === 'string' ? r.description : `HTTP ${r.error_code}`,
    retryAfterSeconds: typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : null,
    migrateToChatId: typeof migrateTo === 'number' ? migrateTo : null,
  };
}

/** The network error code (ECONNRESET…) or name (FetchError…) when `err` is a network failure. */
function networkFailure(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, name, type } = err as { code?: unknown; name?: unknown; type?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  if (typeof name === 'string' && NETWORK_ERROR_NAMES.has(name)) return typeof type === 'string' ? `${name} (${type})` : name;
  return null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps a failed Bot API call to what delivery should do next. Never throws; never holds the token. */
export function telegramErrorToOutcome(err: unknown, token?: string): FailedDelivery {
  const api = apiErrorParts(err);
  if (api) {
    const reason = scrubTelegramSecrets(`${api.code} ${api.description}`, token);
    if (api.code === 429) {
      const fromText = /retry after (\d+)/i.exec(api.description)?.[1];
      const seconds = api.retryAfterSeconds ?? (fromText ? Number(fromText) : 1);
      return { kind: 'rate_limited', retryAfterMs: Math.round(seconds * 1000), reason };
    }
    if (api.migrateToChatId !== null) return { kind: 'migrated', toChatId: String(api.migrateToChatId), reason };
    if (api.code === 403) return { kind: 'gone', reason };
    if (api.code === 400 && GONE_400.test(api.description)) return { kind: 'gone', reason };
    // 5xx: Telegram's side. 401/404: the token or API root is wrong, which is no fault of the
    // message and is fixed by configuration, so retry later rather than drop the message.
    if (api.code >= 500 || api.code === 401 || api.code === 404) return { kind: 'transient', reason };
    return { kind: 'failed', reason };
  }
  const network = networkFailure(err);
  if (network) return { kind: 'transient', reason: scrubTelegramSecrets(`network error ${network}: ${messageOf(err)}`, token) };
  return { kind: 'failed', reason: scrubTelegramSecrets(`unexpected error: ${messageOf(err)}`, token) };
}

/** Where a failed call was made. */
export interface TelegramCall {
  method: string;
  chatId?: string;
  /** Only used to scrub it out of the message. */
  token?: string;
}

/**
 * A PlatformError for a failed Bot API call, with platform, method, chat, HTTP status and
 * Telegram's description. The original error is NOT attached as `cause`: its message or stack
 * may hold the token-bearing URL, and loggers print causes.
 */
export function telegramPlatformError(err: unknown, call: TelegramCall): PlatformError {
  const api = apiErrorParts(err);
  const network = api ? null : networkFailure(err);
  const description = scrubTelegramSecrets(api ? api.description : messageOf(err), call.token);
  const context = {
    platform: 'telegram' as const,
    method: call.method,
    ...(call.chatId !== undefined ? { chatId: call.chatId } : {}),
    description,
    ...(network ? { network } : {}),
    ...(api?.retryAfterSeconds != null ? { retryAfterSeconds: api.retryAfterSeconds } : {}),
    ...(api?.migrateToChatId != null ? { migrateToChatId: String(api.migrateToChatId) } : {}),
  };
  const where = call.chatId !== undefined ? ` for chat ${call.chatId}` : '';
  return new PlatformError(`Telegram ${call.method}${where} failed: ${description}`, context, api?.code ?? null);
}
