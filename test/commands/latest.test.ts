import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { ask, emptyIssuesDir, openCore, spansOf, textOf } from './support.js';

describe('/latest', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore();
  });
  afterAll(() => core.close());

  it('GIVEN the archive THEN /latest replies with the newest issue as a full digest', async () => {
    const reply = await ask(core, '/latest');
    if (reply.kind !== 'digest') throw new Error(`expected a digest, got ${reply.kind}`);
    expect(reply.digest).toMatchObject({ issueId: '20260818', date: '2026-08-18', mode: 'full', webUrl: null });
    expect(reply.digest.itemCount).toBeGreaterThan(0);
    expect(reply.language).toBe('zh');
  });

  it('GIVEN /latest compact THEN the digest is compact', async () => {
    const reply = await ask(core, '/latest compact');
    expect(reply.kind === 'digest' && reply.digest.mode).toBe('compact');
  });

  it('GIVEN /latest@ourbot addressed to us THEN it is the same command', async () => {
    const reply = await ask(core, '/LATEST@ourbot');
    expect(reply.kind === 'digest' && reply.digest.issueId).toBe('20260818');
  });

  it('GIVEN an odd argument THEN a clear reply echoes it as plain text and shows the usage', async () => {
    const reply = await ask(core, '/latest <b>please</b>', { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toContain('/latest [full|compact]');
    const echoed = spansOf(reply).find((s) => s.text.includes('<b>please</b>'));
    expect(echoed).toBeDefined();
    expect(echoed?.url).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('GIVEN /latest %s, a name every object has THEN it is refused as an unknown mode', async (word) => {
    const reply = await ask(core, `/latest ${word}`, { language: 'en' });
    expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(reply)).toContain('/latest [full|compact]');
  });

  it('GIVEN the Chinese mode words THEN they choose the mode too', async () => {
    const reply = await ask(core, '/latest 简洁');
    expect(reply.kind === 'digest' && reply.digest.mode).toBe('compact');
  });
});

describe('/latest with settings', () => {
  it('GIVEN DEFAULT_MODE=compact THEN the digest is compact', async () => {
    const core = await openCore(undefined, { DEFAULT_MODE: 'compact' });
    const reply = await ask(core, '/latest');
    await core.close();
    expect(reply.kind === 'digest' && reply.digest.mode).toBe('compact');
  });

  it("GIVEN the chat's own mode THEN it wins over the default", async () => {
    const core = await openCore(undefined, {}, { chats: { modeFor: async (c) => (c.chatId === '7' ? 'compact' : null) } });
    const mine = await ask(core, '/latest', { chatId: '7' });
    const other = await ask(core, '/latest', { chatId: '8' });
    await core.close();
    expect(mine.kind === 'digest' && mine.digest.mode).toBe('compact');
    expect(other.kind === 'digest' && other.digest.mode).toBe('full');
  });

  it('GIVEN ISSUE_WEB_URL THEN the digest links to the issue page', async () => {
    const core = await openCore(undefined, { ISSUE_WEB_URL: 'https://example.org/issues/{id}' });
    const reply = await ask(core, '/latest');
    await core.close();
    expect(reply.kind === 'digest' && reply.digest.webUrl).toBe('https://example.org/issues/20260818');
  });

  it('GIVEN an empty archive THEN /latest answers kindly instead of failing', async () => {
    const core = await openCore(emptyIssuesDir());
    const zh = await ask(core, '/latest');
    const en = await ask(core, '/latest', { language: 'en' });
    await core.close();
    expect(zh).toMatchObject({ kind: 'text', tone: 'info' });
    expect(textOf(zh)).toContain('还没有');
    expect(textOf(en)).toContain('no issues yet');
  });
});
