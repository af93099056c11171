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

interface Waiter {
  resolve: (granted: boolean) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

/**
 * Hands out one platform's global tokens first come, first served. Waiting senders queue; one timer
 * wakes when the next token is due and grants every token that has accrued by then, so the rate
 * holds whatever the timer's granularity (at 3,000/s a wake, at least 1 ms apart, grants 3 or more).
 * Each sender sleeping on its own would wake all of them for every token: at thousands per second,
 * most of the limiter's work, and with setTimeout's 1 ms granularity the order would be a lottery.
 * (Waking at most every 4 ms instead measured no better: the timer already batches.)
 */
class Gate {
  readonly #queue: Waiter[] = [];
  #first = 0;
  #pumping = false;

  constructor(readonly bucket: TokenBucket, private readonly clock: Clock) {}

  /** Resolves true with a token taken, or false when `signal` aborted first. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const now = this.clock.now();
    if (this.#first === this.#queue.length && this.bucket.delay(now) === 0) {
      this.bucket.take(now);
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined, settled: false };
      if (signal) {
        waiter.onAbort = () => {
          waiter.settled = true;
          resolve(false);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      if (!this.#pumping) void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (;;) {
        const now = this.clock.now();
        while (this.#first < this.#queue.length) {
          const waiter = this.#queue[this.#first] as Waiter;
          if (!waiter.settled) {
            if (this.bucket.delay(now) > 0) break;
            this.bucket.take(now);
            waiter.settled = true;
            if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
            waiter.resolve(true);
          }
          this.#first++;
        }
        if (this.#first === this.#queue.length) break;
        if (this.#first > 1024) {
          this.#queue.splice(0, this.#first);
          this.#first = 0;
        }
        await this.clock.sleep(this.bucket.delay(now));
      }
    } finally {
      this.#queue.length = 0;
      this.#first = 0;
      this.#pumping = false;
    }
  }
}

export class RateLimiter {
  readonly #global = new Map<PlatformName, Gate>();
  readonly #chats = new Map<string, TokenBucket>();
  readonly #groups = new Map<string, TokenBucket>();

  constructor(readonly limits: RateLimits, private readonly clock: Clock) {}

  #gate(platform: PlatformName, now: number): Gate | null {
    const rate = this.limits[platform]?.global;
    if (!rate) return null;
    let gate = this.#global.get(platform);
    if (!gate) this.#global.set(platform, (gate = new Gate(TokenBucket.of(rate, now), this.clock)));
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

  /** Milliseconds until a send to `chat` may go; 0 means now. Takes nothing. */
  delay(chat: ChatRef): number {
    const now = this.clock.now();
    let wait = this.#gate(chat.platform, now)?.bucket.delay(now) ?? 0;
    for (const b of this.#own(chat, now)) wait = Math.max(wait, b.delay(now));
    return wait;
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
   * its place in the platform's global queue.
   */
  async acquire(chat: ChatRef, signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const now = this.clock.now();
      let wait = 0;
      for (const b of this.#own(chat, now)) wait = Math.max(wait, b.delay(now));
      if (wait === 0) break;
      await this.clock.sleep(wait, signal);
    }
    const gate = this.#gate(chat.platform, this.clock.now());
    if (gate && !(await gate.acquire(signal))) return false;
    this.#takeOwn(chat, this.clock.now());
    return true;
  }

  /** The platform answered 429: drop its global burst so the next sends go at the sustained rate. */
  penalize(platform: PlatformName): void {
    this.#global.get(platform)?.bucket.drain(this.clock.now());
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
