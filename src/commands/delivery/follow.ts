/**
 * /follow <words>, /following, /unfollow <n|words>: a chat's saved searches. Items of new issues
 * that match one (by /search's rules) alert the chat once (delivery/alerts.ts). Saving and removing
 * is for the caller in a private chat and for admins in groups and channels (`adminOnly`).
 */
import { FOLLOW_LIMIT } from '../../delivery/alerts.js';
import { parseQuery } from '../../search/query.js';
import type { CommandContext, CommandModule } from '../module.js';
import { echo, textReply, toInteger } from '../reply.js';
import type { Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { isReply, deliveryFor } from './guard.js';
import { rboth, readerOption, rpara, rreply } from './readers-text.js';
import { byOf, chatOf } from './text.js';

async function follow(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = deliveryFor(ctx, access);
  if (isReply(service)) return service;
  const { language, caller } = ctx;
  const parsed = parseQuery(ctx.command.text);
  if (!parsed.ok) {
    return parsed.reason === 'too_long' ? rreply(language, 'error', 'follow.tooLong', { limit: parsed.limit ?? '?' }) : rreply(language, 'info', 'follow.usage');
  }
  const chat = chatOf(caller);
  const readers = service.choices;
  const saved = await readers.follows(chat.platform, chat.chatId);
  if (saved.some((f) => f.query === parsed.text)) return rreply(language, 'info', 'follow.exists', { query: echo(parsed.text) });
  if (saved.length >= FOLLOW_LIMIT) return rreply(language, 'error', 'follow.cap', { limit: FOLLOW_LIMIT });
  await readers.addFollow({ ...chat, query: parsed.text, language, createdBy: byOf(caller) }, Date.now());
  return rreply(language, 'info', 'follow.saved', { query: echo(parsed.text), count: saved.length + 1, limit: FOLLOW_LIMIT });
}

async function following(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = deliveryFor(ctx, access);
  if (isReply(service)) return service;
  const { language, caller } = ctx;
  const saved = await service.choices.follows(caller.platform, caller.chatId);
  if (saved.length === 0) return rreply(language, 'info', 'following.none');
  return textReply(language, 'info', [
    rpara(language, 'following.heading', { count: saved.length, limit: FOLLOW_LIMIT }),
    ...saved.map((f, i) => rpara(language, 'following.item', { n: i + 1, query: { text: f.query, code: true } })),
    rpara(language, 'following.hint'),
  ]);
}

async function unfollow(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = deliveryFor(ctx, access);
  if (isReply(service)) return service;
  const { language, caller, command } = ctx;
  if (command.text === '') return rreply(language, 'info', 'unfollow.usage');
  const readers = service.choices;
  const saved = await readers.follows(caller.platform, caller.chatId);
  const n = toInteger(command.text);
  const text = command.text.trim().replace(/\s+/gu, ' ');
  const target = n !== null ? saved[n - 1] : saved.find((f) => f.query === text || f.query.toLowerCase() === text.toLowerCase());
  if (!target) return rreply(language, 'error', 'unfollow.notFound', { ref: echo(command.text) });
  await readers.removeFollow(target.id);
  return rreply(language, 'info', 'unfollow.done', { query: echo(target.query) });
}

export function followCommands(access: DeliveryAccess): CommandModule[] {
  return [
    {
      info: { name: 'follow', description: rboth('describe.follow'), options: [readerOption('words', 'words', true)], adminOnly: true },
      run: (ctx) => follow(ctx, access),
    },
    {
      info: { name: 'following', description: rboth('describe.following'), options: [], adminOnly: false },
      run: (ctx) => following(ctx, access),
    },
    {
      info: { name: 'unfollow', description: rboth('describe.unfollow'), options: [readerOption('which', 'which', true)], adminOnly: true },
      run: (ctx) => unfollow(ctx, access),
    },
  ];
}
