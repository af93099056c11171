import { afterEach, describe, expect, it } from 'vitest';
import { EN, openAdminBed, ZH, type AdminBed, useFridayNoonClock } from './support.js';

let bed: AdminBed;
useFridayNoonClock();
afterEach(async () => {
  await bed?.close();
});

const row = () => bed.store.subscriptions.get('telegram', '42');

describe('/schedule', () => {
  it('GIVEN daily 08:00 Europe/Berlin THEN the reply lists the next three runs in Berlin time, across the DST change', async () => {
    bed = await openAdminBed();
    const text = await bed.text('/schedule daily 08:00 Europe/Berlin', EN);
    expect(text).toContain('Schedule: daily at 08:00 (Europe/Berlin)\nThe next three runs (Europe/Berlin):');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toEqual([
      '• 2025-03-29 Sat 08:00 GMT+1',
      '• 2025-03-30 Sun 08:00 GMT+2',
      '• 2025-03-31 Mon 08:00 GMT+2',
    ]);
    expect(await row()).toMatchObject({ schedule: '0 8 * * *', timezone: 'Europe/Berlin' });
  });

  it('GIVEN a subscribed chat in Asia/Tokyo WHEN the schedule changes without a zone THEN the runs are shown in Tokyo time', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe daily 07:00 Asia/Tokyo', ZH);
    const text = await bed.text('/schedule weekly fri 18:00', ZH);
    expect(text).toContain('时间表：每周五 18:00（Asia/Tokyo）');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toEqual([
      '• 2025-04-04 周五 18:00 GMT+9',
      '• 2025-04-11 周五 18:00 GMT+9',
      '• 2025-04-18 周五 18:00 GMT+9',
    ]);
    expect(await row()).toMatchObject({ schedule: '0 18 * * 5', timezone: 'Asia/Tokyo' });
  });

  it('GIVEN off THEN the chat stays subscribed without timed posts, and /status says there is no next post', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe', EN);
    expect(await bed.text('/schedule off', EN)).toBe(
      "Subscription updated.\nTimed posts are off (the chat stays subscribed; owners' /broadcast still arrives).",
    );
    expect(await row()).toMatchObject({ schedule: null });
    expect(await bed.text('/status', EN)).toContain('Next post: none (timed posts are off)');
  });

  it('GIVEN no arguments THEN it shows the current schedule, its next runs and the accepted forms', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe daily 06:30 UTC', EN);
    const text = await bed.text('/schedule', EN);
    expect(text).toContain('Schedule: daily at 06:30 (UTC)');
    expect(text).toContain('• 2025-03-29 Sat 06:30 GMT');
    expect(text).toContain('Usage: /schedule <schedule> [timezone]');
    expect(text).toContain('daily 08:00 Europe/Berlin');
  });

  it('GIVEN a malformed schedule THEN the reply lists the accepted forms and the subscription is unchanged', async () => {
    bed = await openAdminBed();
    await bed.say('/subscribe daily 06:30 UTC', EN);
    const reply = await bed.say('/schedule every morning', EN);
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    const text = await bed.text('/schedule every morning', EN);
    expect(text).toContain('Unrecognised schedule every morning');
    expect(text).toContain('weekly <day> HH:MM');
    expect(await row()).toMatchObject({ schedule: '30 6 * * *', timezone: 'UTC' });
  });
});
