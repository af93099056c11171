import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { OwnerAlerts } from '../../src/ops/alerts.js';
import type { DeliveryPort } from '../../src/platform.js';

const part = (chatId: string, partIndex = 0) => ({ platform: 'telegram' as const, chatId, issueId: '20250101', partIndex, partCount: 3 });
const logger = createLogger({ level: 'silent', secrets: [] });

/** A port that records the owner messages it is asked to send. */
function recordingPort(): DeliveryPort & { notices: Array<{ userId: string; text: string }> } {
  const notices: Array<{ userId: string; text: string }> = [];
  return {
    platform: 'telegram',
    notices,
    renderDigest: () => [],
    send: async () => ({ kind: 'sent', messageId: '1' }),
    notifyUser: async (userId, text) => {
      notices.push({ userId, text });
      return { kind: 'sent', messageId: String(notices.length) };
    },
  };
}

describe('OwnerAlerts', () => {
  it('GIVEN 25 chats blocking the bot, one twice, and one part failing for good THEN each owner gets one zh message: 10 chats, "and 15 more", the failed part; retries, 429s and sends are no alerts', async () => {
    const port = recordingPort();
    const alerts = new OwnerAlerts({ owners: [{ platform: 'telegram', userId: '1' }, { platform: 'telegram', userId: '2' }], enabled: true, language: 'zh', clock: systemClock, logger, groupMs: 50 });
    alerts.usePorts([port]);
    const gone = { kind: 'gone' as const, reason: 'Forbidden: bot was blocked by the user' };
    for (let i = 0; i < 25; i++) alerts.partOutcome(part(String(100 + i)), gone, false);
    alerts.partOutcome(part('100'), gone, false);
    alerts.partOutcome(part('900', 1), { kind: 'transient', reason: '502: Bad Gateway' }, true);
    alerts.partOutcome(part('901'), { kind: 'transient', reason: '502: Bad Gateway' }, false);
    alerts.partOutcome(part('902'), { kind: 'rate_limited', retryAfterMs: 1000, reason: '429' }, false);
    alerts.partOutcome(part('903'), { kind: 'sent', messageId: '9' }, false);

    for (let i = 0; i < 100 && port.notices.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await alerts.stop();
    expect(port.notices.map((n) => n.userId).sort()).toEqual(['1', '2']);
    const text = port.notices[0]?.text ?? '';
    expect(text.split('\n')[0]).toBe('newsbot 运行提醒（26 条）');
    expect(text).toContain('已暂停的订阅（25）');
    expect(text.match(/^• telegram 1\d\d: /gm)).toHaveLength(10);
    expect(text).toContain('……另有 15 项');
    expect(text).toContain('最终发送失败（1）');
    expect(text).toContain('• telegram 900, 第 20250101 期，第 2/3 条: 502: Bad Gateway');
    expect(text).not.toMatch(/901|902|903/);
  });

  it('GIVEN ALERTS=off (enabled false) or no owners THEN nothing is kept or sent', async () => {
    for (const options of [{ enabled: false, owners: [{ platform: 'telegram' as const, userId: '1' }] }, { enabled: true, owners: [] }]) {
      const port = recordingPort();
      const alerts = new OwnerAlerts({ ...options, language: 'en', clock: systemClock, logger, groupMs: 1 });
      alerts.usePorts([port]);
      alerts.partOutcome(part('1'), { kind: 'gone', reason: 'kicked' }, false);
      await new Promise((r) => setTimeout(r, 30));
      await alerts.stop();
      expect(alerts.active).toBe(false);
      expect(port.notices).toEqual([]);
    }
  });
});
