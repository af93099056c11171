/**
 * Sends rendered messages to Discord channels for the outbox, and the REST/Client settings the
 * Discord adapter shares.
 *
 * Never waiting forever: @discordjs/rest sleeps and retries every 429 itself, without limit.
 * Two guards, both on purpose:
 * 1. `createDiscordRest` sets `rejectOnRateLimit: () => true`, so any rate limit (a 429, or the
 *    library's own pre-emptive wait for a bucket or the 50/s global limit) throws `RateLimitError`
 *    at once and becomes `rate_limited` with the wait in ms: the outbox, which paces sends, decides.
 * 2. Every send has a deadline and its request an AbortSignal: the caller's (the outbox passes one
 *    that fires at SEND_TIMEOUT) or, when the caller passes none (`newsbot deliver --dry-run`,
 *    tests), the sender's own `timeoutMs`. On it the request is aborted and the send answers
 *    `transient` at once, even from a REST the caller built differently (e.g. `client.rest`) that
 *    sleeps on a 429: when the library wakes, the aborted signal stops the request before it is sent
 *    again, so the message is not posted twice.
 */
import { GatewayIntentBits, REST, Routes, type ClientOptions, type RateLimitData, type RequestData, type RouteLike } from 'discord.js';
import { sendDeadline } from '../../src/delivery/deadlines.js';
import type { PlatformError } from '../../src/errors.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort, OutboundMessage, RecordedRequest, SendOptions } from '../../src/platform.js';
import { discordErrorOutcome, DiscordDeadlineError, toPlatformError, type DiscordCall } from './errors.js';
import { renderDiscordDigest } from './render.js';

/** No @everyone/@here, role or user pings unless a payload asks for them explicitly. */
const NO_MENTIONS = { parse: [] as string[] };

/** The Client's REST absorbs rate limit waits up to this long (good for interaction replies); longer ones throw. */
const CLIENT_MAX_RATE_LIMIT_WAIT_MS = 2_000;

export interface DiscordRestOptions {
  token: string;
  /** API root without version, e.g. `http://127.0.0.1:PORT/api` (DISCORD_API_BASE); default Discord's. */
  apiBase?: string;
  /** Per-attempt request timeout (default 10 s; the library's is 15 s). */
  timeoutMs?: number;
  /**
   * Immediate retries on 5xx/timeouts (default 0; the library's is 3). A POST the library re-sends
   * after a timeout can duplicate a message Discord already accepted, and the outbox retries with
   * backoff anyway, so delivery leaves retrying to the outbox.
   */
  retries?: number;
  /** Extra ms added to every rate limit wait (default 50, the library's safety margin). */
  offsetMs?: number;
}

/** A REST client for delivery: it throws `RateLimitError` instead of waiting on any rate limit. */
export function createDiscordRest(options: DiscordRestOptions): REST {
  const rest = new REST({
    ...(options.apiBase ? { api: options.apiBase } : {}),
    rejectOnRateLimit: () => true,
    timeout: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 0,
    offset: options.offsetMs ?? 50,
  });
  return rest.setToken(options.token);
}

/**
 * Options for the bot's discord.js Client: only the Guilds intent (no privileged intents), no
 * pings by default, REST pointed at `apiBase` when given (the gateway URL then comes from it too),
 * and rate limit waits longer than CLIENT_MAX_RATE_LIMIT_WAIT_MS rejected instead of awaited.
 */
export function discordClientOptions(apiBase?: string): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    rest: {
      ...(apiBase ? { api: apiBase } : {}),
      rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > CLIENT_MAX_RATE_LIMIT_WAIT_MS,
      timeout: 10_000,
    },
  };
}

export interface DiscordSenderOptions {
  /**
   * Overall deadline of a send made without a signal, retries and waits included (default 30 s). A
   * send given a signal (the outbox's) has no deadline of its own.
   */
  timeoutMs?: number;
  /** Told about every failed send, e.g. `(e) => reportError(logger, e)`. */
  onError?: (error: PlatformError) => void;
}

export interface DiscordSender {
  /** Posts one message; never throws for platform or network errors. */
  send(chat: ChatRef, message: OutboundMessage, options?: SendOptions): Promise<DeliveryOutcome>;
}

/** The one REST call the sender makes. A discord.js `REST` is one; `recordingTransport` another, for dry runs. */
export interface DiscordTransport {
  post(route: RouteLike, options: RequestData): Promise<unknown>;
}

/** A transport that answers like Discord and keeps each request in `requests` instead of sending it. */
export function recordingTransport(requests: RecordedRequest[]): DiscordTransport {
  let next = 1;
  return {
    post: async (route, options) => {
      requests.push({ method: 'POST', route, body: { ...((options.body ?? {}) as Record<string, unknown>) } });
      return { id: String(next++) };
    },
  };
}

/** Posts messages to `/channels/{threadId ?? chatId}/messages` through `rest`. */
export function createDiscordSender(rest: DiscordTransport, options: DiscordSenderOptions = {}): DiscordSender {
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    async send(chat, message, sendOptions = {}) {
      const channelId = chat.threadId ?? chat.chatId;
      const route = Routes.channelMessages(channelId);
      const call: DiscordCall = { method: 'POST', route, channelId };
      if (chat.platform !== 'discord') {
        return { kind: 'failed', reason: `not a Discord chat: ${chat.platform}` };
      }
      const body = { allowed_mentions: NO_MENTIONS, ...message };
      // The caller's deadline, or (no signal given) our own.
      const { signal, done } = sendDeadline(sendOptions.signal, timeoutMs, () => new DiscordDeadlineError(`no answer within ${timeoutMs} ms`));
      try {
        const created = (await untilAborted(rest.post(route, { body, signal }), signal)) as { id?: unknown };
        return { kind: 'sent', messageId: String(created.id) };
      } catch (err) {
        const cause = signal.aborted ? deadlineError(signal) : err;
        options.onError?.(toPlatformError(cause, call));
        return discordErrorOutcome(cause, call);
      } finally {
        done();
      }
    },
  };
}

/** Why the send was aborted, as the error the outcome is built from. */
function deadlineError(signal: AbortSignal): DiscordDeadlineError {
  const reason: unknown = signal.reason;
  if (reason instanceof DiscordDeadlineError) return reason;
  return new DiscordDeadlineError(`aborted by the caller: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`);
}

/**
 * Settles like `work`, or rejects as soon as `signal` aborts: a REST sleeping on a rate limit only
 * looks at the signal when it wakes. No timer of its own.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(deadlineError(signal));
  }
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(deadlineError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** The outbox's view of Discord: digests rendered as embeds, sent through `createDiscordSender`. */
export function createDiscordDeliveryPort(rest: DiscordTransport, options: DiscordSenderOptions = {}): DeliveryPort {
  const sender = createDiscordSender(rest, options);
  return {
    platform: 'discord',
    renderDigest: (digest, language) => renderDiscordDigest(digest, language).map((message) => ({ ...message })),
    send: (chat, message, sendOptions) => sender.send(chat, message, sendOptions),
    // Owner alerts: a DM channel is opened (or found) first; Discord answers the same one each time.
    async notifyUser(userId, text) {
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id?: unknown };
        return await sender.send({ platform: 'discord', chatId: String(dm.id), threadId: null }, { content: text });
      } catch (err) {
        return discordErrorOutcome(err, { method: 'POST', route: Routes.userChannels() });
      }
    },
  };
}
