/** `newsbot list [--dir D] [--json]`: every issue in the issues folder. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { itemsOf, type Problem } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library/library.js';
import { loadAppConfig } from '../env.js';
import { println, type CliCommand } from './io.js';

/** One row of `newsbot list --json`. */
interface IssueListing {
  id: string;
  /** The issue number, or null for an issue known by its date only. */
  number: number | null;
  date: string;
  title: string;
  file: string;
  items: number;
  problems: Problem[];
}

export const command: CliCommand = {
  summary: 'List the issues in the issues folder: id, number, date, title, item count, problems',
  usage:
    'newsbot list [--dir D] [--json]\n\n' +
    'D defaults to ISSUES_DIR (from the environment, then .env), else ./issues. Issues are listed\n' +
    'oldest first. With --json, prints an array of {id, number, date, title, file, items, problems}; problems\n' +
    'of files that serve no issue (unreadable, no id, no items) go to stderr.',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { dir: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const config = loadAppConfig(io);
    const dir = values.dir === undefined ? config.ISSUES_DIR : resolve(io.cwd, values.dir);
    const library = await IssueLibrary.open(dir, { watch: false });
    const problems = library.problems();
    const issues = library.list();
    const served = new Set(issues.map((i) => i.file));
    const rows: IssueListing[] = issues.map((issue) => ({
      id: issue.id,
      number: issue.number ?? null,
      date: issue.date,
      title: issue.title,
      file: issue.file,
      items: itemsOf(issue).length,
      problems: problems.filter((p) => p.file === issue.file),
    }));
    const orphans = problems.filter((p) => !served.has(p.file));
    if (values.json) {
      println(io.stdout, JSON.stringify(rows, null, 2));
      for (const p of orphans) println(io.stderr, `newsbot list: ${describe(p)}`);
      return 0;
    }
    const table = [['ID', 'NUMBER', 'DATE', 'ITEMS', 'PROBLEMS', 'TITLE', 'FILE'], ...rows.map((r) => [r.id, r.number === null ? '-' : String(r.number), r.date || '-', String(r.items), String(r.problems.length), r.title, r.file])];
    for (const line of columns(table)) println(io.stdout, line);
    println(io.stdout, `\n${rows.length} issue(s) in ${dir}; ${problems.length} problem(s).`);
    for (const p of problems) println(io.stdout, `  ! ${describe(p)}`);
    return 0;
  },
};

function describe(p: Problem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

/** Left-aligned columns; width counts CJK characters as two so titles line up in a terminal. */
function columns(rows: string[][]): string[] {
  const width = (s: string) => Array.from(s).reduce((w, ch) => w + (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1), 0);
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell) + 2))).join('').trimEnd());
}
