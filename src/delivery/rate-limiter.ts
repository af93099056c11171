/**
 * Token buckets per platform: one global, one per chat, and (where the platform says so) one per group. A send may go
 * when every bucket that applies to its chat has a token; all are taken at once.
 *
 * One limiter per process serves every message to a platform: the outbox's parts and the chat
 * adapters' command replies and page edits, so together they stay within the platform's limits.
 * Replies wait as `interactive`, ahead of the outbox's `bulk` parts (see rate-gate.ts).
 *
 * Time: the buckets run on a monotonic clock (`monotonicClock` unless a test injects one), so setting
 * the wall clock back or forward changes no rate.
 */
import { monotonicClock, type Clock } from '../clock.js';
import type { Config, Rate } from '../config.js';
import type { OpsObserver } from '../ops/observer.js';
import type { ChatRef, PlatformName } from '../platform.js';
import { Gate, TokenBucket, type Bucket, type Priority } from './rate-gate.js';

export { TokenBucket, type Bucket, type Priority } from './rate-gate.js';

/** Makes a platform's global bucket when it is not the process's own (shared-rate.ts: shared by instances). */
export type GlobalBucketFactory = (platform: PlatformName, rate: Rate, now: number) => Bucket;

export interface PlatformRates {
  global?: Rate;
  perChat?: Rate;
  /** A chat's bucket holds this many tokens (short bursts), at least `perChat.count`. */
  perChatBurst?: number;
  perGroup?: Rate;
  /** Which chats `perGroup` applies to (the platform knows how its group ids look). */
  isGroup?: (chatId: string) => boolean;
}

export type RateLimits = Partial<Record<PlatformName, PlatformRates>>;

/** The limits of every configured platform (each platform module says its own; see config.ts). */
export function rateLimitsFromConfig(config: Pick<Config, 'platforms'>): RateLimits {
  return Object.fromEntries(config.platforms.map((p) => [p.name, p.rates]));
}

/**
 * How many chats should be sending at once to keep up with the fastest global rate: by Little's law,
 * sends in flight = rate × time per send, taking 25 ms per send (round trip plus commit), never fewer
 * than 32 nor more than 128. Telegram's 30/s needs the minimum; a 3,000/s test platform about 75.
 */
export function sendsInFlightFor(limits: RateLimits): number {
  let fastest = 0;
  for (const rates of Object.values(limits)) {
    if (rates?.global) fastest = Math.max(fastest, (rates.global.count * 1000) / rates.global.perMs);
  }
  return Math.min(128, Math.max(32, Math.ceil(fastest * 0.025)));
}

const PRUNE_ABOVE = 5_000;

export class RateLimiter {
  readonly #global = new Map<PlatformName, Gate>();
  readonly #chats = new Map<string, TokenBucket>();
  readonly #groups = new Map<string, TokenBucket>();
  /** Chats the platform told to wait (429 retry_after): key → monotonic time the wait ends. */
  readonly #holds = new Map<string, number>();

  /**
   * `observer`: told each 429 wait (`hold`), for metrics. `globalBucket`: makes each platform's global
   * bucket (default: a local token bucket; `rateLimiterFor` in shared-rate.ts shares it across instances).
   */
  constructor(
    readonly limits: RateLimits,
    private readonly clock: Clock = monotonicClock,
    private readonly observer?: OpsObserver,
    private readonly globalBucket?: GlobalBucketFactory,
  ) {}

