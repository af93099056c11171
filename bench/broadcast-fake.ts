/**
 * The fake Telegram Bot API for `bench/broadcast.ts`. It enforces a global message rate (messages/s,
 * with a bucket of `burst`) and answers 429 beyond it. By default it runs in its own process (forked
 * with tsx's loader, BENCH_FAKE_CHILD=1) so its request handling does not compete with the bot's
 * event loop; `startBenchFake` also runs it in-process for comparison.
 *
 * IPC, parent → child: {type:'faults', faults} arms one-shot sendMessage faults; {type:'report',
 * chats, texts} asks for the tally; {type:'cpu'} for the CPU time the fake has used; {type:'close'}.
 * Child → parent: {type:'ready', apiRoot, token}; the tally {type:'report', …}; {type:'cpu', ms}.
 * BENCH_FAKE_CPU_PROF=<dir> writes a V8 CPU profile of each fake child there (node --cpu-prof).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeTelegramApi, type FakeTelegramApi, type TelegramFault } from '../test/fakes/telegram-api.js';

/** What arrived, against what should have. */
export interface Tally {
  /** Expected (chat, part) pairs that never arrived. */
  lost: number;
  /** Extra copies of a (chat, part) beyond the first. */
  duplicates: number;
  /** Accepted messages that are no part of the issue, or went to an unknown chat. */
  unexpected: number;
  accepted: number;
  /** 429s the rate limit provoked (injected faults are counted apart). */
  rateLimited: number;
  faults: number;
  peakRssMb: number;
}

export interface ArmedFault {
  chatId: string;
  fault: TelegramFault;
}

export interface BenchFake {
  apiRoot: string;
  token: string;
  arm(faults: readonly ArmedFault[]): Promise<void>;
  report(chats: readonly string[], texts: readonly string[]): Promise<Tally>;
  /** CPU time (user + system, ms) the fake's process has used so far; null when it runs in this one. */
  cpuMs(): Promise<number | null>;
  close(): Promise<void>;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function tally(fake: FakeTelegramApi, chats: readonly string[], texts: readonly string[]): Tally {
  const partOf = new Map(texts.map((t, i) => [t, i]));
  const counts = new Map<string, number[]>(chats.map((c) => [c, texts.map(() => 0)]));
  let unexpected = 0;
  const all = fake.sent();
  for (const m of all) {
    const part = partOf.get(m.text);
    const row = counts.get(m.chatId);
    if (part === undefined || !row) unexpected += 1;
    else row[part] = (row[part] ?? 0) + 1;
  }
  let lost = 0;
  let duplicates = 0;
  for (const row of counts.values()) {
    for (const n of row) {
      if (n === 0) lost += 1;
      else duplicates += n - 1;
    }
  }
  const { rateLimited, faults } = fake.stats;
  return { lost, duplicates, unexpected, accepted: all.length, rateLimited, faults, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function startLocal(rate: number, burst: number): Promise<FakeTelegramApi> {
  // 'summary': the tally needs only what sent() lists (chat, text); the fake keeps no request.
  return startFakeTelegramApi({ rateLimit: { messagesPerSecond: rate, burst }, record: 'summary' });
}

/** Starts the fake in this process, or (default) in a child process. */
export async function startBenchFake(rate: number, burst: number, options: { inProcess?: boolean } = {}): Promise<BenchFake> {
  if (options.inProcess) {
    const fake = await startLocal(rate, burst);
    return {
      apiRoot: fake.apiRoot,
      token: fake.token,
      arm: async (faults) => faults.forEach(({ chatId, fault }) => fake.fault(fault, { chatId, method: 'sendMessage', times: 1 })),
      report: async (chats, texts) => tally(fake, chats, texts),
      cpuMs: async () => null,
      close: () => fake.close(),
    };
  }
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_FAKE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_FAKE_CPU_PROF] : [])],
    env: { ...process.env, BENCH_FAKE_CHILD: '1', BENCH_RATE: String(rate), BENCH_FAKE_BURST: String(burst) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if ((m as { type?: string }).type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) => reject(new Error(`bench fake exited (${code}) before "${type}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next<{ apiRoot: string; token: string }>('ready');
  return {
    apiRoot: ready.apiRoot,
    token: ready.token,
    async arm(faults) {
      const acked = next('armed');
      child.send({ type: 'faults', faults });
      await acked;
    },
    async report(chats, texts) {
      const answer = next<Tally & { type: string }>('report');
      child.send({ type: 'report', chats, texts });
      const { type: _type, ...rest } = await answer;
      return rest;
    },
    async cpuMs() {
      const answer = next<{ ms: number }>('cpu');
      child.send({ type: 'cpu' });
      return (await answer).ms;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

if (process.env.BENCH_FAKE_CHILD === '1') {
  const fake = await startLocal(Number(process.env.BENCH_RATE), Number(process.env.BENCH_FAKE_BURST));
  process.on('message', (raw) => {
    const m = raw as { type: string; faults?: ArmedFault[]; chats?: string[]; texts?: string[] };
    if (m.type === 'faults') {
      for (const { chatId, fault } of m.faults ?? []) fake.fault(fault, { chatId, method: 'sendMessage', times: 1 });
      process.send?.({ type: 'armed' });
    } else if (m.type === 'report') {
      process.send?.({ type: 'report', ...tally(fake, m.chats ?? [], m.texts ?? []) });
    } else if (m.type === 'cpu') {
      process.send?.({ type: 'cpu', ms: cpuMs() });
    } else if (m.type === 'close') {
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', apiRoot: fake.apiRoot, token: fake.token });
}
