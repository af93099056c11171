/**
 * A parse worker: reads and parses the files the pool sends, one at a time, and answers each with
 * the `LoadedIssueFile`. The pool owns time and memory budgets; this side only parses.
 */
import { parentPort } from 'node:worker_threads';
import type { IssueLimits } from './limits.js';
import { loadIssueFile, parseIssue } from './parse.js';

/** A file to parse. */
export interface ParseTask {
  id: number;
  path: string;
  root: string | undefined;
  limits: IssueLimits;
}

const port = parentPort;
if (port) {
  port.on('message', (task: ParseTask) => {
    void loadIssueFile(task.path, task.root, task.limits).then((loaded) => port.postMessage({ id: task.id, loaded }));
  });
  // One small parse before taking work, so a file's budget is not spent compiling the parser.
  parseIssue('# 2021-01-01\n\n## [Warm up](https://example.org/a) | Source\n\n- [b](https://example.org/b)：text\n', 'AI简报20210101.md');
  port.postMessage({ ready: true });
}
