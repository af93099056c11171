/**
 * `newsbot deliver <id> --to <platform>:<chat> [--dry-run]`: sends one issue to one
 * chat now through the real platform sender, recording every part in the outbox like the bot does
 * (so a chat that already has the issue gets nothing twice, and `newsbot deliveries <id>` shows it).
 * With --dry-run it prints the exact requests it would make and touches nothing: no network, no store.
 *
 * It sends from this process with a worker scoped to that one chat (other chats' parts, even ones a
 * running bot is sending, are left alone). A bot running on the same database picks up due parts
 * too, so while it runs prefer /broadcast; see README.
 */
import { parseArgs } from 'node:util';
import { Delivery } from '../../src/delivery/delivery.js';
import { digestBuilder, type DigestBuilder } from '../../src/digest/builder.js';
import type { DigestMode } from '../../src/digest/digest.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { LANGUAGES, type Language } from '../../src/i18n/language.js';
import type { Issue } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library/library.js';
import { createLogger, reportError, type Logger } from '../../src/log.js';
import type { ChatRef, DeliveryPort, PlatformModule, RecordedRequest } from '../../src/platform.js';
import type { Config } from '../../src/config.js';
import { loadAppSettings } from '../env.js';
import { PLATFORMS, platformNamed, secretsOf } from '../platforms.js';
import { println, type CliCommand, type CliIo } from './io.js';
import { table } from './store-access.js';

const MODES: readonly DigestMode[] = ['full', 'compact'];

const TARGETS = `${PLATFORMS.map((p) => p.target.chat).join(' or ')}, optionally with /<${PLATFORMS.map((p) => p.target.thread).join(' or ')} id>`;

/** "<platform>:<chat>" or "<platform>:<chat>/<topic or thread>", e.g. "telegram:-1001234/77"; and the platform's module. */
function parseTarget(text: string | undefined): { chat: ChatRef; platform: PlatformModule } {
  const m = /^([a-z][a-z0-9-]*):([^/\s]+)(?:\/(\d+))?$/.exec(text?.trim() ?? '');
  const platform = m ? platformNamed(m[1] as string) : undefined;
  if (!m || !platform) throw new UsageError(`--to must be ${TARGETS}`);
  return { chat: { platform: platform.name, chatId: m[2] as string, threadId: m[3] ?? null }, platform };
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

async function findIssue(library: IssueLibrary, ref: string, config: Config): Promise<Issue> {
  const issue = ref === 'latest' ? library.latest() : library.get(ref);
  if (!issue) throw new UsageError(`no issue "${ref}" in ${config.ISSUES_DIR} (try: newsbot list)`);
  return issue;
}

export const command: CliCommand = {
  summary: 'Send one issue to one chat now, recorded in the outbox (--dry-run prints the requests instead)',
  usage:
    `newsbot deliver <id|latest> --to ${PLATFORMS.map((p) => `${p.target.chat}[/<${p.target.thread} id>]`).join('|')} [--dry-run] [--mode full|compact] [--lang zh|en]\n\n` +
    `Needs ${PLATFORMS.map((p) => p.switchedOnBy.variable).join(' or ')} for the platform (not for --dry-run). --mode and --lang default\n` +
    "to the chat's subscription, else DEFAULT_MODE and DEFAULT_LANGUAGE (--dry-run reads no store: the defaults).\n" +
    'Parts the chat already has are not sent again. Exits 1 when a part could not be delivered.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { to: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, mode: { type: 'string' }, lang: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('give one issue id, e.g. newsbot deliver 20210814 --to telegram:12345');
    const { chat, platform } = parseTarget(values.to);
    const mode = choice('--mode', values.mode, MODES);
    const language = choice('--lang', values.lang, LANGUAGES);
    const { config, env } = loadAppSettings(io);
    const library = await IssueLibrary.open(config.ISSUES_DIR, { watch: false });
    try {
      const issue = await findIssue(library, positionals[0] as string, config);
      const digests = digestBuilder(config.ISSUE_WEB_URL);
      if (values['dry-run']) return await dryRun(io, config, digests, issue, chat, platform, mode ?? config.DEFAULT_MODE, language ?? config.DEFAULT_LANGUAGE);
      const logger = createLogger({ level: env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', secrets: secretsOf(config) });
      const port = await livePort(platform, config, logger);
      return await send(io, config, { library, digests, logger }, issue, chat, port, { mode, language });
    } finally {
      await library.close();
    }
  },
};

/** The platform's port over the network; a missing token is a one-line usage error naming the variable. */
async function livePort(platform: PlatformModule, config: Config, logger: Logger): Promise<DeliveryPort> {
  try {
    return await platform.deliveryPort(config, { kind: 'network', onError: (error) => reportError(logger, error) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new UsageError(`--to ${platform.name}:… needs ${String(err.context.variable)} (set it in the environment or in .env)`, {}, { cause: err });
  }
}

async function dryRun(io: CliIo, config: Config, digests: DigestBuilder, issue: Issue, chat: ChatRef, platform: PlatformModule, mode: DigestMode, language: Language): Promise<number> {
  const requests: RecordedRequest[] = [];
  const port = await platform.deliveryPort(config, { kind: 'record', requests });
  const messages = port.renderDigest(digests(issue, mode), language);
  for (const message of messages) await port.send(chat, message);
  println(io.stdout, JSON.stringify(requests, null, 2));
  println(io.stderr, `newsbot deliver: dry run: issue ${issue.id} → ${messages.length} ${chat.platform} message(s) for ${target(chat)} (${mode}, ${language}); nothing was sent or recorded`);
  return 0;
}

async function send(
  io: CliIo,
  config: Config,
  deps: { library: IssueLibrary; digests: DigestBuilder; logger: Logger },
  issue: Issue,
  chat: ChatRef,
  port: DeliveryPort,
  options: { mode?: DigestMode | undefined; language?: Language | undefined },
): Promise<number> {
  const delivery = await Delivery.fromConfig(config, { issues: deps.library, digests: deps.digests, logger: deps.logger, ports: [port] });
  try {
    const { parts: queued, states: parts } = await delivery.sendNow(issue.id, chat, options);
    if (parts.length === 0) {
      println(io.stdout, `Issue ${issue.id} was moved with the chat to a new id (a Telegram group upgraded); see: newsbot deliveries ${issue.id}`);
      return 1;
    }
    const rows = parts.map((p) => [`${p.partIndex + 1}/${p.partCount}`, p.status, p.messageId ?? '', String(p.attempts), p.lastError ?? '']);
    println(io.stdout, table([['PART', 'STATUS', 'MESSAGE', 'ATTEMPTS', 'ERROR'], ...rows]));
    const sent = parts.filter((p) => p.status === 'sent').length;
    const already = queued === 0 ? ' (it had them already: nothing was sent again)' : '';
    println(io.stdout, `\nIssue ${issue.id} → ${target(chat)}: ${sent} of ${parts.length} part(s) sent${already}.`);
    return sent === parts.length ? 0 : 1;
  } finally {
    await delivery.stop();
    await delivery.close();
  }
}

function target(chat: ChatRef): string {
  return `${chat.platform}:${chat.chatId}${chat.threadId ? `/${chat.threadId}` : ''}`;
}
