/**
 * End to end: the real discord.js client, started by runApp with the real core, answering
 * interactions the fake Discord dispatches over its gateway. Assertions are on the requests the
 * fake received (what a reader would see), never on the adapter's internals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandModule } from '../../../src/commands/module.js';
import { commandMessages } from '../../../src/i18n/commands.js';
import { itemsOf } from '../../../src/issue/model.js';
import { FAKE_DISCORD, PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, type Json } from '../../fakes/discord-api.js';
import { checkDiscordMessage, checkInteractionResponse } from '../../validators/discord-payload.js';
import { FIXTURE_IDS_NEWEST_FIRST } from '../../commands/support.js';
import { buttonsOf, startHarness, SYNTHETIC_IDS, visibleText, type Answer, type Harness } from './bot-support.js';

/** An admin-only command like delivery's /subscribe: says which chat it would change. */
const adminCommand: CommandModule = {
  info: { name: 'testadmin', description: { zh: '测试管理命令', en: 'A test admin command' }, options: [], adminOnly: true },
  run: async ({ caller, language }) => ({ kind: 'text', tone: 'info', body: [[{ text: `changed ${caller.chatId}/${caller.threadId ?? '-'}` }]], language }),
};
/** A command whose handler fails. */
const failingCommand: CommandModule = {
  info: { name: 'boom', description: { zh: '总是失败', en: 'Always fails' }, options: [], adminOnly: false },
  run: async () => {
    throw new Error('handler exploded');
  },
};

/** Every payload the bot sent for this answer passes the independent validator. */
function expectValidPayloads(answer: Answer): void {
  for (const r of answer.requests) {
    if (r.route.endsWith('/callback')) expect(checkInteractionResponse(r.body), r.route).toEqual([]);
    else if (r.method === 'PATCH') expect(checkDiscordMessage(r.body, { edit: true }), r.route).toEqual([]);
    else if (r.method === 'POST') expect(checkDiscordMessage(r.body), r.route).toEqual([]);
    expect(r.status, `${r.route} answered ${r.status}`).toBeLessThan(300);
  }
}

const embedsOf = (answer: Answer) => answer.messages.flatMap((m) => (m.body.embeds ?? []) as Json[]);