  #gate(platform: PlatformName, now: number): Gate | null {
    const rate = this.limits[platform]?.global;
    if (!rate) return null;
    let gate = this.#global.get(platform);
    if (!gate) this.#global.set(platform, (gate = new Gate(this.globalBucket?.(platform, rate, now) ?? TokenBucket.of(rate, now), this.clock)));
    return gate;
  }

  /** The buckets of this chat alone (per chat, per group): only its own sends wait on them. */
  #own(chat: ChatRef, now: number): TokenBucket[] {
    const rates = this.limits[chat.platform];
    if (!rates || (!rates.perChat && !rates.perGroup)) return [];
    const out: TokenBucket[] = [];
    const key = `${chat.platform}:${chat.chatId}`;
    if (rates.perChat) out.push(getOrMake(this.#chats, key, () => TokenBucket.of(rates.perChat as Rate, now, rates.perChatBurst)));
    if (rates.perGroup && rates.isGroup?.(chat.chatId)) {
      out.push(getOrMake(this.#groups, key, () => TokenBucket.of(rates.perGroup as Rate, now)));
    }
    return out;
  }

  /** How long `chat` itself must still wait: its own buckets and any hold (429) on it. */
  #ownDelay(chat: ChatRef, now: number): number {
    let wait = 0;
    for (const b of this.#own(chat, now)) wait = Math.max(wait, b.delay(now));
    if (this.#holds.size > 0) {
      const key = `${chat.platform}:${chat.chatId}`;
      const until = this.#holds.get(key);
      if (until !== undefined) {
        if (until > now) wait = Math.max(wait, Math.ceil(until - now));
        else this.#holds.delete(key);
      }
    }
    return wait;
  }

  /** Milliseconds until a send to `chat` may go; 0 means now. Takes nothing. */
  delay(chat: ChatRef): number {
    const now = this.clock.now();
    const wait = this.#gate(chat.platform, now)?.bucket.delay(now) ?? 0;
    return Math.max(wait, this.#ownDelay(chat, now));
  }

  /** Takes one token from every bucket of `chat`. */
  take(chat: ChatRef): void {
    const now = this.clock.now();
    this.#gate(chat.platform, now)?.bucket.take(now);
    this.#takeOwn(chat, now);
  }

  #takeOwn(chat: ChatRef, now: number): void {
    for (const b of this.#own(chat, now)) b.take(now);
    if (this.#chats.size > PRUNE_ABOVE) prune(this.#chats, now);
    if (this.#groups.size > PRUNE_ABOVE) prune(this.#groups, now);
  }

  /**
   * Waits until a send to `chat` may go and takes its tokens; false when `signal` aborted first.
   * The chat's own buckets first (a chat waiting on its 1/s holds no global token meanwhile), then
   * its place in the platform's global queue, where `interactive` goes before `bulk`.
   */
  async acquire(chat: ChatRef, signal?: AbortSignal, priority: Priority = 'bulk'): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const wait = this.#ownDelay(chat, this.clock.now());
      if (wait === 0) break;
      await this.clock.sleep(wait, signal);
    }
    const gate = this.#gate(chat.platform, this.clock.now());
    if (gate && !(await gate.acquire(signal, priority))) return false;
    this.#takeOwn(chat, this.clock.now());
    return true;
  }

  /**
   * The platform answered 429: drop its global burst so the next sends go at the sustained rate.
   * With several instances (shared-rate.ts) this stays with the instance that saw it, and no 429
   * holds the shared rate: Telegram's 429 does not say which limit it hit (per chat, per group or the
   * token's), and with the token's rate already shared and paced across instances the chat's own limits
   * are the likely cause, so holding every instance for one chat's retry_after would stall a broadcast
   * for seconds. A token-wide flood wait reaches each instance on its own next send, and each honours it.
   */
  penalize(platform: PlatformName): void {
    this.#global.get(platform)?.bucket.drain(this.clock.now());
  }

  /**
   * The platform said every send on the token waits `ms` (Discord's 429 with `global: true`): the
   * platform's global bucket gives no token until then, to replies and parts alike. With several
   * instances the wait is put on the shared rate, so every instance waits (shared-rate.ts).
   */
  holdPlatform(platform: PlatformName, ms: number): void {
    const now = this.clock.now();
    const gate = this.#gate(platform, now);
    if (!gate) return;
    this.observer?.rateLimited(platform, Math.max(0, ms) / 1000);
    gate.bucket.holdFor(now, ms);
  }

  /**
   * The platform told `chat` to wait `ms` (a 429's retry_after): every send to that chat, reply or
   * outbox part, waits until then. Other chats are not held. The hold is this process's: a chat is
   * sent by one instance at a time (chat leases), and its outbox part waits in the store until then
   * (`Parts.retryAt`), so whichever instance sends it next waits too.
   */
  hold(chat: ChatRef, ms: number): void {
    const key = `${chat.platform}:${chat.chatId}`;
    this.observer?.rateLimited(chat.platform, Math.max(0, ms) / 1000);
    const until = this.clock.now() + Math.max(0, ms);
    if (until > (this.#holds.get(key) ?? -Infinity)) this.#holds.set(key, until);
  }
}

function getOrMake<K>(map: Map<K, TokenBucket>, key: K, make: () => TokenBucket): TokenBucket {
  let bucket = map.get(key);
  if (!bucket) map.set(key, (bucket = make()));
  return bucket;
}

function prune(map: Map<string, TokenBucket>, now: number): void {
  for (const [key, bucket] of map) if (bucket.isFull(now)) map.delete(key);
}
