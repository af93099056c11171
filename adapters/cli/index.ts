/**
 * The `newsbot` command line. A composition root like `main.ts`: it may wire adapters
 * (renderers, senders) into the core, which is why it lives outside `src/`.
 */
import { pathToFileURL } from 'node:url';
import { NewsbotError } from '../../src/errors.js';
import { redactSecrets } from '../../src/log.js';
import { secretsFor } from '../env.js';
import { println, type CliCommand, type CliIo } from './io.js';

/** Subcommands, imported on demand so `newsbot parse` does not load discord.js. */
const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  shell: () => import('./shell.js'),
  subscriptions: () => import('./subscriptions.js'),
  deliveries: () => import('./deliveries.js'),
  deliver: () => import('./deliver.js'),
  parse: () => import('./parse.js'),
  list: () => import('./list.js'),
  render: () => import('./render.js'),
  search: () => import('./search.js'),
  migrate: () => import('./migrate.js'),
  export: () => import('./export.js'),
  import: () => import('./import.js'),
};

/** Every command with its one-line summary (loading each module: a summary lives beside its command). */
async function usage(io: CliIo): Promise<void> {
  const entries = Object.entries(COMMANDS).sort(([a], [b]) => a.localeCompare(b));
  const commands = await Promise.all(entries.map(async ([name, load]) => ({ name, summary: (await load()).command.summary })));
  const width = Math.max(...commands.map((c) => c.name.length));
  println(io.stdout, 'Usage: newsbot <command> [options]\n\nCommands:');
  for (const { name, summary } of commands) println(io.stdout, `  ${name.padEnd(width)}  ${summary}`);
  println(io.stdout, '\nRun `newsbot <command> --help` for its options. Settings come from the environment over .env\n(NEWSBOT_ENV_FILE names another file, or "off" for none); see .env.example.');
}

/** Runs one invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await usage(io);
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    println(io.stderr, `newsbot: unknown command "${name}" (try: newsbot help)`);
    return 1;
  }
  try {
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      println(io.stdout, `${command.summary}\n\nUsage: ${command.usage}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    // Tokens may come from .env as well as the environment.
    const secrets = secretsFor(io);
    // Known failures and bad options are one line; only real bugs show a stack, and only on request.
    const known = err instanceof NewsbotError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    const message = err instanceof Error ? err.message : String(err);
    println(io.stderr, redactSecrets(`newsbot ${name}: ${message}`, secrets));
    if (!known && io.env.LOG_LEVEL === 'debug' && err instanceof Error && err.stack) println(io.stderr, redactSecrets(err.stack, secrets));
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
