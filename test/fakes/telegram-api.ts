/**
 * A fake Telegram Bot API server on 127.0.0.1 for the REAL telegraf client:
 * `new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } })`.
 *
 * It serves POST `/bot<token>/<method>` (JSON, url-encoded or multipart), records every request,
 * checks sendMessage/editMessageText with the independent validator in test/validators and answers
 * violations the way Telegram does (`{ ok: false, error_code: 400, description: "Bad Request: …" }`).
 * getUpdates is a real long poll: held open until a test pushes an update or its timeout passes,
 * honouring `offset` (updates below it are confirmed and forgotten).
 *
 * Shutdown with a launched bot (telegraf makes one last getUpdates after stop()):
 *   `bot.stop(); await launched; await fake.close();`  // never await launch() before stop()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackQuery, Message, Update, UserFromGetMe } from 'telegraf/types';
import type { FakeTelegramApi, FakeTelegramApiOptions, RecordedRequest } from './telegram-api/api.js';
import { FaultBook, TokenBucket, faultFailure, type RateLimit } from './telegram-api/faults.js';
import { ApiFailure, readParams, sendJson } from './telegram-api/http.js';
import { createMethodHandlers } from './telegram-api/methods.js';
import { FakeTelegramWorld } from './telegram-api/world.js';
import { TelegramHtmlMemo } from '../validators/telegram-html-memo.js';

export type { FakeTelegramApi, FakeTelegramApiOptions, RecordedRequest } from './telegram-api/api.js';
export type { FaultScope, RateLimit, TelegramFault } from './telegram-api/faults.js';
export type { MemberStatus, PushCallbackQueryOptions, PushChannelPostOptions, PushInlineQueryOptions, PushMessageOptions, SentMessage } from './telegram-api/world.js';
export { commandEntities } from './telegram-api/world.js';

/** A token in Telegram's shape (`<bot id>:<secret>`), so telegraf's own URL redaction applies to it. */
export const FAKE_TELEGRAM_TOKEN = '123456789:AAF-fake-telegram-token_0123456789abcdef';

/** Methods that post a message, so they count against the rate limit. */
const MESSAGE_METHODS = new Set(['sendMessage', 'editMessageText', 'sendPhoto', 'sendDocument', 'copyMessage', 'forwardMessage']);
const CONFLICT_POLL = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

