/** `newsbot parse <file>... [--json]`: what newsbot reads from issue files. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IssueFileError, UsageError } from '../../src/errors.js';
import type { Issue } from '../../src/issue/model.js';
import { parseIssueFile } from '../../src/issue/parse.js';
import { println, type CliCommand, type CliIo } from './io.js';

export const command: CliCommand = {
  summary: 'Parse issue files and show their sections, items, links and problems',
  usage:
    'newsbot parse <file>... [--json]\n\n' +
    'With --json, one file prints one Issue object and several files print an array.\n' +
    'Problems are listed but do not change the exit code; a missing file exits with 1.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (positionals.length === 0) throw new UsageError('no file given (usage: newsbot parse <file>... [--json])');
    for (const file of positionals) await mustBeFile(resolve(io.cwd, file), file);
    const issues = await Promise.all(positionals.map((file) => parseIssueFile(resolve(io.cwd, file), io.cwd)));
    if (values.json) {
      println(io.stdout, JSON.stringify(issues.length === 1 ? issues[0] : issues, null, 2));
    } else {
      issues.forEach((issue, i) => {
        if (i > 0) println(io.stdout);
        printIssue(issue, io);
      });
    }
    return 0;
  },
};

async function mustBeFile(path: string, given: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new IssueFileError(`file not found: ${given}`, { file: given });
  if (!info.isFile()) throw new IssueFileError(`not a file: ${given}`, { file: given });
}

function printIssue(issue: Issue, io: CliIo): void {
  const out = (text = '') => println(io.stdout, text);
  out(`${issue.file}`);
  out(`  id ${issue.id || '(none)'}  date ${issue.date || '(none)'}  title ${issue.title}${issue.tags ? `  tags ${issue.tags.join(', ')}` : ''}`);
  if (issue.intro) for (const line of issue.intro.split('\n')) out(`  > ${line}`);
  let n = 0;
  for (const section of issue.sections) {
    out();
    out(`  ${section.title || '(no section)'} (${section.items.length})`);
    for (const item of section.items) {
      n++;
      const extra = [item.source, item.tags.length > 0 ? `[${item.tags.join('|')}]` : null].filter(Boolean).join(' ');
      out(`    ${n}. ${item.title}${extra ? ` — ${extra}` : ''}`);
      if (item.url) out(`       ${item.url}`);
      for (const link of item.links) out(`       ${link.label}: ${link.url}`);
      if (item.image) out(`       image: ${item.image}`);
      if (item.summary) out(`       ${item.summary}`);
    }
  }
  out();
  out(`  ${n} item(s) in ${issue.sections.length} section(s); ${issue.problems.length} problem(s)`);
  for (const p of issue.problems) out(`  ! ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
}
