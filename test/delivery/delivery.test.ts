import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Delivery } from '../../src/delivery/delivery.js';
import { digestBuilder } from '../../src/digest/builder.js';
import { loadConfig } from '../../src/config.js';
import { tempDir, recordingLogger } from '../fakes/delivery-harness.js';
import { FakeIssueFeed } from '../fakes/issue-feed.js';
import { RecordingPort } from '../fakes/recording-port.js';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn();
  cleanups = [];
});

async function open(platforms: Array<'telegram' | 'discord'>): Promise<Delivery> {
  const { dir, cleanup } = tempDir();
  const config = loadConfig({ DATABASE_PATH: join(dir, 'newsbot.db'), DEFAULT_TIMEZONE: 'UTC', LOG_LEVEL: 'silent' });
  const delivery = await Delivery.fromConfig(config, { issues: new FakeIssueFeed(['20250101']), digests: digestBuilder(), logger: recordingLogger().logger, platforms });
  cleanups.push(async () => {
    await delivery.stop();
    await delivery.close();
    cleanup();
  });
  return delivery;
}

describe('the delivery facade', () => {
  it('GIVEN delivery expecting Telegram WHEN it starts with only a Discord port THEN Telegram chats are told they can receive posts until the start, and afterwards only Discord can', async () => {
    const delivery = await open(['telegram']);
    expect([delivery.canDeliver('telegram'), delivery.canDeliver('discord')]).toEqual([true, false]);
    await delivery.start([new RecordingPort('discord')]);
    expect([delivery.canDeliver('telegram'), delivery.canDeliver('discord')]).toEqual([false, true]);
  });

  it('GIVEN a started facade WHEN a chat subscribes and an issue is broadcast THEN the attached port gets every part, and the queries answer without the store', async () => {
    const delivery = await open(['telegram']);
    const port = new RecordingPort('telegram');
    await delivery.start([port]);
    const chat = { platform: 'telegram' as const, chatId: '7', threadId: null };
    const subscribed = await delivery.subscribe(chat, { schedule: 'off', by: 'telegram:7' });
    expect(subscribed).toMatchObject({ ok: true, created: true, nextRuns: [] });
    expect(await delivery.activeCount()).toBe(1);
    expect(await delivery.broadcast('20250101', { by: 'test' })).toMatchObject({ issueId: '20250101', chats: 1, skipped: 0 });
    await delivery.idle();
    const parts = await delivery.parts(chat, '20250101');
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((p) => p.status === 'sent')).toBe(true);
    expect(port.delivered('7')).toEqual(parts.map((p) => `20250101#${p.partIndex}`));
    expect(await delivery.subscribe(chat, { schedule: 'daily 25:00', by: 'telegram:7' })).toMatchObject({ ok: false, field: 'schedule', input: 'daily 25:00' });
    expect((await delivery.subscription(chat))?.schedule).toBeNull();
  });
});
