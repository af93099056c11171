/** `newsbot shell`: the local terminal chat, even when platform tokens are set. */
import { runMain } from '../main.js';
import type { CliCommand } from './io.js';

export const command: CliCommand = {
  summary: 'Chat with the bot in this terminal (/latest, /search nerf…); reads commands from stdin when piped',
  usage: 'newsbot shell\n\nType /help for the commands; /quit or Ctrl-D leaves. Configuration comes from the environment and .env.',
  run: (argv, io) => {
    if (argv.length > 0) {
      io.stderr.write(`newsbot shell: unexpected argument "${argv[0]}" (try: newsbot shell --help)\n`);
      return Promise.resolve(1);
    }
    return runMain(io, { shellOnly: true, handleSignals: true });
  },
};
