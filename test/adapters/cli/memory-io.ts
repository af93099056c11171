/** An in-memory `CliIo` for driving `runCli` in-process: what the command printed is read back as text. */
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../adapters/cli/io.js';

const repo = resolve(import.meta.dirname, '../../..');

/** CliIo over memory streams, run from the repository root unless `cwd` says otherwise. */
export function memoryIo(env: NodeJS.ProcessEnv = {}, cwd = repo): CliIo & { out: () => string; err: () => string } {
  const collect = () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    return { stream, text: () => chunks.join('') };
  };
  const out = collect();
  const err = collect();
  return { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env, cwd, out: out.text, err: err.text };
}
