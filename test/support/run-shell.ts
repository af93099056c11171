/** Runs `command` under `sh -c` and collects its exit code and output (for npm start end-to-end tests). */
import { spawn } from 'node:child_process';

export interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runShell(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<ShellRun> {
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
