/**
 * A `DeliveryPort` that posts each message to a fake platform over HTTP on 127.0.0.1, so a test in
 * another process can record what "the platform" received even when this process is killed mid-send.
 */
import type { Digest } from '../../src/digest/digest.js';
import type { Language } from '../../src/i18n/language.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort, OutboundMessage, SendOptions } from '../../src/platform.js';

export class HttpPort implements DeliveryPort {
  readonly platform = 'telegram' as const;

  constructor(private readonly baseUrl: string, private readonly partsPerIssue = 3) {}

  renderDigest(digest: Digest, language: Language): OutboundMessage[] {
    return Array.from({ length: this.partsPerIssue }, (_, part) => ({ issueId: digest.issueId, part, language }));
  }

  async send(chat: ChatRef, message: OutboundMessage, options: SendOptions = {}): Promise<DeliveryOutcome> {
    try {
      const res = await fetch(`${this.baseUrl}/send`, {
        method: 'POST',
        ...(options.signal ? { signal: options.signal } : {}),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: chat.chatId, ...message }),
      });
      if (!res.ok) return { kind: 'transient', reason: `HTTP ${res.status}` };
      const body = (await res.json()) as { message_id: number };
      return { kind: 'sent', messageId: String(body.message_id) };
    } catch (err) {
      return { kind: 'transient', reason: err instanceof Error ? err.message : String(err) };
    }
  }
}
