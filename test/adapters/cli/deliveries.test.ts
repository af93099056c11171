import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command as deliveries } from '../../../adapters/cli/deliveries.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { io, seedStore } from './store-fixture.js';

describe('newsbot deliveries', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp?.cleanup());

  it('GIVEN an issue delivered part by part THEN deliveries shows each chat with its parts and errors', async () => {
    tmp = tempDir();
    await seedStore(tmp.dir);
    const table = io(tmp.dir);
    expect(await deliveries.run(['20250101'], table)).toBe(0);
    expect(table.out()).toMatch(/telegram\s+-1001\s+sent failed\s+2\s+Bad Request: message is too long/);
    expect(table.out()).toContain('1 chat(s), 2 part(s): 1 sent, 0 waiting, 1 failed, 0 skipped.');
    const json = io(tmp.dir);
    await deliveries.run(['20250101', '--json'], json);
    const rows = JSON.parse(json.out()) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.partIndex, r.status, r.messageId])).toEqual([
      [0, 'sent', '99'],
      [1, 'failed', null],
    ]);
    expect(rows[0]).not.toHaveProperty('payload');
  });

  it('GIVEN no database yet or no id THEN it says so, creates nothing, and a missing id is a usage error', async () => {
    tmp = tempDir();
    const none = io(tmp.dir, { DATABASE_PATH: 'nowhere/db.sqlite' });
    expect(await deliveries.run(['20250101'], none)).toBe(0);
    expect(none.out()).toContain('has not been queued');
    expect(existsSync(join(tmp.dir, 'nowhere'))).toBe(false);
    await expect(deliveries.run([], io(tmp.dir))).rejects.toThrow(/one issue id/);
  });
});
