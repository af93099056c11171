/**
 * Issue 18 on Discord: a burst of slash commands, 100 users × the six commands at once, through the
 * real discord.js against the fake Discord enforcing a global requests/s limit (interaction callbacks
 * exempt, as on Discord). Rates are scaled ×10 in both the fake and the bot (500/s for Discord's 50/s)
 * so the burst takes seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../fakes/discord-api.js';
import { seedIssuesDir } from '../telegram/burst-support.js';
import { answerTo, startHarness, visibleText, type Answer, type Harness } from './bot-support.js';

const SCALE = 10;
const COMMANDS: Array<[string, Record<string, string>]> = [
  ['latest', {}],
  ['search', { query: 'nerf' }],
  ['issue', { date: '20210814' }],
  ['search', { query: '车道线' }],
  ['issues', {}],
  ['help', {}],
];

const shown = (answer: Answer) => answer.messages.map((m) => `${m.ephemeral ? '(ephemeral) ' : ''}${visibleText(m)}`);

describe('Discord adapter under a burst of slash commands', () => {
  let h: Harness;
  let cleanup: () => void;

  beforeAll(async () => {
    const issues = seedIssuesDir();
    cleanup = issues.cleanup;
    h = await startHarness({
      issuesDir: issues.dir,
      env: { DISCORD_RATE_GLOBAL: `${50 * SCALE}/1s`, LOG_LEVEL: 'info' },
      // Discord's own heartbeat interval: a starved test process must not look like a zombie connection.
      fake: { requestsPerSecond: 50 * SCALE, heartbeatIntervalMs: 41_250 },
    });
  });
  afterAll(async () => {
    await h.close();
    cleanup();
  });

  it('GIVEN 100 users each sending the six commands at once THEN each is acknowledged once (deferred on arrival), every answer arrives whole with no apology, and the rate-limited follow-ups provoke under 5% 429s', async () => {
    const { fake, adapter } = h;
    const expected: string[][] = [];
    for (const [name, options] of COMMANDS) expected.push(shown(await h.interact(fake.chatInput(name, options, { userId: '900000000000000001', locale: 'en-US' }))));
    expect(expected.every((e) => e.length > 0 && !e.some((m) => m.startsWith('(ephemeral)')))).toBe(true);
    const before = fake.stats();

    const dispatched: Array<{ payload: Json }> = [];
    for (const [name, options] of COMMANDS) {
      for (let user = 0; user < 100; user++) {
        const payload = fake.chatInput(name, options, { userId: String(910000000000000000n + BigInt(user)), locale: 'en-US' });
        dispatched.push({ payload });
        fake.dispatchInteraction(payload);
      }
    }
    for (const { payload } of dispatched) await fake.waitFor((r) => r.params.interaction === payload.id, 60_000);
    await adapter.idle();

    let webhookRequests = 0;
    dispatched.forEach(({ payload }, i) => {
      const answer = answerTo(fake, payload);
      // Acknowledged (a reply, or a deferral whose reply is then edited). A callback the HTTP client sent
      // twice under load is refused the second time (40060) and must change nothing.
      expect([4, 5]).toContain(answer.callbackType);
      const refused = answer.requests.filter((r) => r.status >= 400 && r.status !== 429);
      expect(refused.every((r) => r.route === 'POST /interactions/:interaction/:token/callback' && r.status === 400)).toBe(true);
      // The whole answer, as the command gets it when asked alone; no apology.
      expect(shown(answer)).toEqual(expected[Math.floor(i / 100)]);
      webhookRequests += answer.requests.filter((r) => r.route.includes('/webhooks/')).length;
    });
    // Under the burst the answers are deferred on arrival, so their acknowledgement never waits for the rate limit.
    const deferred = dispatched.filter(({ payload }) => answerTo(fake, payload).callbackType === 5).length;
    expect(deferred).toBeGreaterThan(dispatched.length * 0.9);
    const provoked = fake.stats().enforced429s - before.enforced429s;
    // Every deferred answer is at least one webhook request (its edit); longer answers add follow-ups.
    expect(webhookRequests).toBeGreaterThanOrEqual(dispatched.length);
    expect(provoked / webhookRequests).toBeLessThan(0.05);
    const lines = h.logs.filter((l) => l.family === 'platform');
    expect(lines).toEqual([]);
  }, 120_000);
});
