/**
 * A fake `DeliveryPort` that records every send and answers as told, per chat. Rendering is
 * deterministic: an issue becomes `partsPerIssue` messages naming the issue, part, mode and language.
 */
import type { Clock } from '../../src/clock.js';
import type { Digest } from '../../src/digest/digest.js';
import type { Language } from '../../src/i18n/language.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort, OutboundMessage, PlatformName, SendOptions } from '../../src/platform.js';

export interface RecordedSend {
  chat: ChatRef;
  message: OutboundMessage;
  /** Clock time of the call. */
  at: number;
  outcome: DeliveryOutcome;
}

/** An outcome, or a function of the message and the caller's options (its deadline signal). */
type Answer = DeliveryOutcome | ((message: OutboundMessage, options: SendOptions) => DeliveryOutcome | Promise<DeliveryOutcome>);

export class RecordingPort implements DeliveryPort {
  readonly sends: RecordedSend[] = [];
  readonly #scripts = new Map<string, Answer[]>();
  readonly #always = new Map<string, Answer>();
  #nextId = 1;

  constructor(
    readonly platform: PlatformName = 'telegram',
    private readonly options: { clock?: Clock; partsPerIssue?: number } = {},
  ) {}

  renderDigest(digest: Digest, language: Language): OutboundMessage[] {
    const n = this.options.partsPerIssue ?? 3;
    return Array.from({ length: n }, (_, part) => ({ issueId: digest.issueId, part, mode: digest.mode, language, text: `${digest.title} (${part + 1}/${n})` }));
  }

  /** The next sends to `chatId` get these answers, in order; after them, `sent`. */
  script(chatId: string, ...answers: Answer[]): this {
    this.#scripts.set(chatId, [...(this.#scripts.get(chatId) ?? []), ...answers]);
    return this;
  }

  /** Every send to `chatId` gets this answer (after any script). */
  always(chatId: string, answer: Answer): this {
    this.#always.set(chatId, answer);
    return this;
  }

  async send(chat: ChatRef, message: OutboundMessage, options: SendOptions = {}): Promise<DeliveryOutcome> {
    const at = this.options.clock?.now() ?? Date.now();
    const answer = this.#scripts.get(chat.chatId)?.shift() ?? this.#always.get(chat.chatId) ?? null;
    const outcome = answer === null ? this.#sent() : typeof answer === 'function' ? await answer(message, options) : answer;
    this.sends.push({ chat: { ...chat }, message, at, outcome });
    return outcome;
  }

  #sent(): DeliveryOutcome {
    return { kind: 'sent', messageId: `m${this.#nextId++}` };
  }

  /** What reached `chatId` successfully, as "issue#part" in order. */
  delivered(chatId: string): string[] {
    return this.sends.filter((s) => s.chat.chatId === chatId && s.outcome.kind === 'sent').map((s) => `${String(s.message.issueId)}#${String(s.message.part)}`);
  }

  /** Every attempt to `chatId`, successful or not, as "issue#part". */
  attempts(chatId: string): RecordedSend[] {
    return this.sends.filter((s) => s.chat.chatId === chatId);
  }
}
