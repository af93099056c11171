/**
 * Token buckets per platform: one global, one per chat, and (Telegram) one per group. A send may go
 * when every bucket that applies to its chat has a token; all are taken at once.
 */
import type { Clock } from '../clock.js';
import type { Config, Rate } from '../config.js';
import type { ChatRef, PlatformName } from '../platform.js';

export interface PlatformRates {
  global?: Rate;
  perChat?: Rate;
  /** A chat's bucket holds this many tokens (short bursts), at least `perChat.count`. */
  perChatBurst?: number;
  perGroup?: Rate;
  /** Which chats `perGroup` applies to. */
  isGroup?: (chatId: string) => boolean;
}

export type RateLimits = Partial<Record<PlatformName, PlatformRates>>;

/**
 * The limits from configuration. Telegram tolerates short per-chat bursts, so a chat's bucket holds
 * 3 messages (one issue) and refills at TELEGRAM_RATE_PER_CHAT; groups and channels (negative ids)
 * also get TELEGRAM_RATE_PER_GROUP.
 */
export function rateLimitsFromConfig(config: Config): RateLimits {
  return {
    telegram: {
      global: config.TELEGRAM_RATE_GLOBAL,
      perChat: config.TELEGRAM_RATE_PER_CHAT,
      perChatBurst: 3,
      perGroup: config.TELEGRAM_RATE_PER_GROUP,
      isGroup: (chatId) => chatId.startsWith('-'),
    },
    discord: { global: config.DISCORD_RATE_GLOBAL, perChat: config.DISCORD_RATE_PER_CHANNEL },
  };
}

/** A classic token bucket on an injected time line. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly capacity: number, readonly perMs: number, now: number) {
    this.#tokens = capacity;
    this.#at = now;
  }

  static of(rate: Rate, now: number, burst = rate.count): TokenBucket {
    return new TokenBucket(Math.max(1, burst, rate.count), rate.count / rate.perMs, now);
  }

  #refill(now: number): void {
    if (now > this.#at) this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#at) * this.perMs);
    this.#at = Math.max(this.#at, now);
  }

  /** Milliseconds until one token is available (0 when one is). */
  delay(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.perMs);
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** Drops the saved-up burst: the next sends go at the sustained rate. */
  drain(now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  /** True when full again, i.e. forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.capacity;
  }
}

const PRUNE_ABOVE = 5_000;

export class RateLimiter {
  readonly #global = new Map<PlatformName, TokenBucket>();
  readonly #chats = new Map<string, TokenBucket>();
  readonly #groups = new Map<string, TokenBucket>();

  constructor(readonly limits: RateLimits, private readonly clock: Clock) {}

  #buckets(chat: ChatRef, now: number): TokenBucket[] {
    const rates = this.limits[chat.platform];
    if (!rates) return [];
    const out: TokenBucket[] = [];
    if (rates.global) out.push(getOrMake(this.#global, chat.platform, () => TokenBucket.of(rates.global as Rate, now)));
    const key = `${chat.platform}:${chat.chatId}`;
    if (rates.perChat) out.push(getOrMake(this.#chats, key, () => TokenBucket.of(rates.perChat as Rate, now, rates.perChatBurst)));
    if (rates.perGroup && rates.isGroup?.(chat.chatId)) {
      out.push(getOrMake(this.#groups, key, () => TokenBucket.of(rates.perGroup as Rate, now)));
    }
    return out;
  }

  /** Milliseconds until a send to `chat` may go; 0 means now. Takes nothing. */
  delay(chat: ChatRef): number {
    const now = this.clock.now();
    return Math.max(0, ...this.#buckets(chat, now).map((b) => b.delay(now)));
  }

  /** Takes one token from every bucket of `chat`. */
  take(chat: ChatRef): void {
    const now = this.clock.now();
    for (const b of this.#buckets(chat, now)) b.take(now);
    if (this.#chats.size > PRUNE_ABOVE) prune(this.#chats, now);
    if (this.#groups.size > PRUNE_ABOVE) prune(this.#groups, now);
  }

  /** Waits until a send to `chat` may go and takes its tokens; false when `signal` aborted first. */
  async acquire(chat: ChatRef, signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const wait = this.delay(chat);
      if (wait === 0) {
        this.take(chat);
        return true;
      }
      await this.clock.sleep(wait, signal);
    }
  }

  /** The platform answered 429: drop its global burst so the next sends go at the sustained rate. */
  penalize(platform: PlatformName): void {
    this.#global.get(platform)?.drain(this.clock.now());
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
