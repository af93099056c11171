/**
 * The failover scenario of issue 14, shared by test/e2e/failover.postgres.test.ts and
 * bench/failover.ts: two real instances (child processes) on one PostgreSQL database and one fake
 * Telegram, N chats subscribed, the owner's `/broadcast` of a 3-part issue, one instance killed with
 * SIGKILL once a share of the parts was accepted, then (optionally) a second issue dropped into the
 * folder for the next per-minute scheduled run. Everything is judged from what the fake accepted.
 *
 * The chats are subscribed through the store of the same database before the instances start: 200
 * (or thousands of) /subscribe commands would time the command path, not the failover, and their
 * replies would mingle with the broadcast. The subscriptions are on a per-minute schedule in UTC:
 * the broadcast issue is dated 2099 so no scheduled run ever owes it (only /broadcast sends it),
 * and the second one, dated in the past, is owed by the first run after it arrives.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderTelegramDigest } from '../../../adapters/telegram/render.js';
import { digestBuilder } from '../../../src/digest/builder.js';
import { parseIssueFile } from '../../../src/issue/parse.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import type { PgServer } from '../../support/postgres.js';
import { tallyFailover, type Accepted, type FailoverTally } from './failover-tally.js';
import { startInstance, startInstances, type BotInstance } from './instances.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/issues/failover');
/** Renders to exactly 3 Telegram messages; dated 2099, so only /broadcast sends it. */
export const BROADCAST_ISSUE = 'AI简报20991201.md';
/** One message; dated 2026-11-30, owed by the next scheduled run once it is in the folder. */
export const NEXT_ISSUE = 'AI简报20261130.md';
const OWNER = 1001;
const FIRST_CHAT = 700_000_000;

export interface FailoverOptions {
  server: PgServer;
  chats: number;
  /** R: the bots' TELEGRAM_RATE_GLOBAL (messages/s, bursts of a tenth of a second). */
  rate: number;
  /** The fake answers 429 beyond R (a bucket of R/5) when true; otherwise it takes everything. */
  enforceRate: boolean;
  leaseSeconds: number;
  rolePollSeconds: number;
  /** Kill once this share of the parts was accepted (e.g. 1/3). */
  killAt: number;
  /** Then drop the second issue in and wait for the next scheduled run. */
  scheduledRun: boolean;
  /** Extra environment for the instances (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  progress?: (line: string) => void;
}

export interface FailoverRun {
  tally: FailoverTally;
  victim: { name: string; pid: number; roles: string[] };
  survivor: { name: string; pid: number; roles: string[] };
  /** The chats the killed instance held leases on when killed. */
  victimChats: number;
  /** Seconds from the kill until the survivor held every role the killed one had (null: not within 30 s). */
  roleTakeoverS: number | null;
  /** Parts not yet accepted when the kill came. */
  remainingAtKill: number;
  /** 429s the fake's rate limit answered. */
  provoked429: number;
  /** Of those, the ones after the kill (the survivor alone). */
  provoked429AfterKill: number;
  /** The scheduled run after the broadcast: copies of the second issue per chat (chat → count), who sent them. */
  next: { copies: Map<string, number>; senders: Record<string, number>; waitedS: number } | null;
  /** Exit code of the survivor on SIGTERM; its log and the killed one's. */
  survivorExit: number | null;
  logs: Record<string, string>;
  /** Each instance's distinct warn-or-worse log messages, with how often each came (`msg: err ×n`). */
  warnings: Record<string, string[]>;
  /** The database URL's password, which no log may show. */
  databaseUrl: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, everyMs = 100, diagnose?: () => Promise<string>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) {
      const why = diagnose ? `\n${await diagnose().catch((err: unknown) => String(err))}` : '';
      throw new Error(`failover: timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

/** Distinct warn-or-worse messages of a JSON log, with counts. */
function warningsIn(log: string): string[] {
  const counts = new Map<string, number>();
  for (const line of log.split('\n')) {
    if (!/"level":(4|5|6)\d/.test(line)) continue;
    let key = line.slice(0, 200);
    try {
      const j = JSON.parse(line) as { msg?: string; err?: unknown };
      key = `${j.msg ?? ''}: ${typeof j.err === 'string' ? j.err : JSON.stringify(j.err ?? '')}`.slice(0, 300);
    } catch {
      // not JSON: keep the raw start
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`);
}

/** The log lines at warn or above (pino levels 40+), the last `count`. */
function troubles(log: string, count = 8): string {
  return log
    .split('\n')
    .filter((l) => /"level":(4|5|6)\d/.test(l) || (l !== '' && !l.startsWith('{')))
    .slice(-count)
    .map((l) => l.slice(0, 600))
    .join('\n');
}

/** The Telegram texts of a fixture issue, as the bots render them for a 'zh' 'full' subscription. */
export async function fixtureTexts(file: string): Promise<string[]> {
  const issue = await parseIssueFile(join(fixtures, file), fixtures);
  return renderTelegramDigest(digestBuilder()(issue, 'full'), 'zh').map((m) => String(m.text));
}

