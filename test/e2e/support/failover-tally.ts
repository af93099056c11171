/**
 * What a broadcast with one instance killed midway delivered, judged from what the fake platform
 * accepted (never from what the bots say about themselves): the promises of issue 14.
 *  - lost: (chat, part) pairs that never arrived;
 *  - repeated: copies beyond the first; the bound holds when no chat has more than one part
 *    repeated, and each repeat is of a chat the killed instance was sending (it held the chat's
 *    lease when killed) whose first copy the killed instance sent;
 *  - order: each chat's parts arrive in order (a repeat follows its first copy at once);
 *  - times: takeover (kill to the first part a survivor sends to a chat the killed one held) and
 *    finish (kill to the last part), and the send rate in the window while both were alive and
 *    in the one after the kill, over the rate R.
 */

/** One message the fake accepted. */
export interface Accepted {
  /** Which instance sent it (the fake's `via` label), null when unlabelled. */
  via: string | null;
  chatId: string;
  text: string;
  /** Milliseconds on the clock `killAt` uses. */
  at: number;
}

export interface FailoverFacts {
  /** The chats the broadcast went to. */
  chats: readonly string[];
  /** The issue's rendered parts, in order (a part is known by its text). */
  texts: readonly string[];
  /** Every accepted message to those chats, in the order the fake accepted them. */
  accepted: readonly Accepted[];
  /** The killed instance's label, when it was killed (ms), and the chats it held leases on then. */
  victim: string;
  killAt: number;
  victimChats: ReadonlySet<string>;
  /** The global rate R, messages per second. */
  rate: number;
}

export interface FailoverTally {
  chats: number;
  parts: number;
  accepted: number;
  lost: number;
  repeated: number;
  /** Chats with a repeated part. */
  repeatedChats: string[];
  repeatBoundHeld: boolean;
  /** Why the bound does not hold (empty when it does). */
  boundBreaches: string[];
  /** Chats whose parts arrived out of order. */
  outOfOrder: string[];
  /** Accepted messages that are no part of the issue. */
  unexpected: number;
  /** Parts accepted before the kill, by each instance. */
  beforeKill: Record<string, number>;
  /** Seconds from the kill to a survivor's first part to a chat the killed instance held; null when none was left. */
  takeoverS: number | null;
  /** Seconds from the kill to the last accepted part (0 when everything was in before it). */
  finishS: number;
  /** Parts per second over R while both were alive (first part to the kill). */
  ratioBothAlive: number;
  /** Parts per second over R after the kill (kill to last part). */
  ratioAfterKill: number;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function tallyFailover(f: FailoverFacts): FailoverTally {
  const partOf = new Map(f.texts.map((t, i) => [t, i]));
  const seen = new Map<string, Array<{ part: number; via: string | null; at: number }>>(f.chats.map((c) => [c, []]));
  let unexpected = 0;
  const beforeKill: Record<string, number> = {};
  for (const m of f.accepted) {
    const part = partOf.get(m.text);
    const row = seen.get(m.chatId);
    if (part === undefined || !row) {
      unexpected += 1;
      continue;
    }
    row.push({ part, via: m.via, at: m.at });
    if (m.at <= f.killAt) beforeKill[m.via ?? '?'] = (beforeKill[m.via ?? '?'] ?? 0) + 1;
  }
  let lost = 0;
  let repeated = 0;
  const repeatedChats: string[] = [];
  const boundBreaches: string[] = [];
  const outOfOrder: string[] = [];
  let takeoverAt: number | null = null;
  for (const [chat, row] of seen) {
    const counts = f.texts.map((_, part) => row.filter((r) => r.part === part).length);
    lost += counts.filter((n) => n === 0).length;
    const extra = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    repeated += extra;
    if (extra > 0) {
      repeatedChats.push(chat);
      if (extra > 1) boundBreaches.push(`chat ${chat}: ${extra} repeated parts (${row.map((r) => r.part).join(',')})`);
      if (!f.victimChats.has(chat)) boundBreaches.push(`chat ${chat}: repeated, but the killed instance held no lease on it`);
      counts.forEach((n, part) => {
        const first = row.find((r) => r.part === part);
        if (n > 1 && first?.via !== f.victim) boundBreaches.push(`chat ${chat}: part ${part} repeated, first sent by ${first?.via}, not the killed ${f.victim}`);
      });
    }
    // In order: part numbers never go down (a repeat of part k comes right after k, before k + 1).
    if (row.some((r, i) => i > 0 && r.part < (row[i - 1]?.part ?? 0))) outOfOrder.push(chat);
    if (f.victimChats.has(chat)) {
      const firstAfter = row.find((r) => r.at > f.killAt && r.via !== f.victim);
      if (firstAfter && (takeoverAt === null || firstAfter.at < takeoverAt)) takeoverAt = firstAfter.at;
    }
  }
  const inIssue = f.accepted.filter((m) => partOf.has(m.text) && seen.has(m.chatId));
  const firstAt = inIssue[0]?.at ?? f.killAt;
  const lastAt = inIssue.at(-1)?.at ?? f.killAt;
  const before = inIssue.filter((m) => m.at <= f.killAt).length;
  const after = inIssue.length - before;
  const perR = (count: number, ms: number) => (ms > 0 ? round(count / (ms / 1000) / f.rate) : 0);
  return {
    chats: f.chats.length,
    parts: f.chats.length * f.texts.length,
    accepted: inIssue.length,
    lost,
    repeated,
    repeatedChats,
    repeatBoundHeld: boundBreaches.length === 0,
    boundBreaches,
    outOfOrder,
    unexpected,
    beforeKill,
    takeoverS: takeoverAt === null ? null : round((takeoverAt - f.killAt) / 1000, 2),
    finishS: round(Math.max(0, lastAt - f.killAt) / 1000, 2),
    ratioBothAlive: perR(Math.max(0, before - 1), f.killAt - firstAt),
    ratioAfterKill: perR(after, lastAt - f.killAt),
  };
}
