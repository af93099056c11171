/** `newsbot parse`: the Issue as text or JSON, and one-line errors for files that are not there. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { memoryIo, SAMPLE_ISSUES } from './memory-io.js';

const SEED = `${SAMPLE_ISSUES}/AI简报20210814.md`;

describe('newsbot parse', () => {
  it('GIVEN one file and --json THEN one Issue object with exactly the model field names', async () => {
    const io = memoryIo();
    expect(await runCli(['parse', SEED, '--json'], io)).toBe(0);
    const issue = JSON.parse(io.out());
    expect(Object.keys(issue).sort()).toEqual(['date', 'file', 'id', 'intro', 'problems', 'sections', 'title']);
    expect(Object.keys(issue.sections[0]).sort()).toEqual(['items', 'title']);
    expect(Object.keys(issue.sections[0].items[0]).sort()).toEqual(['image', 'links', 'source', 'summary', 'tags', 'title', 'url']);
    expect(issue).toMatchObject({ id: '20210814', date: '2021-08-14', file: SEED });
    expect(issue.sections.map((s: { title: string }) => s.title)).toEqual(['AI 前沿', '有趣的开源项目', '其他']);
    expect(io.err()).toBe('');
  });

  it('GIVEN several files and --json THEN an array in the order given', async () => {
    const io = memoryIo();
    expect(await runCli(['parse', `${SAMPLE_ISSUES}/AI简报20261120.md`, SEED, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out()).map((i: { id: string }) => i.id)).toEqual(['20261120', '20210814']);
  });

  it('GIVEN no --json THEN a readable listing of sections, items, links and problems', async () => {
    const io = memoryIo();
    expect(await runCli(['parse', SEED], io)).toBe(0);
    const text = io.out();
    expect(text).toContain('id 20210814  date 2021-08-14');
    expect(text).toContain('  有趣的开源项目 (4)');
    expect(text).toContain('    4. 比用Pytorch框架快200倍！0.76秒后，笔记本上的CNN就搞定了MNIST | 开源 — 量子位');
    expect(text).toContain('       GitHub: https://github.com/tuomaso/train_mnist_fast');
    expect(text).toContain('8 item(s) in 3 section(s); 0 problem(s)');
  });

  it('GIVEN a file with problems THEN they are listed with file and line', async () => {
    const io = memoryIo();
    expect(await runCli(['parse', 'test/fixtures/issues/traps/AI 简报20211201.md'], io)).toBe(0);
    expect(io.out()).toContain('! test/fixtures/issues/traps/AI 简报20211201.md:40: image "D:\\Project\\demo\\imgs\\demo.gif" is not a web address; ignored');
  });

  it('GIVEN a missing file THEN exit code 1 and a one-line error without a stack', async () => {
    const io = memoryIo();
    expect(await runCli(['parse', SEED, `${SAMPLE_ISSUES}/nope.md`], io)).toBe(1);
    expect(io.err()).toBe(`newsbot parse: file not found: ${SAMPLE_ISSUES}/nope.md\n`);
    expect(io.out()).toBe('');
  });

  it('GIVEN no file or an unknown option THEN exit code 1 and one line', async () => {
    const none = memoryIo();
    expect(await runCli(['parse'], none)).toBe(1);
    expect(none.err()).toBe('newsbot parse: no file given (usage: newsbot parse <file>... [--json])\n');
    const bad = memoryIo();
    expect(await runCli(['parse', '--yaml', SEED], bad)).toBe(1);
    expect(bad.err().trim().split('\n')).toHaveLength(1);
  });
});
