/**
 * Is the event loop responsive (GET /healthz)? A timer beats every `everyMs` on the monotonic clock;
 * a beat that comes late by more than `stallMs`, or none for that long, means the loop was blocked.
 */
export interface HealthReport {
  ok: boolean;
  /** How late the last beat was, in ms. */
  lagMs: number;
}

export class Heartbeat {
  #timer: NodeJS.Timeout | null = null;
  #last = performance.now();
  #lagMs = 0;

  constructor(private readonly everyMs = 500, private readonly stallMs = 5_000) {}

  start(): void {
    if (this.#timer) return;
    this.#last = performance.now();
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#lagMs = Math.max(0, now - this.#last - this.everyMs);
      this.#last = now;
    }, this.everyMs);
    // Never what keeps the process alive.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  report(): HealthReport {
    const silentFor = performance.now() - this.#last - this.everyMs;
    const lagMs = Math.round(Math.max(this.#lagMs, silentFor, 0));
    return { ok: lagMs < this.stallMs, lagMs };
  }
}
