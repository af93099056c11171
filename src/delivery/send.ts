/**
 * One send of one part under the worker's deadline (SEND_TIMEOUT): the port gets an AbortSignal
 * that fires then, and the send counts as transient at once, so it cannot still succeed after the
 * part was retried. See worker.ts ("Deadline") for the window this leaves.
 */
import { reportError, type Logger } from '../log.js';
import type { ChatRef, DeliveryOutcome, DeliveryPort } from '../platform.js';
import type { Part } from '../store/index.js';
import type { Deadlines } from './deadlines.js';

/**
 * The port's answer, or `transient` when it throws or does not answer within the deadline; then its
 * signal is aborted (the port drops the request) and its late answer, if any, is ignored.
 */
export function sendPart(port: DeliveryPort, chat: ChatRef, part: Part, deadlines: Deadlines, logger: Logger): Promise<DeliveryOutcome> {
  return new Promise<DeliveryOutcome>((resolve) => {
    // One controller per send but no timer: the shared Deadlines timer aborts it.
    const abort = new AbortController();
    const settle = deadlines.start(() => {
      const reason = `no answer within ${deadlines.timeoutMs} ms`;
      resolve({ kind: 'transient', reason });
      abort.abort(new DOMException(reason, 'TimeoutError'));
    });
    const answer = (outcome: DeliveryOutcome) => {
      settle();
      resolve(outcome);
    };
    const fail = (err: unknown) => {
      // A port that rejects once aborted: the send already counted as transient at the deadline.
      if (abort.signal.aborted) return;
      reportError(logger, err, { platform: chat.platform, chatId: chat.chatId, issueId: part.issueId, op: 'send' });
      answer({ kind: 'transient', reason: err instanceof Error ? err.message : String(err) });
    };
    try {
      port.send(chat, part.payload, { signal: abort.signal }).then(answer, fail);
    } catch (err) {
      fail(err);
    }
  });
}
