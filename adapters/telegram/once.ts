/**
 * Answer each Telegram update once: the first middleware records `update_id` in the update ledger
 * and skips an update recorded already. Telegram delivers an update again when the poller that got it
 * died before its next getUpdates confirmed it (a restart, or another instance taking polling over),
 * and re-posts a webhook update that got no 2xx, maybe to another instance.
 *
 * One store write per update; the writes run concurrently, but updates go on down the chain in the
 * order they arrived, so a chat's commands keep their order. A store that fails does not drop the
 * update: a possible duplicate answer beats a lost command.
 */
import type { Context, MiddlewareFn } from 'telegraf';
import { reportError, type Logger } from '../../src/log.js';
import type { UpdateLedger } from '../../src/update-ledger.js';

/** The middleware; `botId` tells this bot's update ids from another's in a shared store (null before getMe). */
export function answerOnce(ledger: UpdateLedger, logger: Logger, botId: () => number | null): MiddlewareFn<Context> {
  let turn: Promise<void> = Promise.resolve();
  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    const id = botId();
    const verdict = ledger.firstHandling('telegram', id === null ? String(updateId) : `${id}:${updateId}`).catch((err: unknown) => {
      reportError(logger, err, { platform: 'telegram', update: ctx.updateType, updateId, check: 'firstHandling' });
      return true;
    });
    const previous = turn;
    let done!: () => void;
    turn = new Promise((resolve) => (done = resolve));
    try {
      const first = await verdict;
      await previous;
      if (!first) {
        logger.debug({ platform: 'telegram', update: ctx.updateType, updateId }, 'telegram: update handled already (delivered again); skipped');
        return;
      }
      await next();
    } finally {
      done();
    }
  };
}
