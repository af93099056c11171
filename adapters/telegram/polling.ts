/**
 * Long polling that can be started and stopped again and again: it runs while this instance holds
 * the role `telegram:polling` (src/cluster/roles.ts), since Telegram serves one `getUpdates` per
 * token at a time and ends the other with 409 Conflict.
 *
 * A 409 (another poller, or a webhook set behind our back) is not fatal: polling stops and the
 * adapter hands the role back and stands by. Any other end of polling on its own (a revoked token)
 * still is.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError, type Telegraf, type Types } from 'telegraf';

/** The role whose holder runs getUpdates; webhook mode needs none. */
export const POLLING_ROLE = 'telegram:polling';

export interface PollerOptions {
  allowedUpdates: Types.UpdateType[];
  /** Telegram answered getUpdates with 409 Conflict: polling has stopped. */
  onConflict: (err: unknown) => void;
  /** Polling ended on its own for another reason (401: the token was revoked). */
  onFatal: (err: unknown) => void;
}

export interface Poller {
  /** Starts a long-polling loop (telegraf's launch: deleteWebhook, then getUpdates); no-op while one runs. */
  start(): void;
  /** Stops the loop and resolves once telegraf's last getUpdates (confirming the offset) has settled. */
  stop(): Promise<void>;
  /** True from start() until the loop has ended. */
  readonly running: boolean;
}

function isConflict(err: unknown): boolean {
  return err instanceof TelegramError && err.code === 409;
}

export function createPoller(bot: Telegraf, options: PollerOptions): Poller {
  let loop: Promise<void> | null = null;
  let ended = true;
  let stopping = false;
  // telegraf keeps its loop in a private field, set only once launch() has awaited deleteWebhook.
  const currentLoop = (): unknown => (bot as unknown as { polling?: object }).polling;
  let previousLoop: unknown;

  return {
    get running() {
      return !ended;
    },
    start() {
      if (!ended) return;
      stopping = false;
      ended = false;
      previousLoop = currentLoop();
      const run = bot.launch({ allowedUpdates: options.allowedUpdates });
      loop = run;
      run.then(
        () => void (ended = true),
        (err: unknown) => {
          ended = true;
          if (stopping) return;
          if (isConflict(err)) options.onConflict(err);
          else options.onFatal(err);
        },
      );
    },
    async stop() {
      stopping = true;
      // bot.stop() stops whichever loop telegraf holds: before the new one is set it would throw (the
      // first launch) or stop the previous, finished one (a relaunch) and leave the new one running.
      while (!ended) {
        if (currentLoop() !== previousLoop) {
          bot.stop('newsbot: polling handed over or stopping');
          break;
        }
        await sleep(20);
      }
      await loop?.catch(() => undefined);
    },
  };
}
