/** `newsbot list`: every issue of a folder, as a table or JSON, and a one-line error for a missing folder. */
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { folderWithDotEnv, memoryIo, SAMPLE_ISSUES } from './memory-io.js';

const repo = resolve(import.meta.dirname, '../../..');

describe('newsbot list', () => {
  it('GIVEN no --dir and no ISSUES_DIR THEN ./issues is listed oldest first with item and problem counts', async () => {
    // A working folder of its own whose ./issues holds the sample issues (not the operator's issues/).
    const cwd = folderWithDotEnv([]);
    cpSync(resolve(repo, SAMPLE_ISSUES), join(cwd, 'issues'), { recursive: true });
    const io = memoryIo({}, cwd);
    expect(await runCli(['list'], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NUMBER\s+DATE\s+ITEMS\s+PROBLEMS\s+TITLE\s+FILE$/);
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['20201009', '-', '2020-10-09', '5', '0'],
      ['20210814', '-', '2021-08-14', '8', '0'],
      ['20260901', '-', '2026-09-01', '8', '0'],
      ['20261120', '-', '2026-11-20', '5', '0'],
    ]);
    expect(io.out()).toContain(`4 issue(s) in ${join(cwd, 'issues')}; 0 problem(s).`);
  });

  it('GIVEN ISSUES_DIR and --json THEN an array of {id, date, title, file, items, problems}', async () => {
    const io = memoryIo({ ISSUES_DIR: 'test/fixtures/issues/duplicates' });
    expect(await runCli(['list', '--json'], io)).toBe(0);
    const rows = JSON.parse(io.out());
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['date', 'file', 'id', 'items', 'number', 'problems', 'title']);
    expect(rows[0]).toMatchObject({ id: '20200201', date: '2020-02-01', items: 1 });
    // The duplicate-id problem names the file that is not served: it goes to stderr.
    expect(io.err()).toMatch(/^newsbot list: AI简报20200201(-copy)?\.md: duplicate issue id 20200201: /);
  });

  it('GIVEN --dir with bad files THEN their problems are listed and the good issues still are', async () => {
    const io = memoryIo();
    expect(await runCli(['list', '--dir', 'test/fixtures/issues/bad'], io)).toBe(0);
    expect(io.out()).toContain('! AI简报20200104.md: binary file (contains NUL bytes)');
    expect(io.out()).toContain('! AI简报20200102.md:1: JavaScript front matter refused (not evaluated); use YAML');
    expect(io.out()).toMatch(/^20200106\s+-\s+2020-01-06\s+1\s+1\s+/m);
  });

  it('GIVEN a folder that does not exist THEN exit code 1 and one line', async () => {
    const io = memoryIo();
    expect(await runCli(['list', '--dir', 'no/such/folder'], io)).toBe(1);
    expect(io.err()).toBe(`newsbot list: issues folder not found: ${resolve(repo, 'no/such/folder')}\n`);
    expect(io.out()).toBe('');
  });

  it('GIVEN ISSUES_DIR in the .env of the working folder THEN that folder is listed, and --dir wins over it', async () => {
    const cwd = folderWithDotEnv([`ISSUES_DIR=${resolve(repo, 'test/fixtures/issues/duplicates')}`]);
    const fromDotEnv = memoryIo({}, cwd);
    expect(await runCli(['list', '--json'], fromDotEnv)).toBe(0);
    expect(JSON.parse(fromDotEnv.out()).map((r: { id: string }) => r.id)).toEqual(['20200201']);
    const flag = memoryIo({}, cwd);
    expect(await runCli(['list', '--json', '--dir', resolve(repo, SAMPLE_ISSUES)], flag)).toBe(0);
    expect(JSON.parse(flag.out())).toHaveLength(4);
  });

  it('GIVEN a bad value in .env THEN exit 1 with one line naming the variable, as npm start does', async () => {
    const io = memoryIo({}, folderWithDotEnv(['DEFAULT_LANGUAGE=fr']));
    expect(await runCli(['list', '--dir', resolve(repo, SAMPLE_ISSUES)], io)).toBe(1);
    expect(io.err()).toBe('newsbot list: DEFAULT_LANGUAGE=fr is not valid: expected zh or en\n');
    expect(io.out()).toBe('');
  });
});
