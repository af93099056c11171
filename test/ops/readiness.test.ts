import { describe, expect, it } from 'vitest';
import { Readiness } from '../../src/ops/readiness.js';

describe('Readiness', () => {
  it('GIVEN each part coming up in turn THEN the reasons shrink to none, and stopping brings one back', () => {
    const readiness = new Readiness(['telegram', 'discord']);
    expect(readiness.report().reasons).toEqual(['issue library not opened yet', 'store not open', 'telegram not connected', 'discord not connected']);

    let progress: { loaded: number; total: number } | null = { loaded: 3, total: 10 };
    readiness.library({ loading: () => progress });
    let open = false;
    readiness.store(() => open);
    expect(readiness.report().reasons).toEqual(['issue library loading (3/10 files)', 'store not open', 'telegram not connected', 'discord not connected']);

    progress = null;
    open = true;
    readiness.connected('telegram', true);
    expect(readiness.report()).toEqual({ ready: false, reasons: ['discord not connected'] });
    readiness.connected('discord', true);
    expect(readiness.report()).toEqual({ ready: true, reasons: [] });

    readiness.stopping();
    expect(readiness.report()).toEqual({ ready: false, reasons: ['stopping'] });
  });

  it('GIVEN a store check that throws (closed under it) THEN it counts as not open instead of failing the probe', () => {
    const readiness = new Readiness([]);
    readiness.library({ loading: () => null });
    readiness.store(() => {
      throw new Error('closed');
    });
    expect(readiness.report()).toEqual({ ready: false, reasons: ['store not open'] });
  });
});
