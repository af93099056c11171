/**
 * The port between the core and the chat platforms. Adapters implement it; the core
 * (commands, scheduler, outbox) only ever talks to these types, never to telegraf or discord.js.
 */
import type { AdapterFactory } from './app.js';
import type { Roles } from './cluster/roles.js';
import type { Config, PlatformConfigSpec } from './config.js';
import type { Digest } from './digest/digest.js';
import type { NewsbotError } from './errors.js';
import type { Language } from './i18n/language.js';

/**
 * A platform's name: its folder under adapters/ (the terminal chat's too). The core keeps no list of
 * them; the platform registry in adapters/ is the one list.
 */
export type PlatformName = string;

/** Where a message goes: a chat or channel, and the topic or thread inside it (null: none). */
export interface ChatRef {
  platform: PlatformName;
  chatId: string;
  threadId: string | null;
}

/**
 * One message as the adapter's renderer produced it: the parameters of the platform's send call.
 * JSON-serializable, so the outbox can store it.
 */
export type OutboundMessage = Readonly<Record<string, unknown>>;

/**
 * What became of one send. The adapter maps platform errors to these values; the core decides
 * what to do next (wait, back off, pause the subscription, move it, give up).
 */
export type DeliveryOutcome =
  | { kind: 'sent'; messageId: string }
  /**
   * 429: try the same message again after this long. `global`: the platform said the wait holds every
   * send on the token (Discord's `global: true`), not this chat alone (see `RateLimiter.holdPlatform`).
   */
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string; global?: boolean }
  /** 5xx, timeouts, network errors: back off and retry. */
  | { kind: 'transient'; reason: string }
  /** Blocked, kicked, missing access, unknown channel: stop sending to this chat. */
  | { kind: 'gone'; reason: string }
  /** The chat moved to a new id (a group upgraded): resend there. */
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

/** One request a recording transport took instead of sending it: what the platform would have received. */
export type RecordedRequest = Readonly<Record<string, unknown>>;

/**
 * How a delivery port built on its own (not by the running chat adapter) reaches the platform:
 * over the network with the configured token, or into `requests`, answering like the platform
 * would (`newsbot deliver --dry-run`, `newsbot render`: no token, no network).
 */
export type PortTransport =
  | { kind: 'network'; onError?: (error: NewsbotError) => void }
  | { kind: 'record'; requests: RecordedRequest[] };

/**
 * Everything newsbot needs to know of a chat platform, exported as one value by its folder's
 * `index.ts` and listed once in the registry (adapters/platforms.ts). Its settings part (variables,
 * secrets, enabled, rate limits) is what `loadConfig` composes; the factories load the platform's
 * library only when called.
 */
export interface PlatformModule<S extends object = object> extends PlatformConfigSpec<S> {
  /** How users know it: "Telegram". */
  readonly title: string;
  /** What switches it on, for the hint the shell chat prints: the variable, and what to set (with where to get it). */
  readonly switchedOnBy: { variable: string; set: string };
  /** How a chat is written on the command line (`telegram:<chat id>`), and what the part after a `/` is (`topic`). */
  readonly target: { chat: string; thread: string };
  /** The chat front end for `npm start`. */
  chatAdapter(deps?: ChatAdapterDeps): AdapterFactory;
  /** The delivery port alone. A `network` transport throws a ConfigError naming the variable when the token is not set. */
  deliveryPort(config: Config, transport: PortTransport): Promise<DeliveryPort>;
}

/** What the composition root hands a platform's chat adapter besides the core (`PlatformModule.chatAdapter`). */
export interface ChatAdapterDeps {
  /**
   * Roles one instance holds at a time (src/cluster/roles.ts): a connection the platform allows only
   * once per bot (long polling, a gateway session) runs only while its role is held, and the other
   * instances stand by. Absent: this instance is the only one and holds every role.
   */
  roles?: Roles;
}
