/**
 * Is the bot ready to serve (GET /readyz)? Only when the issue library is loaded, the store is open
 * and every enabled platform is connected, and not while it stops. The composition root fills this
 * in as things come up; `OpsService` marks the platforms up once the adapters started, and the app
 * as stopping as soon as shutdown begins.
 */
import type { PlatformName } from '../platform.js';

export interface ReadinessReport {
  ready: boolean;
  /** Why not, in words (empty when ready). */
  reasons: string[];
}

/** What the library reports about its initial load. */
interface LoadingLibrary {
  loading(): { loaded: number; total: number } | null;
}

export class Readiness {
  #library: LoadingLibrary | null = null;
  #storeOpen: () => boolean = () => false;
  #needsStore = true;
  readonly #expected: readonly PlatformName[];
  readonly #connected = new Set<PlatformName>();
  #stopping = false;

  /** `platforms`: those whose token is set; `needsStore`: false where nothing delivers. */
  constructor(platforms: readonly PlatformName[], options: { needsStore?: boolean } = {}) {
    this.#expected = [...platforms];
    this.#needsStore = options.needsStore ?? true;
  }

  library(library: LoadingLibrary): void {
    this.#library = library;
  }

  store(isOpen: () => boolean): void {
    this.#storeOpen = isOpen;
  }

  connected(platform: PlatformName, up: boolean): void {
    if (up) this.#connected.add(platform);
    else this.#connected.delete(platform);
  }

  stopping(): void {
    this.#stopping = true;
  }

  get isStopping(): boolean {
    return this.#stopping;
  }

  report(): ReadinessReport {
    const reasons: string[] = [];
    if (this.#stopping) reasons.push('stopping');
    const progress = this.#library ? this.#library.loading() : { loaded: 0, total: 0 };
    if (!this.#library) reasons.push('issue library not opened yet');
    else if (progress) reasons.push(`issue library loading (${progress.loaded}/${progress.total} files)`);
    if (this.#needsStore && !safeOpen(this.#storeOpen)) reasons.push('store not open');
    for (const platform of this.#expected) if (!this.#connected.has(platform)) reasons.push(`${platform} not connected`);
    return { ready: reasons.length === 0, reasons };
  }
}

function safeOpen(isOpen: () => boolean): boolean {
  try {
    return isOpen();
  } catch {
    return false;
  }
}
