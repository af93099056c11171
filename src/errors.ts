/**
 * One error type per failure family, each carrying the context needed to act on it.
 * They are logged in one place: `reportError` in `log.ts`.
 */
import type { PlatformName } from './platform.js';

/** What was going on when something failed. Never holds secrets. */
export interface ErrorContext {
  platform?: PlatformName;
  method?: string;
  chatId?: string;
  issueId?: string;
  file?: string;
  [key: string]: unknown;
}

/** Base of every error newsbot raises on purpose. */
export abstract class NewsbotError extends Error {
  abstract readonly family: 'config' | 'issue' | 'platform' | 'store' | 'delivery' | 'usage';
  readonly context: ErrorContext;

  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A setting is missing or malformed; the message names the variable and the accepted form. */
export class ConfigError extends NewsbotError {
  readonly family = 'config';
}

/** An issue file or folder cannot be read at all (parse findings are `Problem`s, not errors). */
export class IssueFileError extends NewsbotError {
  readonly family = 'issue';
}

/** A platform API call failed; `context` names the platform, the method and the chat. */
export class PlatformError extends NewsbotError {
  readonly family = 'platform';
  constructor(
    message: string,
    context: ErrorContext & { platform: PlatformName; method: string },
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, context, options);
  }
}

/** The SQLite store failed (open, migrate, write). */
export class StoreError extends NewsbotError {
  readonly family = 'store';
}

/** The outbox could not deliver or record a delivery. */
export class DeliveryError extends NewsbotError {
  readonly family = 'delivery';
}

/** A command-line invocation is wrong (unknown command, missing file); printed as one line. */
export class UsageError extends NewsbotError {
  readonly family = 'usage';
}