describe('Discord adapter answering interactions (real discord.js, fake Discord, real core)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ commands: [adminCommand, failingCommand] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('GIVEN /latest THEN it is deferred, then the header and every item as embeds arrive, all valid', async () => {
    const latest = h.core.library.latest();
    if (!latest) throw new Error('the fixtures have issues');
    const answer = await h.interact(h.fake.chatInput('latest'));
    expect(answer.callbackType).toBe(5);
    expectValidPayloads(answer);
    const [header, ...rest] = answer.messages;
    expect(header?.via).toBe('edit');
    expect(header?.body.content).toContain(latest.date);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((m) => m.via === 'followUp' && !m.ephemeral)).toBe(true);
    expect(embedsOf(answer)).toHaveLength(itemsOf(latest).length);
    expect(embedsOf(answer).map((e) => e.url)).toEqual(itemsOf(latest).map(({ item }) => item.url ?? undefined));
  });

  it('GIVEN /issue date: being typed THEN autocomplete offers matching issues, newest first', async () => {
    const answerFor = async (typed: string) => (await h.interact(h.fake.autocomplete('issue', { date: typed }, 'date'))).choices;
    expect((await answerFor('2021')).map((c) => c.value)).toEqual(FIXTURE_IDS_NEWEST_FIRST.filter((id) => id.startsWith('2021')));
    expect((await answerFor('8/14')).map((c) => c.value)).toEqual(['20260814', '20210814']);
    expect(await answerFor('no such words')).toEqual([]);
    const byTitle = await answerFor('合成测试第 1');
    expect(byTitle.length).toBeGreaterThan(0);
    expect(byTitle.every((c) => c.name.includes('合成测试第 1'))).toBe(true);
  });

  it('GIVEN more than 25 matching issues THEN autocomplete offers 25, names within 100 characters', async () => {
    const all = (await h.interact(h.fake.autocomplete('issue', { date: '' }, 'date'))).choices;
    expect(h.core.library.list().length).toBeGreaterThan(25);
    expect(all).toHaveLength(25);
    expect(all[0]?.value).toBe(FIXTURE_IDS_NEWEST_FIRST[0]);
    const synthetic = (await h.interact(h.fake.autocomplete('issue', { date: '合成' }, 'date'))).choices;
    expect(synthetic).toHaveLength(25);
    expect(synthetic.every((c) => SYNTHETIC_IDS.includes(String(c.value)) && c.name.length <= 100)).toBe(true);
  });

  it('GIVEN /issue with a chosen date THEN that issue is posted', async () => {
    const issue = h.core.library.get('20210814');
    const answer = await h.interact(h.fake.chatInput('issue', { date: '20210814' }));
    expectValidPayloads(answer);
    expect(answer.messages[0]?.body.content).toContain(issue?.date);
    expect(embedsOf(answer)).toHaveLength(itemsOf(issue!).length);
  });

  it('GIVEN /search nerf THEN page 1 has a ▶ button, and pressing it updates the same message to page 2', async () => {
    const search = h.fake.chatInput('search', { query: 'nerf' });
    const answer = await h.interact(search);
    expectValidPayloads(answer);
    const first = answer.messages[0];
    if (!first) throw new Error('no answer');
    expect(answer.messages).toHaveLength(1);
    expect(first.ephemeral).toBe(false);
    const buttons = buttonsOf(first);
    const next = buttons.find((b) => b.label === '▶');
    expect(buttons.find((b) => b.label === '◀')?.disabled).toBe(true);
    expect(next?.disabled).toBe(false);
    expect(next?.customId?.length).toBeLessThanOrEqual(100);
    expect(embedsOf(answer)[0]?.title).toMatch(/^1\. /);

    const message = h.fake.interactionState(String(search.id))?.original as Json;
    const press = h.fake.button(next!.customId!, { message });
    const paged = await h.interact(press);
    expectValidPayloads(paged);
    expect(paged.callbackType).toBe(7);
    expect(paged.messages.map((m) => m.via)).toEqual(['update']);
    expect(embedsOf(paged)[0]?.title).toMatch(/^6\. /);
    expect(buttonsOf(paged.messages[0]!).find((b) => b.label === '◀')?.disabled).toBe(false);
    expect(h.fake.interactionState(String(press.id))?.original?.id).toBe(message.id);
  });

  it('GIVEN /issue for a date with no issue THEN only the caller sees a helpful answer naming the nearest issues', async () => {
    const answer = await h.interact(h.fake.chatInput('issue', { date: '20210815' }, { locale: 'zh-CN' }));
    expectValidPayloads(answer);
    expect(answer.messages).toHaveLength(1);
    const [only] = answer.messages;
    expect(only?.ephemeral).toBe(true);
    expect(visibleText(only!)).toMatch(/没有 `?20210815`? 这一期/);
    expect(visibleText(only!)).toContain('/issue 20210814');
  });

  it.each([
    ['a stored query that is gone', 'pg:k:2:AbCdEfGh12'],
    ['a forged page', 'pg:s:0:nerf'],
    ['a button that is not ours', 'something-else'],
  ])('GIVEN %s on a button THEN the presser alone is told politely that it expired', async (_, customId) => {
    const answer = await h.interact(h.fake.button(customId));
    expectValidPayloads(answer);
    expect(answer.callbackType).toBe(4);
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages[0]?.ephemeral).toBe(true);
    expect(visibleText(answer.messages[0]!)).toContain(commandMessages.en['page.expired']);
  });

  /** Callbacks and edits an interaction caused: a forged press may cause one ephemeral callback and nothing else. */
  const effectsOf = (answer: Answer) => ({
    callbacks: answer.requests.filter((r) => r.route.endsWith('/callback')).map((r) => (r.body as Json).type),
    edits: answer.requests.filter((r) => r.method === 'PATCH').length,
  });

  it('GIVEN a search answer WHEN a forged press sends page data that decodes (attacker text as the query) but is not on that message THEN nothing is updated and only the presser is told', async () => {
    const search = h.fake.chatInput('search', { query: 'nerf' });
    await h.interact(search);
    const message = h.fake.interactionState(String(search.id))?.original as Json;
    const forged = h.fake.button('pg:s:1:FREE CRYPTO visit evil.example', { message });
    const answer = await h.interact(forged);
    expect(effectsOf(answer)).toEqual({ callbacks: [4], edits: 0 });
    expect(answer.messages.map((m) => m.ephemeral)).toEqual([true]);
    expect(visibleText(answer.messages[0]!)).toContain(commandMessages.en['page.notOnMessage']);
    expect(h.fake.interactionState(String(search.id))?.original).toEqual(message);
  });

  it('GIVEN a bot post with no components WHEN a forged page press arrives for it THEN nothing is updated and the presser is told in zh', async () => {
    // The message object the fake builds for a press, stripped of its components: a plain post.
    const post: Json = { ...(h.fake.button('unused').message as Json), content: 'AI 简报 2021-08-14', components: [] };
    const answer = await h.interact(h.fake.button('pg:a:2', { message: post, locale: 'zh-CN' }));
    expect(effectsOf(answer)).toEqual({ callbacks: [4], edits: 0 });
    expect(answer.messages.map((m) => m.ephemeral)).toEqual([true]);
    expect(visibleText(answer.messages[0]!)).toContain(commandMessages.zh['page.notOnMessage']);
  });

  it('GIVEN an admin command THEN Manage Server is checked at run time, and in a DM the reader is the admin', async () => {
    const refused = await h.interact(h.fake.chatInput('testadmin', {}, { memberPermissions: DEFAULT_MEMBER_PERMISSIONS }));
    expect(refused.messages.map((m) => m.ephemeral)).toEqual([true]);
    expect(visibleText(refused.messages[0]!)).toContain('/testadmin');
    expect(visibleText(refused.messages[0]!)).not.toContain('changed');

    const allowed = await h.interact(h.fake.chatInput('testadmin', {}, { memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild }));
    expect(visibleText(allowed.messages[0]!)).toBe(`changed ${FAKE_DISCORD.channelId}/-`);

    const dmChannel = '1200000000000000777';
    const dm = await h.interact(h.fake.chatInput('testadmin', {}, { guildId: null, channelId: dmChannel }));
    expect(visibleText(dm.messages[0]!)).toBe(`changed ${dmChannel}/-`);
  });

  it('GIVEN a command in a thread THEN the chat is the parent channel and the thread is kept', async () => {
    const payload = h.fake.chatInput('testadmin', {}, { channelId: FAKE_DISCORD.threadId, memberPermissions: PERMISSIONS.Administrator });
    payload.channel = { ...(payload.channel as Json), type: 11, parent_id: FAKE_DISCORD.channelId };
    const answer = await h.interact(payload);
    expect(visibleText(answer.messages[0]!)).toBe(`changed ${FAKE_DISCORD.channelId}/${FAKE_DISCORD.threadId}`);
  });

  it('GIVEN a command handler that throws THEN the caller gets an ephemeral apology and the error is logged', async () => {
    const answer = await h.interact(h.fake.chatInput('boom'));
    expectValidPayloads(answer);
    expect(answer.messages.map((m) => m.ephemeral)).toEqual([true]);
    expect(visibleText(answer.messages[0]!)).toContain(commandMessages.en.apology);
    expect(h.logs.some((l) => l.msg === 'handler exploded' && l.command === 'boom')).toBe(true);
  });

  it('GIVEN Discord failing the edit of a deferred reply THEN the placeholder goes, an ephemeral apology follows, and the bot keeps working', async () => {
    h.fake.fault({ kind: 'server_error', status: 500, route: 'PATCH /webhooks/:app/:token/messages/@original', times: Infinity });
    const failed = h.fake.chatInput('latest');
    let answer: Answer;
    try {
      answer = await h.interact(failed);
    } finally {
      h.fake.clearFaults();
    }
    expect(answer.deletedOriginal).toBe(true);
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages[0]?.ephemeral).toBe(true);
    expect(visibleText(answer.messages[0]!)).toContain(commandMessages.en.apology);
    const logged = h.logs.find((l) => l.family === 'platform' && String(l.msg).includes('500'));
    expect(logged).toBeDefined();
    expect(JSON.stringify(h.logs)).not.toContain(String(failed.token));
    expect(JSON.stringify(h.logs)).not.toContain(h.fake.token);

    const again = await h.interact(h.fake.chatInput('latest'));
    expect(again.messages[0]?.via).toBe('edit');
    expect(again.messages.every((m) => !m.ephemeral)).toBe(true);
  });
});

