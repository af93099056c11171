/**
 * The port between the core and the chat platforms. Adapters implement it; the core
 * (commands, scheduler, outbox) only ever talks to these types, never to telegraf or discord.js.
 */
import type { Digest } from './digest/digest.js';
import type { Language } from './i18n/language.js';

/** The platforms newsbot knows. `shell` is the local terminal chat. */
export type PlatformName = 'telegram' | 'discord' | 'shell';

/** Where a message goes: a Telegram chat (and forum topic) or a Discord channel (and thread). */
export interface ChatRef {
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
}

/**
 * One message as the adapter's renderer produced it: a Telegram sendMessage parameter
 * object, a Discord message payload… JSON-serializable, so the outbox can store it.
 */
export type OutboundMessage = Readonly<Record<string, unknown>>;

/**
 * What became of one send. The adapter maps platform errors to these values; the core decides
 * what to do next (wait, back off, pause the subscription, move it, give up).
 */
export type DeliveryOutcome =
  | { kind: 'sent'; messageId: string }
  /** 429: try the same message again after this long. */
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string }
  /** 5xx, timeouts, network errors: back off and retry. */
  | { kind: 'transient'; reason: string }
  /** Blocked, kicked, missing access, unknown channel: stop sending to this chat. */
  | { kind: 'gone'; reason: string }
  /** Telegram group upgraded to a supergroup: resend there. */
  | { kind: 'migrated'; toChatId: string; reason: string }
  /** Permanent for this message (e.g. a 400 the payload caused): do not retry. */
  | { kind: 'failed'; reason: string };

/** What the caller of `DeliveryPort.send` may add. */
export interface SendOptions {
  /**
   * The caller's deadline (the outbox passes one that fires at SEND_TIMEOUT). When it fires, the port
   * aborts its request, so a send the caller gave up on cannot still go through after a retry, and
   * answers `transient`. A port given no signal applies its own default deadline.
   */
  signal?: AbortSignal;
}

/** The delivery half of an adapter: used by the outbox worker. */
export interface DeliveryPort {
  readonly platform: PlatformName;
  /** Renders a digest into the messages one chat receives, in order. Pure and deterministic. */
  renderDigest(digest: Digest, language: Language): OutboundMessage[];
  /** Sends one message. Never throws for platform or network errors: it returns an outcome. */
  send(chat: ChatRef, message: OutboundMessage, options?: SendOptions): Promise<DeliveryOutcome>;
  /** Sends a short plain-text notice to a user's private chat (owner alerts); absent where the platform cannot. */
  notifyUser?(userId: string, text: string): Promise<DeliveryOutcome>;
}

/** A chat front end that receives commands and answers them. */
export interface ChatAdapter {
  readonly platform: PlatformName;
  start(): Promise<void>;
  /** Stops taking new work, finishes in-flight replies, releases sockets. */
  stop(): Promise<void>;
  /** Present when the adapter can deliver scheduled posts. */
  readonly delivery?: DeliveryPort;
}
