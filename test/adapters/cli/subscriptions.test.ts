import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command as subscriptions } from '../../../adapters/cli/subscriptions.js';
import { tempDir } from '../../fakes/delivery-harness.js';
import { io, seedStore } from './store-fixture.js';

describe('newsbot subscriptions', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp?.cleanup());

  it('GIVEN subscriptions in DATABASE_PATH THEN they are listed, as a table and as JSON', async () => {
    tmp = tempDir();
    await seedStore(tmp.dir);
    const table = io(tmp.dir);
    expect(await subscriptions.run([], table)).toBe(0);
    expect(table.out()).toMatch(/telegram\s+-1001\s+0 8 \* \* \*\s+Asia\/Shanghai\s+full\s+zh\s+active/);
    expect(table.out()).toMatch(/discord\s+555\s+off\s+.*paused: Missing Access/);
    expect(table.out()).toContain('2 subscription(s), 1 paused.');
    const json = io(tmp.dir);
    expect(await subscriptions.run(['--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject([
      { platform: 'discord', chatId: '555', paused: true, pausedReason: 'Missing Access' },
      { platform: 'telegram', chatId: '-1001', createdBy: 'telegram:7' },
    ]);
  });

  it('GIVEN no database yet THEN the listings say so and create nothing', async () => {
    tmp = tempDir();
    const out = io(tmp.dir, { DATABASE_PATH: 'nowhere/db.sqlite' });
    expect(await subscriptions.run([], out)).toBe(0);
    expect(out.out()).toContain('no database at');
    expect(existsSync(join(tmp.dir, 'nowhere'))).toBe(false);
  });
});
