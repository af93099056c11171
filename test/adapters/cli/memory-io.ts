/** An in-memory `CliIo` for driving `runCli` in-process: what the command printed is read back as text. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../adapters/cli/io.js';

const repo = resolve(import.meta.dirname, '../../..');

/** The issues the CLI tests read, relative to the repository root. */
export const SAMPLE_ISSUES = 'test/fixtures/issues/sample';

/**
 * CliIo over memory streams, run from the repository root unless `cwd` says otherwise. From the
 * repository root the developer's own `.env` is never read (NEWSBOT_ENV_FILE=off) and ISSUES_DIR
 * is the sample fixtures (test/fixtures/issues/sample), not the operator's `issues/`; from another
 * `cwd`, that folder's `.env` is, as it would be for a user.
 */
export function memoryIo(env: NodeJS.ProcessEnv = {}, cwd = repo): CliIo & { out: () => string; err: () => string } {
  const collect = () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    return { stream, text: () => chunks.join('') };
  };
  const out = collect();
  const err = collect();
  const fullEnv = cwd === repo ? { NEWSBOT_ENV_FILE: 'off', ISSUES_DIR: SAMPLE_ISSUES, ...env } : env;
  return { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env: fullEnv, cwd, out: out.text, err: err.text };
}

/** A fresh folder holding a `.env` with `lines`, to run a command from. */
export function folderWithDotEnv(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-cli-env-'));
  writeFileSync(join(dir, '.env'), `${lines.join('\n')}\n`);
  return dir;
}
