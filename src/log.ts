/**
 * Structured logging (pino) and the one place errors are logged. Every line passes a scrubber
 * that replaces secret values (tokens) wherever they appear, including inside error messages
 * and URLs that libraries put in them.
 */
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';
import { NewsbotError, type ErrorContext } from './errors.js';

export type { Logger } from 'pino';

const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret (of 6+ characters) in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out;
}

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Values that must never be written: platform tokens, webhook secrets. */
  secrets: readonly string[];
  /** Where lines go; defaults to stderr so stdout stays clean for the shell chat and the CLI. */
  destination?: DestinationStream;
}

/** Creates the process logger. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets.filter((s) => s.length >= 6);
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: REDACTED },
      hooks: { streamWrite: (line: string) => redactSecrets(line, secrets) },
    },
    // Synchronous: a bot logs little, and a line written before a crash or a one-line failure
    // message must not be lost or reordered behind it.
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/**
 * Logs an error once, with its context. Known errors log at `warn` with their family;
 * anything else is a bug and logs at `error` with its stack. Without a logger (a library used
 * on its own, in a tool or a test) nothing is logged.
 */
export function reportError(logger: Logger | undefined, err: unknown, context: ErrorContext = {}): void {
  if (!logger) return;
  if (err instanceof NewsbotError) {
    logger.warn({ family: err.family, ...err.context, ...context, err }, err.message);
  } else {
    logger.error({ ...context, err }, err instanceof Error ? err.message : String(err));
  }
}