describe('Discord adapter deferring slow answers', () => {
  /** A command that takes longer than the adapter waits before deferring. */
  const slowCommand: CommandModule = {
    info: { name: 'slow', description: { zh: '很慢', en: 'Takes a while' }, options: [], adminOnly: false },
    run: async ({ language }) => {
      await new Promise((r) => setTimeout(r, 300));
      return { kind: 'text', tone: 'info', body: [[{ text: 'done at last' }]], language };
    },
  };

  it('GIVEN a command slower than deferAfterMs THEN it is deferred, then the reply edits the placeholder', async () => {
    const h = await startHarness({ commands: [slowCommand], adapter: { deferAfterMs: 50 } });
    try {
      const answer = await h.interact(h.fake.chatInput('slow'));
      expectValidPayloads(answer);
      expect(answer.callbackType).toBe(5);
      expect(answer.messages.map((m) => [m.via, visibleText(m)])).toEqual([['edit', 'done at last']]);
    } finally {
      await h.close();
    }
  });

  it('GIVEN every answer deferred THEN a search is edited in, and a page button defers its update and edits its own message', async () => {
    const h = await startHarness({ adapter: { deferAfterMs: 0 } });
    try {
      const search = h.fake.chatInput('search', { query: 'nerf' });
      const answer = await h.interact(search);
      expectValidPayloads(answer);
      expect(answer.callbackType).toBe(5);
      const next = buttonsOf(answer.messages[0]!).find((b) => b.label === '▶');
      const message = h.fake.interactionState(String(search.id))?.original as Json;
      const press = h.fake.button(next!.customId!, { message });
      const paged = await h.interact(press);
      expectValidPayloads(paged);
      expect(paged.callbackType).toBe(6);
      expect(paged.messages.map((m) => m.via)).toEqual(['edit']);
      expect(embedsOf(paged)[0]?.title).toMatch(/^6\. /);
      expect(h.fake.interactionState(String(press.id))?.original?.id).toBe(message.id);
    } finally {
      await h.close();
    }
  });
});
