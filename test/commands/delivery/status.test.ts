import { afterEach, describe, expect, it, vi } from 'vitest';
import { EN, openAdminBed, ZH, type AdminBed, useFridayNoonClock } from './support.js';

let bed: AdminBed;
useFridayNoonClock();
afterEach(async () => {
  await bed?.close();
});

const OWNER = { userId: '42', language: 'en' } as const;
const SENT = (id: string) => ({ kind: 'sent', messageId: id }) as const;

describe('/status', () => {
  it('GIVEN an unsubscribed chat that never got anything THEN it says so and how to subscribe', async () => {
    bed = await openAdminBed();
    expect(await bed.text('/status', EN)).toBe(
      'This chat is not subscribed. An admin can send /subscribe.\nNo issue has been delivered to this chat yet.',
    );
  });

  it('GIVEN deliveries where parts failed THEN it shows the subscription, the next run, the last delivery part by part and older failures', async () => {
    bed = await openAdminBed({ OWNER_IDS: 'telegram:42', MAX_ATTEMPTS: '1', DEFAULT_TIMEZONE: 'Asia/Shanghai' });
    await bed.say('/subscribe daily 08:00', EN);
    // 20260815: its third part fails; then 20260818: its second part fails.
    bed.port.script('42', SENT('a1'), SENT('a2'), { kind: 'failed', reason: 'Bad Request: message is too long' });
    await bed.say('/broadcast 20260815', OWNER);
    await bed.service.idle();
    bed.port.script('42', SENT('b1'), { kind: 'transient', reason: '500: Internal Server Error' });
    await bed.say('/broadcast latest', OWNER);
    await bed.service.idle();

    const lines = (await bed.text('/status', EN)).split('\n');
    expect(lines[0]).toMatch(/^Subscription: daily at 08:00 \(Asia\/Shanghai\), full digest, English; set by telegram:42 on 2025-03-28 Fri 20:0\d GMT\+8\.$/);
    expect(lines[1]).toBe('Next post: 2025-03-29 Sat 08:00 GMT+8');
    expect(lines[2]).toBe('Last delivery: issue 20260818, 3 message(s):');
    expect(lines[3]).toMatch(/^• part 1\/3: sent \(2025-03-28 Fri 20:0\d GMT\+8\)$/);
    expect(lines[4]).toBe('• part 2/3: failed after 1 attempt(s): 500: Internal Server Error');
    expect(lines[5]).toMatch(/^• part 3\/3: sent \(/);
    expect(lines[6]).toBe('Recent failures:');
    expect(lines[7]).toMatch(/^• issue 20260815 part 3\/3 \(2025-03-28 Fri 20:0\d GMT\+8\): Bad Request: message is too long$/);
    expect(lines).toHaveLength(8);
  });

  it('GIVEN a paused subscription with parts waiting THEN it shows the pause reason and the waiting count, in Chinese', async () => {
    bed = await openAdminBed({ OWNER_IDS: 'telegram:42' });
    await bed.say('/subscribe daily 08:00 UTC', ZH);
    bed.port.script('42', { kind: 'rate_limited', retryAfterMs: 3_600_000, reason: '429: Too Many Requests: retry after 3600' });
    await bed.say('/broadcast 20260815', OWNER);
    // Sent, and its outcome recorded (outcomes are committed in groups, just after the send returns).
    await vi.waitFor(async () => expect((await bed.store.parts.head('telegram', '42'))?.lastError).toContain('429'));
    expect(bed.port.sends).toHaveLength(1);
    await bed.store.subscriptions.pause('telegram', '42', 'Forbidden: bot was kicked from the group chat', Date.now());

    const text = await bed.text('/status', ZH);
    expect(text).toContain('已暂停：Forbidden: bot was kicked from the group chat。管理员发送 /subscribe 即可恢复。');
    expect(text).toContain('最近一次投递：第 20260815 期，共 3 条消息：');
    expect(text).toMatch(/• 第 1\/3 条：等待重试（2025-03-28 周五 13:0\d GMT\+0，已尝试 0 次）：429: Too Many Requests: retry after 3600/);
    expect(text).toContain('• 第 2/3 条：等待发送');
    expect(text).toContain('等待发送：3 条消息。');
    expect(text).not.toContain('下次推送');
  });
});
