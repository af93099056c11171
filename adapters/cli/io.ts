/** What a CLI subcommand may touch, passed in so tests can drive it without a child process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `newsbot <name>` subcommand. Returns the process exit code. */
export interface CliCommand {
  /** One line for `newsbot help`. */
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Writes one line. */
export function println(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}
