/**
 * The terminal chat: type `/latest` (or just `latest`) and read the reply as text with links.
 * With a TTY it prompts, keeps history and leaves on Ctrl-D, Ctrl-C or /quit. With piped input it
 * answers line by line, strictly in order, and ends at end of input, so it can be scripted.
 * The person at the terminal is the admin of a private chat.
 */
import { createInterface, type Interface } from 'node:readline';
import type { AdapterFactory } from '../../src/app.js';
import { parseCommandText } from '../../src/commands/parse.js';
import type { CommandRouter } from '../../src/commands/router.js';
import type { Caller, Reply } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { renderText } from '../../src/i18n/render.js';
import { reportError, type Logger } from '../../src/log.js';
import type { ChatAdapter } from '../../src/platform.js';
import { renderShellReply } from './render.js';

const QUIT_WORDS = new Set(['/quit', '/exit', 'quit', 'exit', '／quit', '／exit']);
const PROMPT = 'newsbot> ';

export interface ShellChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  router: CommandRouter;
  logger?: Logger;
  /** The reader's language; null or absent: the configured default. */
  language?: Language | null;
  /** Interactive mode (prompt, history, line editing). Default: both streams are TTYs. */
  terminal?: boolean;
  /** Called once when the reader leaves (end of input, /quit, Ctrl-C) — not when `stop()` is called. */
  onEnd?: (reason: string) => void;
  /** Reply renderer; defaults to the shell renderer. */
  render?: (reply: Reply) => string;
}

/** A shell chat; `finished` resolves when its read loop is over. */
export interface ShellChat extends ChatAdapter {
  readonly finished: Promise<void>;
}

/** The terminal user as a caller: a private chat whose only member is its admin. */
export function shellCaller(language: Language | null = null): Caller {
  return {
    platform: 'shell',
    userId: 'local',
    chatId: 'shell',
    threadId: null,
    chatType: 'private',
    language,
    isChatAdmin: async () => true,
  };
}

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** Creates the shell chat; `start()` begins reading. */
export function createShellChat(options: ShellChatOptions): ShellChat {
  const { input, output, router } = options;
  const terminal = options.terminal ?? (isTty(input) && isTty(output));
  // A terminal gets bold text and its own width; piped output stays plain at 80 columns.
  const columns = (output as { columns?: number }).columns;
  const renderOptions = terminal ? { emphasis: 'ansi' as const, width: Math.max(40, Math.min(columns ?? 80, 120)) } : {};
  const render = options.render ?? ((reply: Reply) => renderShellReply(reply, renderOptions));
  const caller = shellCaller(options.language ?? null);
  let rl: Interface | null = null;
  let stopRequested = false;
  let finished: Promise<void> = Promise.resolve();

  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (output.write(text)) resolve();
      else output.once('drain', () => resolve());
    });

  async function answer(line: string): Promise<'quit' | 'ok'> {
    const text = line.trim();
    if (text === '') return 'ok';
    if (QUIT_WORDS.has(text.toLowerCase())) return 'quit';
    // Bare words are commands too (`latest` runs /latest), but only the names of commands: any
    // other word gets the "commands start with /" hint, not "there is no /hello command".
    const slashed = /^[/／]/.test(text);
    const parsed = parseCommandText(slashed ? text : `/${text}`);
    const command = parsed && (slashed || router.knows(parsed.name)) ? parsed : { name: '', args: [], text: '' };
    const reply = await router.handle(command, caller);
    let shown: string;
    try {
      shown = render(reply);
    } catch (err) {
      if (options.logger) reportError(options.logger, err, { platform: 'shell', method: 'render' });
      shown = renderText[reply.language].unrenderable;
    }
    await write(`${shown.trimEnd()}\n\n`);
    return 'ok';
  }

  async function readLoop(lines: AsyncIterableIterator<string>, reader: Interface): Promise<void> {
    let reason = 'end of input';
    if (terminal) {
      await write('newsbot shell: type /help for the commands, /quit or Ctrl-D to leave.\n');
      reader.prompt();
    }
    for await (const line of lines) {
      if (stopRequested) break;
      if ((await answer(line)) === 'quit') {
        reason = 'quit';
        break;
      }
      if (stopRequested) break;
      if (terminal) reader.prompt();
    }
    reader.close();
    if (!stopRequested) options.onEnd?.(reason);
  }

  return {
    platform: 'shell',
    get finished() {
      return finished;
    },
    async start() {
      const reader = createInterface({
        input,
        ...(terminal ? { output, prompt: PROMPT, historySize: 200, removeHistoryDuplicates: true } : {}),
        terminal,
        crlfDelay: Infinity,
      });
      rl = reader;
      // Ctrl-C leaves, like Ctrl-D (readline swallows it in raw mode otherwise).
      reader.on('SIGINT', () => reader.close());
      // The iterator is taken at once so no line arriving before the loop runs is lost.
      const lines = reader[Symbol.asyncIterator]();
      finished = readLoop(lines, reader).catch((err: unknown) => {
        if (options.logger) reportError(options.logger, err, { platform: 'shell', method: 'read' });
        options.onEnd?.('read error');
      });
    },
    async stop() {
      stopRequested = true;
      rl?.close();
      await finished;
    },
  };
}

/** The shell chat on the given streams (process.stdin/stdout in `npm start`), as an app adapter. */
export function shellChatAdapter(io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; language?: Language | null }): AdapterFactory {
  return (core, app) =>
    createShellChat({
      input: io.input,
      output: io.output,
      router: core.router,
      logger: core.logger,
      language: io.language ?? null,
      onEnd: (reason) => app.requestStop(`shell: ${reason}`),
    });
}
