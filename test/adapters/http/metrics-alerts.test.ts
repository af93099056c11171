import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRef } from '../../../src/platform.js';
import { parsePrometheusText } from '../../support/prom-text.js';
import { handled } from '../telegram/bot-support.js';
import { startOpsBot, until, type OpsBot } from './ops-harness.js';

let bot: OpsBot | null = null;
afterEach(async () => {
  await bot?.close();
  bot = null;
});

const OWNER = 777;
const chat = (id: number): ChatRef => ({ platform: 'telegram', chatId: String(id), threadId: null });
const scrape = async (base: string) => {
  const res = await fetch(`${base}/metrics`);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusText(await res.text());
};
const tg = { platform: 'telegram' };

describe('/metrics and owner alerts after a real delivery through the fake Telegram', () => {
  it('GIVEN four subscribed chats (fine, blocked, failing twice, told to wait an hour) WHEN an issue is broadcast THEN the counters rise, the gauges read the store, and the owner gets ONE grouped message naming the paused chat, the failed part, the late chat and a new bad file', async () => {
    // The ops clock starts two hours ahead of the delivery's (real) clock: a part queued now is "an hour late" to it.
    bot = await startOpsBot({ OWNER_IDS: `telegram:${OWNER}`, MAX_ATTEMPTS: '2' }, Date.now() + 2 * 3_600_000);
    const { fake, clock } = bot;
    await bot.run();
    await bot.core.library.whenLoaded();

    const before = await scrape(bot.base());
    expect(before.types.get('newsbot_parts_sent_total')).toBe('counter');
    expect(before.types.get('newsbot_command_duration_seconds')).toBe('histogram');
    expect(before.valueOr0('newsbot_parts_sent_total', tg)).toBe(0);
    expect(before.value('newsbot_issues_loaded')).toBe(1);
    // The process defaults are there too.
    expect(before.types.has('process_cpu_user_seconds_total')).toBe(true);
    expect(before.types.has('nodejs_eventloop_lag_seconds')).toBe(true);

    // A reader's command is counted and timed.
    await handled(fake, fake.pushMessage({ chatId: 5005, text: '/latest', languageCode: 'en' }));

    const service = bot.service();
    for (const id of [1001, 1002, 1003, 1004]) await service.subscribe(chat(id), { by: 'test' });
    fake.fault({ kind: 'blocked' }, { chatId: 1002 });
    fake.fault({ kind: 'server_error' }, { chatId: 1003, times: 2 });
    fake.fault({ kind: 'rate_limited', retryAfter: 3600 }, { chatId: 1004 });
    const latest = bot.core.library.latest();
    if (!latest) throw new Error('the fixture issue is loaded');
    await service.broadcast(latest.id, { by: 'test' });

    const store = bot.store;
    const statuses = async (id: number) => (await store.parts.forChatIssue('telegram', String(id), latest.id)).map((r) => r.status);
    await until(async () => {
      const fine = await statuses(1001);
      const failing = await statuses(1003);
      return fine.length > 0 && fine.every((s) => s === 'sent') && failing.length > 0 && failing.every((s) => s !== 'pending') && (await statuses(1002))[0] === 'skipped' && ((await store.parts.forChatIssue('telegram', '1004', latest.id))[0]?.lastError ?? '').includes('retry after');
    }, 'the broadcast to settle', 30_000);
    const parts = (await statuses(1001)).length;

    const after = await scrape(bot.base());
    // 1001: every part; 1003: every part but the first (failed for good after 2 attempts).
    expect(after.value('newsbot_parts_sent_total', tg)).toBe(parts + parts - 1);
    expect(after.value('newsbot_parts_sent_total', tg)).toBe(fake.sent(1001).length + fake.sent(1003).length);
    // 1002's part (the chat is gone) and 1003's first part.
    expect(after.value('newsbot_parts_failed_total', tg)).toBe(2);
    // 1003's first attempt (5xx) and 1004's 429.
    expect(after.value('newsbot_parts_retried_total', tg)).toBe(2);
    expect(after.value('newsbot_rate_limited_total', tg)).toBe(1);
    expect(after.value('newsbot_rate_limited_wait_seconds_total', tg)).toBe(3600);
    expect(after.value('newsbot_outbox_depth')).toBe(parts);
    expect(after.value('newsbot_outbox_oldest_pending_age_seconds')).toBeGreaterThan(3_600);
    expect(after.value('newsbot_subscriptions_paused')).toBe(1);
    expect(after.value('newsbot_commands_total', { command: 'latest', platform: 'telegram' })).toBe(1);
    expect(after.value('newsbot_command_duration_seconds_count', { command: 'latest', platform: 'telegram' })).toBe(1);

    // A new issue file with problems arrives; the watcher sees it.
    writeFileSync(join(bot.issuesDir, 'broken.md'), '---\ntitle: [unclosed\n---\n\n# nothing\n');
    await until(() => bot!.core.library.problems().some((p) => p.file === 'broken.md'), 'the watcher to see broken.md');

    // The minute's check finds the bad file and the late chat; the group closes 30 s after the first alert.
    await clock.advance(1_000);
    expect(fake.sent(OWNER)).toHaveLength(0);
    await clock.advance(30_000);
    await until(() => fake.sent(OWNER).length > 0, 'the owner alert');
    const [alert, ...more] = fake.sent(OWNER);
    expect(more).toHaveLength(0);
    const text = alert?.plainText ?? '';
    expect(text).toContain('newsbot alerts (4)');
    expect(text).toMatch(/Subscriptions paused \(1\)[^]*telegram 1002: .*blocked/);
    expect(text).toMatch(/Parts failed for good \(1\)[^]*telegram 1003, issue 20261120, part 1\//);
    expect(text).toMatch(/Issue 20261120 has not reached 1 chats an hour after[^]*telegram 1004/);
    expect(text).toMatch(/New issue files with problems \(1\)[^]*broken\.md:3: broken front matter/);

    // Rate-limited: another pause soon after waits for the interval (10 min), then comes as one more message.
    await service.subscribe(chat(1005), { by: 'test' });
    fake.fault({ kind: 'kicked' }, { chatId: 1005 });
    await service.broadcast(latest.id, { by: 'test' });
    await until(async () => (await store.subscriptions.get('telegram', '1005'))?.paused === true, '1005 to be paused');
    await clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sent(OWNER)).toHaveLength(1);
    await clock.advance(10 * 60_000);
    await until(() => fake.sent(OWNER).length === 2, 'the second alert');
    expect(fake.sent(OWNER)[1]?.plainText).toMatch(/newsbot alerts \(1\)[^]*telegram 1005: .*kicked/);
  }, 60_000);

  it('GIVEN ALERTS=off WHEN a chat blocks the bot THEN it is paused and counted but the owner hears nothing', async () => {
    bot = await startOpsBot({ OWNER_IDS: `telegram:${OWNER}`, ALERTS: 'off' });
    await bot.run();
    await bot.core.library.whenLoaded();
    const service = bot.service();
    await service.subscribe(chat(2001), { by: 'test' });
    bot.fake.fault({ kind: 'blocked' }, { chatId: 2001 });
    await service.broadcast(bot.core.library.latest()!.id, { by: 'test' });
    await until(async () => (await bot!.store.subscriptions.get('telegram', '2001'))?.paused === true, 'the pause');
    await bot.clock.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await scrape(bot.base())).value('newsbot_subscriptions_paused')).toBe(1);
    expect(bot.fake.sent(OWNER)).toHaveLength(0);
  });
});
