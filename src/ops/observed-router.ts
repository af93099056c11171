/**
 * The command router with each answer timed and counted, so router.ts stays as it is. Names the
 * router does not know count as "unknown" (a label per typo would grow the metrics without bound);
 * page buttons count as "page".
 */
import { monotonicClock, type Clock } from '../clock.js';
import type { CommandRouter } from '../commands/router.js';
import type { OpsObserver } from './observer.js';

/** Wraps `router`; durations come from `clock` (monotonic by default). */
export function observedRouter(router: CommandRouter, observer: OpsObserver, clock: Clock = monotonicClock): CommandRouter {
  const timed = async <T>(name: string, platform: Parameters<OpsObserver['commandHandled']>[1], run: () => Promise<T>): Promise<T> => {
    const started = clock.now();
    try {
      return await run();
    } finally {
      observer.commandHandled(name, platform, (clock.now() - started) / 1000);
    }
  };
  return {
    ...router,
    handle: (command, caller) => timed(router.knows(command.name) ? command.name : 'unknown', caller.platform, () => router.handle(command, caller)),
    openPage: (data, caller) => timed('page', caller.platform, () => router.openPage(data, caller)),
  };
}