interface HeldPoll {
  offset: number;
  limit: number;
  rec: RecordedRequest;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

interface Waiter {
  matches: (r: RecordedRequest) => boolean;
  resolve: (r: RecordedRequest) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeTelegramApi(options: FakeTelegramApiOptions = {}): Promise<FakeTelegramApi> {
  const token = options.token ?? FAKE_TELEGRAM_TOKEN;
  const clock = options.clock ?? (() => performance.now());
  const botId = Number(token.split(':')[0]);
  const bot: UserFromGetMe = {
    id: Number.isSafeInteger(botId) && botId > 0 ? botId : 123456789,
    is_bot: true,
    first_name: 'Newsbot',
    username: 'newsbot_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    ...options.bot,
  };
  const world = new FakeTelegramWorld(bot);
  const recordAll = (options.record ?? 'all') === 'all';
  const handlers = createMethodHandlers(world, { html: new TelegramHtmlMemo(), keepParams: recordAll });
  const faults = new FaultBook();
  let globalLimit = options.rateLimit ?? null;
  let perChatLimit = options.perChatRateLimit ?? null;
  let bucket = globalLimit ? new TokenBucket(globalLimit, clock) : null;
  const chatBuckets = new Map<string, TokenBucket>();
  /** The wait in seconds the rate limits impose on a message to this chat, or null to let it through. */
  const rateLimitWait = (chatId: string | null): number | null => {
    let chatBucket: TokenBucket | null = null;
    if (perChatLimit && chatId !== null) {
      chatBucket = chatBuckets.get(chatId) ?? new TokenBucket(perChatLimit, clock);
      chatBuckets.set(chatId, chatBucket);
    }
    // Check both before taking from either, so a refused message costs no token anywhere.
    const waits = [bucket?.wait() ?? null, chatBucket?.wait() ?? null].filter((w): w is number => w !== null);
    if (waits.length > 0) return Math.max(...waits);
    bucket?.take();
    chatBucket?.take();
    return null;
  };
  const stats = { rateLimited: 0, faults: 0, conflicts: 0 };
  const requests: RecordedRequest[] = [];
  // Weak, so a request nobody keeps (record: 'summary') is not kept alive by being answered.
  const settled = new WeakSet<RecordedRequest>();
  const claimed = new WeakSet<RecordedRequest>();
  let received = 0;
  const waiters = new Set<Waiter>();
  const polls = new Set<HeldPoll>();
  let queue: Update[] = [];
  let lastUpdateId = 0;
  /** Updates `redeliver` put back: served once more even below the poller's offset. */
  const unconfirmed = new Set<Update>();
  let closing = false;

  const settle = (rec: RecordedRequest): void => {
    settled.add(rec);
    for (const w of waiters) {
      if (!claimed.has(rec) && w.matches(rec)) {
        claimed.add(rec);
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(rec);
      }
    }
  };

  const answer = (rec: RecordedRequest, res: ServerResponse, status: number, body: unknown): void => {
    rec.status = status;
    rec.response = body;
    sendJson(res, status, body);
    settle(rec);
    options.onAnswer?.(rec);
  };

  /** Confirms (forgets) updates below `offset` and returns the next `limit` ones. */
  const takeUpdates = (offset: number, limit: number): Update[] => {
    if (offset > 0) queue = queue.filter((u) => u.update_id >= offset || unconfirmed.has(u));
    const batch = queue.slice(0, limit);
    for (const u of batch) unconfirmed.delete(u);
    return batch;
  };

  const releasePoll = (poll: HeldPoll): void => {
    polls.delete(poll);
    clearTimeout(poll.timer);
    answer(poll.rec, poll.res, 200, { ok: true, result: takeUpdates(poll.offset, poll.limit) });
  };

  const getUpdates = (params: Record<string, unknown>, rec: RecordedRequest, res: ServerResponse): void => {
    if (world.webhookUrl !== '') throw new ApiFailure(409, CONFLICT_WEBHOOK);
    // Like Telegram: the newer request wins, the one held open is ended with 409.
    for (const older of polls) {
      polls.delete(older);
      clearTimeout(older.timer);
      // A poll its client already gave up on (its socket closed before its 'close' event ran) hears nothing.
      if (older.res.destroyed || older.res.socket?.destroyed) {
        older.rec.status = 0;
        continue;
      }
      stats.conflicts += 1;
      answer(older.rec, older.res, 409, new ApiFailure(409, CONFLICT_POLL).body);
    }
    const offset = Math.max(0, Number(params.offset ?? 0) || 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100) || 100));
    const timeoutSeconds = Math.max(0, Number(params.timeout ?? 0) || 0);
    const ready = takeUpdates(offset, limit);
    if (ready.length > 0 || timeoutSeconds === 0 || closing) {
      answer(rec, res, 200, { ok: true, result: ready });
      return;
    }
    const poll: HeldPoll = { offset, limit, rec, res, timer: setTimeout(() => releasePoll(poll), timeoutSeconds * 1000) };
    polls.add(poll);
    res.on('close', () => {
      if (!polls.delete(poll)) return;
      clearTimeout(poll.timer);
      rec.status = 0;
    });
    settle(rec);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // An optional `/via/<label>` before `/bot<token>` tells several clients of one token apart (see `viaRoot`).
    const route = /^(?:\/via\/([A-Za-z0-9_-]{1,64}))?\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    const rec: RecordedRequest = { seq: ++received, method: route?.[3] ?? '', token: route?.[2] ?? '', via: route?.[1] ?? null, params: {}, at: clock(), status: null, response: null };
    if (recordAll) requests.push(rec);
    try {
      if (!route) throw new ApiFailure(404, 'Not Found');
      rec.params = await readParams(req, url).catch((err: unknown) => {
        throw err instanceof ApiFailure ? err : new ApiFailure(400, "Bad Request: can't parse request body");
      });
      if (rec.token !== token) throw new ApiFailure(401, 'Unauthorized');
      const chatId = rec.params.chat_id == null ? null : String(rec.params.chat_id);
      const fault = faults.take(rec.method, chatId);
      if (fault) {
        stats.faults += 1;
        if (fault.kind === 'invalid_json') {
          rec.status = 200;
          rec.response = '<html>502 Bad Gateway</html>';
          res.writeHead(200, { 'content-type': 'text/html' }).end(rec.response);
          return settle(rec);
        }
        if (fault.kind === 'drop' || fault.kind === 'hang') {
          rec.status = 0;
          if (fault.kind === 'drop') req.socket.destroy();
          return settle(rec);
        }
        throw faultFailure(fault, world.chat(chatId ?? '')?.type ?? 'group');
      }
      if (MESSAGE_METHODS.has(rec.method)) {
        const retryAfter = rateLimitWait(chatId);
        if (retryAfter !== null) {
          stats.rateLimited += 1;
          throw new ApiFailure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
        }
      }
      if (rec.method === 'getUpdates') return getUpdates(rec.params, rec, res);
      const handler = handlers[rec.method];
      if (!handler) throw new ApiFailure(404, `Not Found: method "${rec.method}" is not served by the fake Telegram API`);
      answer(rec, res, 200, { ok: true, result: handler(rec.params) });
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(500, `Internal Server Error: fake bug: ${String(err)}`);
      answer(rec, res, failure.code, failure.body);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const pushUpdate = <U extends Update>(update: Omit<U, 'update_id'>): U => {
    const full = { ...update, update_id: ++lastUpdateId } as unknown as U;
    queue.push(full);
    for (const poll of [...polls]) releasePoll(poll);
    return full;
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    viaRoot: (label) => `http://127.0.0.1:${port}/via/${label}/`,
    token,
    bot,
    requests,
    stats,
    pushUpdate,
    redeliver(update) {
      unconfirmed.add(update);
      queue.unshift(update);
      for (const poll of [...polls]) releasePoll(poll);
    },
    pushMessage: (o) => pushUpdate<Update.MessageUpdate<Message.TextMessage>>(world.messageUpdate(o)),
    pushChannelPost: (o) => pushUpdate<Update.ChannelPostUpdate<Message.TextMessage>>(world.channelPostUpdate(o)),
    pushCallbackQuery: (o) => pushUpdate<Update.CallbackQueryUpdate<CallbackQuery.DataQuery>>(world.callbackQueryUpdate(o)),
    pushInlineQuery: (o) => pushUpdate<Update.InlineQueryUpdate>(world.inlineQueryUpdate(o)),
    waitFor(method, predicate = () => true, timeoutMs = 10_000) {
      const matches = (r: RecordedRequest): boolean => r.method === method && settled.has(r) && !claimed.has(r) && predicate(r);
      const found = requests.find(matches);
      if (found) {
        claimed.add(found);
        return Promise.resolve(found);
      }
      return new Promise<RecordedRequest>((resolve, reject) => {
        const waiter: Waiter = {
          matches,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = recordAll ? requests.map((r) => `${r.method}(${r.status ?? 'held'})`).join(', ') : `${received} requests, not recorded (record: 'summary')`;
            reject(new Error(`waitFor(${method}) timed out after ${timeoutMs} ms; received: ${seen || 'nothing'}`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    sent: (chatId) => [...world.messages.values()].filter((m) => chatId === undefined || m.chatId === String(chatId)),
    fault: (fault, scope) => faults.add(fault, scope),
    clearFaults: () => faults.clear(),
    setRateLimit: (limit: RateLimit | null, perChat: RateLimit | null = null) => {
      globalLimit = limit;
      perChatLimit = perChat;
      bucket = globalLimit ? new TokenBucket(globalLimit, clock) : null;
      chatBuckets.clear();
    },
    setChat: (chat) => world.setChat(chat),
    setMember: (chatId, userId, status) => world.setMember(chatId, userId, status),
    myCommands: (languageCode = '', scopeType = 'default') => world.commands.get(`${scopeType}|${languageCode}`) ?? [],
    async close() {
      closing = true;
      for (const poll of [...polls]) releasePoll(poll);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`waitFor: the fake Telegram API closed`));
      }
      waiters.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
