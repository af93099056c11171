/**
 * `newsbot render <id|file> --platform telegram|discord|shell`: prints exactly what newsbot
 * would send for an issue — Telegram sendMessage parameters or Discord message payloads as a
 * JSON array, or the terminal text — so a reviewer sees every message before anyone receives it.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { digestBuilder } from '../../src/digest/builder.js';
import type { Digest, DigestMode } from '../../src/digest/digest.js';
import type { Config } from '../../src/config.js';
import { IssueFileError, UsageError } from '../../src/errors.js';
import { LANGUAGES, type Language } from '../../src/i18n/language.js';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { parseIssueFile } from '../../src/issue/parse.js';
import { IssueLibrary } from '../../src/library/library.js';
import type { PlatformName } from '../../src/platform.js';
import { loadAppConfig } from '../env.js';
import { PLATFORMS, platformNamed, SHELL } from '../platforms.js';
import { println, type CliCommand, type CliIo } from './io.js';

/** Every platform's renderer, and the terminal chat's. */
const TARGETS: readonly PlatformName[] = [...PLATFORMS.map((p) => p.name), SHELL];
const TARGET_LIST = TARGETS.join('|');
const MODES: readonly DigestMode[] = ['full', 'compact'];

export const command: CliCommand = {
  summary: `Print the exact messages an issue becomes on ${PLATFORMS.map((p) => p.title).join(', ')} or the shell`,
  usage:
    `newsbot render <id|file> --platform ${TARGET_LIST} [--mode full|compact] [--lang zh|en] [--dir D] [--width N] [--json]\n\n` +
    '<id|file>: an issue id (20210814), date (2021-08-14), "latest", a file name in the issues folder,\n' +
    'or the path of a Markdown file. D defaults to ISSUES_DIR, else ./issues; --mode to DEFAULT_MODE,\n' +
    'else full; --lang to DEFAULT_LANGUAGE, else zh (settings from the environment, then .env).\n' +
    'ISSUE_WEB_URL adds the web link.\n' +
    'Telegram prints a JSON array of sendMessage parameters (text, parse_mode, link_preview_options);\n' +
    'Discord a JSON array of message payloads (content, embeds, components, allowed_mentions); the\n' +
    'shell prints its text (--json: a JSON array holding that text). The message count goes to stderr.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        platform: { type: 'string' },
        mode: { type: 'string' },
        lang: { type: 'string' },
        dir: { type: 'string' },
        width: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const platform = oneOf('--platform', values.platform, TARGETS, null);
    const config = loadAppConfig(io);
    const mode = oneOf('--mode', values.mode, MODES, config.DEFAULT_MODE);
    const language = oneOf('--lang', values.lang, LANGUAGES, config.DEFAULT_LANGUAGE);
    const width = values.width === undefined ? 80 : Number(values.width);
    if (!Number.isInteger(width) || width < 20 || width > 1000) throw new UsageError(`--width must be a whole number from 20 to 1000, got "${values.width}"`);
    if (positionals.length !== 1) throw new UsageError(`give one issue id or file (usage: newsbot render <id|file> --platform ${TARGET_LIST})`);

    const issue = await findIssue(positionals[0] as string, values.dir, config, io);
    const digest = digestBuilder(config.ISSUE_WEB_URL)(issue, mode);
    const messages = await render(platform, config, digest, language, width);
    if (typeof messages === 'string') {
      if (values.json) println(io.stdout, JSON.stringify([messages], null, 2));
      else io.stdout.write(messages);
      println(io.stderr, `newsbot render: ${issue.id} (${itemsOf(issue).length} items) for shell, ${mode}, ${language}`);
    } else {
      println(io.stdout, JSON.stringify(messages, null, 2));
      println(io.stderr, `newsbot render: ${issue.id} (${itemsOf(issue).length} items) → ${messages.length} ${platform} message(s), ${mode}, ${language}`);
    }
    return 0;
  },
};

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T | null): T {
  const chosen = value ?? fallback;
  if (chosen === null) throw new UsageError(`${flag} is required: ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(chosen)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${chosen}"`);
  return chosen as T;
}

/**
 * A platform renders through its delivery port over a recording transport: the messages are exactly
 * what its sender posts, and no token or network is needed. Each is loaded only when asked for.
 */
async function render(name: PlatformName, config: Config, digest: Digest, language: Language, width: number): Promise<string | object[]> {
  const platform = platformNamed(name);
  if (!platform) return (await import('../shell/render.js')).renderShellDigest(digest, language, { width });
  const port = await platform.deliveryPort(config, { kind: 'record', requests: [] });
  return port.renderDigest(digest, language);
}

/** A Markdown file path when `ref` names an existing file, else an id, date or name in the issues folder. */
async function findIssue(ref: string, dirOption: string | undefined, config: Config, io: CliIo): Promise<Issue> {
  const path = resolve(io.cwd, ref);
  const info = await stat(path).catch(() => null);
  if (info?.isFile()) return usable(await parseIssueFile(path, io.cwd), ref);
  if (/\.(md|markdown)$/i.test(ref) && /[\\/]/.test(ref)) throw new IssueFileError(`file not found: ${ref}`, { file: ref });
  const dir = dirOption === undefined ? config.ISSUES_DIR : resolve(io.cwd, dirOption);
  const library = await IssueLibrary.open(dir, { watch: false });
  try {
    const issue = ref === 'latest' ? library.latest() : library.get(ref);
    if (!issue) throw new UsageError(`no issue "${ref}" in ${dir} (try: newsbot list --dir ${dirOption ?? dir})`);
    return issue;
  } finally {
    await library.close();
  }
}

/** A file that parsed to nothing (unreadable, not Markdown) is an error, not an empty digest. */
function usable(issue: Issue, ref: string): Issue {
  if (itemsOf(issue).length === 0 && issue.problems.length > 0) {
    throw new IssueFileError(`${ref}: ${issue.problems[0]?.message ?? 'no items'}`, { file: ref });
  }
  return issue;
}