async function unsent(store: Store): Promise<number> {
  const counts = await store.parts.statusCounts();
  return counts.pending + counts.sending;
}

export async function runFailover(o: FailoverOptions): Promise<FailoverRun> {
  const say = o.progress ?? (() => undefined);
  const texts = await fixtureTexts(BROADCAST_ISSUE);
  const [nextText] = await fixtureTexts(NEXT_ISSUE);
  if (texts.length !== 3 || nextText === undefined) throw new Error(`failover fixtures: expected 3 + 1 parts, got ${texts.length}`);
  const chats = Array.from({ length: o.chats }, (_, i) => String(FIRST_CHAT + i));
  const chatSet = new Set(chats);
  const databaseUrl = await o.server.createDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-failover-'));
  const issuesDir = join(dir, 'issues');
  const store = await openStore({ databasePath: join(dir, 'unused.db'), databaseUrl });
  let fake: FakeTelegramApi | undefined;
  let instances: BotInstance[] = [];
  try {
    const settings = { threadId: null, schedule: '* * * * *', timezone: 'UTC', mode: 'full' as const, language: 'zh' as const };
    await store.transaction(async (tx) => {
      for (const chat of chats) await tx.subscriptions.insert('telegram', chat, settings, 'e2e', Date.now());
    });
    mkdirSync(issuesDir);
    copyFileSync(join(fixtures, BROADCAST_ISSUE), join(issuesDir, BROADCAST_ISSUE));

    const parts = chats.length * texts.length;
    const killWhen = Math.ceil(parts * o.killAt);
    const accepted: Accepted[] = [];
    const sentBy = new Map<string, number>();
    let victim: BotInstance | undefined;
    let killAt = 0;
    let remainingAtKill = 0;
    let rateLimitedAfterKill = 0;
    let onKill: (() => void) | undefined;
    const killed = new Promise<void>((r) => (onKill = r));
    const kill = (): void => {
      const chosen = victim && (sentBy.get(victim.name) ?? 0) > 0 ? victim : instances.find((i) => (sentBy.get(i.name) ?? 0) > 0);
      if (!chosen) return;
      victim = chosen;
      chosen.kill();
      killAt = performance.now();
      remainingAtKill = parts - accepted.length;
      onKill?.();
    };
    fake = await startFakeTelegramApi({
      record: 'summary',
      rateLimit: o.enforceRate ? { messagesPerSecond: o.rate, burst: Math.max(1, Math.round(o.rate / 5)) } : null,
      onAnswer: (r) => {
        if (r.method === 'sendMessage' && r.status === 429 && killAt > 0) rateLimitedAfterKill += 1;
        if (r.method !== 'sendMessage' || r.status !== 200) return;
        const chatId = String(r.params.chat_id);
        if (!chatSet.has(chatId)) return;
        accepted.push({ via: r.via, chatId, text: String(r.params.text), at: r.at });
        sentBy.set(r.via ?? '?', (sentBy.get(r.via ?? '?') ?? 0) + 1);
        if (killAt === 0 && accepted.length >= killWhen) kill();
      },
    });
    const telegram = fake;
    say(`starting 2 instances on ${chats.length} chats, R = ${o.rate}/s`);
    const envOf = (name: string): Record<string, string> => ({
      DATABASE_URL: databaseUrl,
      DATABASE_PATH: join(dir, `${name}.db`),
      ISSUE_CACHE_PATH: 'off',
      ISSUES_DIR: issuesDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.viaRoot(name),
      TELEGRAM_RATE_GLOBAL: `${Math.max(1, Math.round(o.rate / 10))}/100ms`,
      OWNER_IDS: `telegram:${OWNER}`,
      LEASE_SECONDS: String(o.leaseSeconds),
      ROLE_POLL_SECONDS: String(o.rolePollSeconds),
      CATCHUP_MAX_AGE: '0s',
      DEFAULT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
      ...o.env,
    });
    instances = await startInstances(2, envOf);
    const rolesOf = async (): Promise<Map<number, string[]>> => {
      const members = (await store.cluster?.members()) ?? [];
      return new Map(members.map((m) => [Number(m.instance.split(':').at(-2)), m.roles]));
    };
    // Kill the instance holding the most roles (the poller, the scheduler), so their takeover is tried too.
    await waitUntil('the instances to take their roles', 5_000, async () => [...(await rolesOf()).values()].some((r) => r.length > 0)).catch(() => undefined);
    const roles = await rolesOf();
    victim = [...instances].sort((a, b) => (roles.get(b.pid)?.length ?? 0) - (roles.get(a.pid)?.length ?? 0))[0];
    say(`roles: ${instances.map((i) => `${i.name}(pid ${i.pid}): ${(roles.get(i.pid) ?? []).join(',') || '-'}`).join('; ')}`);

    telegram.pushMessage({ chatId: OWNER, from: { id: OWNER }, text: '/broadcast 20991201', languageCode: 'en' });
    await Promise.race([killed, waitUntil(`${killWhen} of ${parts} parts before the kill`, 60_000 + (parts / o.rate) * 3_000, () => killAt > 0, 250)]);
    const dead = victim as BotInstance;
    const survivor = instances.find((i) => i !== dead) as BotInstance;
    // Right away, before the leases run out: the chats the dead instance was sending.
    const leases = await store.ops.leases(Date.now(), 1_000_000);
    const victimChats = new Set(leases.filter((l) => l.owner.split(':').at(-2) === String(dead.pid)).map((l) => l.chatId));
    say(`killed ${dead.name} (pid ${dead.pid}) at ${accepted.length}/${parts} parts; it held ${victimChats.size} chat leases`);
    // The second issue goes in now, so the wait for the next minute overlaps the takeover: its run
    // may come while the survivor is alone or once the killed one is back (both are told apart below).
    const nextDroppedAt = performance.now();
    if (o.scheduledRun) copyFileSync(join(fixtures, NEXT_ISSUE), join(issuesDir, NEXT_ISSUE));

    // The roles the dead one held move to the survivor within ROLE_POLL_SECONDS of its connection closing.
    const victimRoles = roles.get(dead.pid) ?? [];
    let roleTakeoverS: number | null = null;
    const rolesMoved = waitUntil('the roles to move', 30_000, async () => {
      const held = (await rolesOf()).get(survivor.pid) ?? [];
      return victimRoles.every((r) => held.includes(r));
    }, 100)
      .then(() => (roleTakeoverS = Number(((performance.now() - killAt) / 1000).toFixed(2))))
      .catch(() => undefined);
    const finishBudgetMs = (o.leaseSeconds + (remainingAtKill / o.rate) * 3 + 30) * 1000;
    const inIssue = new Set(texts);
    const ofIssue = () => accepted.filter((m) => inIssue.has(m.text));
    const complete = () => new Set(ofIssue().map((m) => `${m.chatId} ${m.text}`)).size >= parts;
    const diagnose = async (): Promise<string> =>
      [
        `accepted ${ofIssue().length}/${parts} (${new Set(ofIssue().map((m) => `${m.chatId} ${m.text}`)).size} distinct), ${accepted.length} in all; outbox ${JSON.stringify(await store.parts.statusCounts())}`,
        `leases: ${JSON.stringify((await store.ops.leases(Date.now(), 5)).map((l) => [l.chatId, l.owner, l.expiresInMs]))}`,
        ...instances.map((i) => `${i.name}${i === dead ? ' (killed)' : ''}:\n${troubles(i.log())}`),
      ].join('\n');
    // An empty outbox too: a resent last part comes after its chat looks complete.
    await waitUntil('every part of the broadcast, and an empty outbox', finishBudgetMs, async () => complete() && (await unsent(store)) === 0, 200, diagnose);
    await dead.exited;
    await rolesMoved;
    const tally = tallyFailover({ chats, texts, accepted: ofIssue(), victim: dead.name, killAt, victimChats, rate: o.rate });

    let next: FailoverRun['next'] = null;
    if (o.scheduledRun) {
      // The dead machine comes back (a new process): two instances are alive if the run is still due.
      const replacement = startInstance('i2', envOf('i2'));
      instances.push(replacement);
      say('i2 restarted in place of the killed one; waiting for the next scheduled run');
      await replacement.started;
      const got = () => accepted.filter((m) => m.text === nextText);
      const left = 75_000 - (performance.now() - nextDroppedAt);
      await waitUntil('the next scheduled run to reach every chat', left, () => new Set(got().map((m) => m.chatId)).size >= chats.length, 250, diagnose);
      const waitedS = Number(((performance.now() - nextDroppedAt) / 1000).toFixed(1));
      // A second firing by another instance would come within moments: give it time to show.
      await waitUntil('an empty outbox after the scheduled run', 30_000, async () => (await unsent(store)) === 0, 200, diagnose);
      await sleep(3_000);
      const copies = new Map(chats.map((c) => [c, 0]));
      const senders: Record<string, number> = {};
      for (const m of got()) {
        copies.set(m.chatId, (copies.get(m.chatId) ?? 0) + 1);
        senders[m.via ?? '?'] = (senders[m.via ?? '?'] ?? 0) + 1;
      }
      next = { copies, senders, waitedS };
    }
    const after = await rolesOf();
    const survivorExit = await survivor.stop();
    return {
      tally,
      victim: { name: dead.name, pid: dead.pid, roles: roles.get(dead.pid) ?? [] },
      survivor: { name: survivor.name, pid: survivor.pid, roles: after.get(survivor.pid) ?? [] },
      victimChats: victimChats.size,
      roleTakeoverS,
      remainingAtKill,
      provoked429: telegram.stats.rateLimited,
      provoked429AfterKill: rateLimitedAfterKill,
      next,
      survivorExit,
      logs: Object.fromEntries(instances.map((i) => [i.name, i.log()])),
      warnings: Object.fromEntries(instances.map((i) => [i.name, warningsIn(i.log())])),
      databaseUrl,
    };
  } finally {
    await Promise.all(instances.map((i) => i.stop(2_000)));
    await fake?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
