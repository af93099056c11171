/**
 * The operator's side as part of the running app: once the adapters started, their platforms count
 * as connected (readiness) and their delivery ports carry owner alerts; every `checkEveryMs` the
 * alerts look for new issue problems and late deliveries. Stopping marks the app not ready first
 * (services stop before the adapters), so a load balancer stops sending traffic while it drains.
 */
import type { AppService } from '../app.js';
import type { Clock } from '../clock.js';
import { reportError, type Logger } from '../log.js';
import type { ChatAdapter, DeliveryPort } from '../platform.js';
import type { AlertSources, OwnerAlerts } from './alerts.js';
import type { Readiness } from './readiness.js';

export interface OpsServiceDeps {
  readiness: Readiness;
  alerts: OwnerAlerts;
  sources: AlertSources;
  clock: Clock;
  logger: Logger;
  /** Default 60 s. */
  checkEveryMs?: number;
}

export class OpsService implements AppService {
  readonly #d: OpsServiceDeps;
  readonly #stop = new AbortController();
  #loop: Promise<void> | null = null;

  constructor(deps: OpsServiceDeps) {
    this.#d = deps;
  }

  start(adapters: readonly ChatAdapter[]): void {
    for (const adapter of adapters) this.#d.readiness.connected(adapter.platform, true);
    this.#d.alerts.usePorts(adapters.map((a) => a.delivery).filter((p): p is DeliveryPort => p !== undefined));
    if (this.#d.alerts.active) this.#loop ??= this.#checkLoop();
  }

  async #checkLoop(): Promise<void> {
    const { clock, alerts, sources, logger } = this.#d;
    while (!this.#stop.signal.aborted) {
      try {
        await alerts.check(sources);
      } catch (err) {
        reportError(logger, err, { op: 'owner alerts check' });
      }
      await clock.sleep(this.#d.checkEveryMs ?? 60_000, this.#stop.signal);
    }
  }

  async stop(): Promise<void> {
    this.#d.readiness.stopping();
    this.#stop.abort();
    await this.#loop;
    await this.#d.alerts.stop();
  }
}
