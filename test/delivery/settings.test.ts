import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { makeHarness, useFakeTime, type Harness } from '../fakes/delivery-harness.js';

const chat = { platform: 'telegram' as const, chatId: '1', threadId: null };


describe('subscription settings', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN a bad cron THEN /schedule is refused with the accepted forms and nothing changes', async () => {
    h = makeHarness();
    await h.service.subscribe(chat, { schedule: 'daily 08:00', by: 'telegram:1' });
    const refused = await h.service.setSchedule(chat, '0 25 * * *', { by: 'telegram:1' });
    if (refused.ok) throw new Error('a bad cron was accepted');
    for (const form of ['0 8 * * *', 'daily HH:MM', 'weekly <day> HH:MM', 'off', '周一']) expect(refused.message).toContain(form);
    expect(refused.message).toContain('25 is a invalid expression for hour');
    expect(refused).toMatchObject({ field: 'schedule', input: '0 25 * * *' });
    expect((await h.store.subscriptions.get('telegram', '1'))?.schedule).toBe('0 8 * * *');
  });

  it('GIVEN an unknown time zone THEN it is refused with examples of valid ones', async () => {
    h = makeHarness();
    const refused = await h.service.subscribe(chat, { timezone: 'Mars/Olympus', by: 'telegram:1' });
    expect(refused).toMatchObject({ ok: false, field: 'timezone', input: 'Mars/Olympus' });
    expect(refused.ok ? '' : refused.message).toMatch(/Mars\/Olympus.*Asia\/Shanghai.*Europe\/Berlin/);
    expect(await h.store.subscriptions.get('telegram', '1')).toBeNull();
  });

  it('GIVEN /schedule with a time zone THEN it answers the next three runs in that zone', async () => {
    useFakeTime('2025-03-28T12:00:00Z');
    h = makeHarness();
    const result = await h.service.setSchedule(chat, 'weekly 周日 08:00', { timezone: 'Europe/Berlin', by: 'telegram:1' });
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ created: true, subscription: { schedule: '0 8 * * 0', timezone: 'Europe/Berlin', createdBy: 'telegram:1' } });
    expect(result.nextRuns.map((t) => new Date(t).toISOString())).toEqual([
      '2025-03-30T06:00:00.000Z',
      '2025-04-06T06:00:00.000Z',
      '2025-04-13T06:00:00.000Z',
    ]);
    expect(await h.service.setSchedule(chat, 'off', { by: 'telegram:2' })).toMatchObject({ nextRuns: [], subscription: { schedule: null, updatedBy: 'telegram:2' } });
    expect((await h.service.status(chat)).nextRun).toBeNull();
  });

  it('GIVEN DEFAULT_SCHEDULE in any accepted form THEN configuration accepts it, and rejects other text', () => {
    for (const v of ['daily 07:30', 'weekly 周一 09:00', 'off', '0 8 * * 1-5']) expect(loadConfig({ DEFAULT_SCHEDULE: v }).DEFAULT_SCHEDULE).toBe(v);
    expect(() => loadConfig({ DEFAULT_SCHEDULE: 'daily 25:00' })).toThrow(/DEFAULT_SCHEDULE=daily 25:00 is not valid: .*daily HH:MM/);
  });
});
