/**
 * Section filters in scheduled runs and catch-up (the outbox applies them, whoever queues): real
 * node-cron on fake time, real SQLite, a recording port that keeps the digests it rendered.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Digest } from '../../src/digest/digest.js';
import { applySectionFilter, foldSection, resolveSectionNames } from '../../src/delivery/filters.js';
import type { Language } from '../../src/i18n/language.js';
import type { ChatRef, OutboundMessage } from '../../src/platform.js';
import { FILTERED_OUT } from '../../src/store/index.js';
import { makeHarness, settle, useFakeTime, type Harness } from '../fakes/delivery-harness.js';
import { makeIssue } from '../fakes/issue-feed.js';
import { RecordingPort } from '../fakes/recording-port.js';

class DigestPort extends RecordingPort {
  readonly digests: Digest[] = [];
  override renderDigest(digest: Digest, language: Language): OutboundMessage[] {
    this.digests.push(digest);
    return super.renderDigest(digest, language);
  }
}

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const BY = 'telegram:1';

describe('section filters in timed runs', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  it('GIVEN one chat keeping only "AI" and one skipping it WHEN the 08:00 run fires THEN the first gets the AI section, the second is recorded as skipped and owes nothing the next day', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    const port = new DigestPort('telegram');
    h = makeHarness({ port });
    await h.service.start();
    for (const id of ['1', '2']) await h.service.subscribe(chat(id), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.store.readers.setSectionFilter('telegram', '1', { kind: 'only', names: ['ai'] }, BY, Date.now());
    await h.store.readers.setSectionFilter('telegram', '2', { kind: 'skip', names: ['ai'] }, BY, Date.now());
    await vi.advanceTimersByTimeAsync(3_600_000);
    await settle(h.service);
    expect(port.delivered('1')).toEqual(['20250101#0', '20250101#1', '20250101#2']);
    expect(port.digests.map((d) => d.sections.map((s) => s.title))).toEqual([['AI']]);
    expect(port.attempts('2')).toEqual([]);
    expect((await h.store.parts.forChat('telegram', '2')).map((p) => [p.issueId, p.status, p.lastError])).toEqual([['20250101', 'skipped', FILTERED_OUT]]);
    // The next day's run owes chat 2 nothing: the issue counts as handled.
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    await settle(h.service);
    expect(await h.store.parts.forChat('telegram', '2')).toHaveLength(1);
  });

  it('GIVEN a filter leaving nothing WHEN a missed run is caught up at start THEN the issue is recorded as skipped, not sent', async () => {
    useFakeTime('2025-01-01T07:00:00Z');
    h = makeHarness();
    await h.service.subscribe(chat('3'), { schedule: 'daily 08:00', timezone: 'UTC', by: BY });
    await h.store.readers.setSectionFilter('telegram', '3', { kind: 'skip', names: ['ai'] }, BY, Date.now());
    await h.service.stop();
    vi.setSystemTime(Date.parse('2025-01-01T10:00:00Z'));
    await h.restart();
    await h.service.start();
    await settle(h.service);
    expect(h.port.attempts('3')).toEqual([]);
    expect((await h.store.parts.forChat('telegram', '3')).map((p) => p.status)).toEqual(['skipped']);
  });
});

describe('section names', () => {
  const known = ['AI 前沿', '有趣的开源项目', '其他', 'AI', 'Other'];
  it.each([
    ['ａｉ', ['AI']],
    ['ai前沿', ['AI 前沿']],
    ['AI 前', ['AI 前沿']],
    ['有趣, OTHER', ['有趣的开源项目', 'Other']],
    ['其他 有趣', ['其他', '有趣的开源项目']],
  ])('GIVEN %j THEN it names %j', (typed, titles) => {
    expect(resolveSectionNames(typed, known)).toEqual({ ok: true, titles });
  });

  it('GIVEN an ambiguous prefix or an unknown name THEN it says which, with the candidates', () => {
    expect(resolveSectionNames('o', ['Other', 'Open source'])).toMatchObject({ ok: false, problem: 'ambiguous', candidates: ['Other', 'Open source'] });
    expect(resolveSectionNames('论文', known)).toMatchObject({ ok: false, problem: 'unknown', name: '论文' });
  });

  it('GIVEN a filter THEN the issue keeps (only) or drops (skip) those sections, compared folded', () => {
    const issue = { ...makeIssue('20250101'), sections: [{ title: 'ＡＩ', items: [] }, { title: 'Other', items: [] }] };
    expect(applySectionFilter(issue, { kind: 'only', names: [foldSection('ai')] }).sections.map((s) => s.title)).toEqual(['ＡＩ']);
    expect(applySectionFilter(issue, { kind: 'skip', names: [foldSection('ai')] }).sections.map((s) => s.title)).toEqual(['Other']);
  });
});
