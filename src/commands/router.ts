/**
 * Dispatches parsed commands to a table of `CommandModule`s and never throws: a failing handler
 * becomes an apology reply, and the error is logged once through `reportError`.
 */
import { InFlight } from '../in-flight.js';
import { reportError } from '../log.js';
import { helpCommand, startCommand } from './help.js';
import { issueCommand } from './issue.js';
import { issuesCommand } from './issues.js';
import { latestCommand } from './latest.js';
import type { CommandDeps, CommandInfo, CommandModule } from './module.js';
import { commandForPage } from './pager.js';
import { echo, errorReply, textReply, message } from './reply.js';
import { searchCommand } from './search.js';
import type { Caller, ParsedCommand, Reply } from './types.js';
import { unknownCommandReply } from './unknown.js';

/** The readers' commands, in the order they are listed. */
export const BUILTIN_COMMANDS: readonly CommandModule[] = [
  startCommand,
  helpCommand,
  latestCommand,
  issueCommand,
  issuesCommand,
  searchCommand,
];

/** Longer arguments are refused before any handler sees them. */
export const MAX_COMMAND_TEXT = 1000;

export interface CommandRouter {
  /** Runs a command for a caller. Never rejects. */
  handle(command: ParsedCommand, caller: Caller): Promise<Reply>;
  /** Runs what a page button stands for; null when its data is stale, forged or not a page reference. */
  openPage(data: string, caller: Caller): Promise<Reply | null>;
  /** The listed commands with zh/en descriptions (for setMyCommands and slash registration). */
  commands(): CommandInfo[];
  /** True when `name` (lower-case, without the slash) runs a command here, aliases included. */
  knows(name: string): boolean;
  /** Resolves once every command already started has replied. */
  drain(): Promise<void>;
}

/**
 * Builds the router. `modules` defaults to the readers' commands; other areas append theirs:
 * `createCommandRouter(deps, [...BUILTIN_COMMANDS, ...deliveryCommands(service)])`.
 */
export function createCommandRouter(deps: CommandDeps, modules: readonly CommandModule[] = BUILTIN_COMMANDS): CommandRouter {
  const table = new Map<string, CommandModule>();
  for (const module of modules) {
    for (const name of [module.info.name, ...(module.aliases ?? [])]) {
      if (table.has(name)) throw new Error(`command /${name} is registered twice`);
      table.set(name, module);
    }
  }
  const infos = modules.map((m) => m.info);
  const inFlight = new InFlight();

  async function dispatch(command: ParsedCommand, caller: Caller): Promise<Reply> {
    const language = caller.language ?? deps.defaults.language;
    try {
      const module = table.get(command.name);
      if (!module) return unknownCommandReply(command.name, language);
      if (command.text.length > MAX_COMMAND_TEXT) return errorReply(language, 'tooLong', { limit: MAX_COMMAND_TEXT });
      if (module.info.adminOnly && !(await caller.isChatAdmin())) {
        return errorReply(language, 'adminOnly', { command: echo(`/${module.info.name}`) });
      }
      deps.logger.debug({ platform: caller.platform, chatId: caller.chatId, command: module.info.name }, 'command');
      return await module.run({ command, caller, language, deps, commands: () => [...infos] });
    } catch (err) {
      reportError(deps.logger, err, { platform: caller.platform, chatId: caller.chatId, command: command.name });
      return textReply(language, 'error', [[{ text: message(language, 'apology') }]]);
    }
  }

  const router: CommandRouter = {
    handle(command, caller) {
      return inFlight.track(dispatch(command, caller));
    },
    async openPage(data, caller) {
      const ref = deps.pages.decode(data);
      return ref ? router.handle(commandForPage(ref), caller) : null;
    },
    commands: () => [...infos],
    knows: (name) => table.has(name),
    drain: () => inFlight.drain(),
  };
  return router;
}
