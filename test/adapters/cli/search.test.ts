/** `newsbot search`: text and JSON results over ./issues, paging, and one-line errors. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/index.js';
import { folderWithDotEnv, memoryIo, SAMPLE_ISSUES } from './memory-io.js';

const repo = resolve(import.meta.dirname, '../../..');

describe('newsbot search', () => {
  it('GIVEN nerf THEN the DONERF item of the seed issue, with where it is and the match marked', async () => {
    const io = memoryIo();
    expect(await runCli(['search', 'nerf'], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^\d+ hit\(s\) for "nerf", page 1 of \d+\.$/);
    expect(lines[2]).toBe('1. 推理成本降低48倍！1张GPU就能让静态图像动起来');
    expect(lines[3]).toBe('   2021-08-14 · 20210814 #5 · 有趣的开源项目 · 量子位');
    expect(lines[4]).toBe('   https://mp.weixin.qq.com/s/S0CgyNLo4Lvej9CKTj1b_g');
    expect(lines[5]).toContain('**NeRF**');
  });

  it('GIVEN --json THEN {query, total, page, pageCount, hits, suggestions} with spans and scores', async () => {
    const io = memoryIo();
    expect(await runCli(['search', '--json', 'Mobile-Former'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(Object.keys(result).sort()).toEqual(['hits', 'page', 'pageCount', 'query', 'suggestions', 'total']);
    expect(result).toMatchObject({ query: 'Mobile-Former', total: 1, page: 1, pageCount: 1, suggestions: [] });
    expect(result.hits[0]).toMatchObject({ issueId: '20210814', itemIndex: 0, sectionTitle: 'AI 前沿', source: '集智书童' });
    expect(result.hits[0].score).toBeGreaterThan(0);
    expect(Array.isArray(result.hits[0].snippet)).toBe(true);
  });

  it('GIVEN several words and --page THEN they make one query and the page is honoured', async () => {
    const first = memoryIo();
    expect(await runCli(['search', '--json', '开源'], first)).toBe(0);
    const { total, pageCount } = JSON.parse(first.out());
    expect(pageCount).toBe(Math.ceil(total / 5));
    const second = memoryIo();
    expect(await runCli(['search', '--json', '--page', String(pageCount), '开源'], second)).toBe(0);
    expect(JSON.parse(second.out())).toMatchObject({ page: pageCount });
    expect(JSON.parse(second.out()).hits).toHaveLength(total - (pageCount - 1) * 5);
    const both = memoryIo();
    expect(await runCli(['search', '--json', 'DONERF', '量子位'], both)).toBe(0);
    expect(JSON.parse(both.out())).toMatchObject({ query: 'DONERF 量子位', total: 1 });
  });

  it('GIVEN no hits THEN suggestions and the latest issue, exit 0', async () => {
    const io = memoryIo();
    expect(await runCli(['search', 'nerff'], io)).toBe(0);
    expect(io.out()).toContain('No hits for "nerff".');
    expect(io.out()).toContain('Try: nerf');
    expect(io.out()).toMatch(/^Latest issue: 20261120 \(2026-11-20\) /m);
  });

  it('GIVEN an empty or too long query THEN exit 1 with one line on stderr', async () => {
    const empty = memoryIo();
    expect(await runCli(['search'], empty)).toBe(1);
    expect(empty.err()).toBe('newsbot search: nothing to search for (usage: newsbot search <query> [--dir D] [--page N] [--json])\n');
    const long = memoryIo();
    expect(await runCli(['search', 'x'.repeat(201)], long)).toBe(1);
    expect(long.err()).toBe('newsbot search: query too long (at most 200 characters)\n');
    expect(long.out()).toBe('');
  });

  it('GIVEN a bad --page or a missing folder THEN exit 1 with one line', async () => {
    const page = memoryIo();
    expect(await runCli(['search', '--page', 'two', 'nerf'], page)).toBe(1);
    expect(page.err()).toBe('newsbot search: --page must be a whole number from 1 (got "two")\n');
    const dir = memoryIo();
    expect(await runCli(['search', '--dir', 'no/such/folder', 'nerf'], dir)).toBe(1);
    expect(dir.err()).toBe(`newsbot search: issues folder not found: ${resolve(repo, 'no/such/folder')}\n`);
  });

  it('GIVEN ISSUES_DIR THEN that folder is searched', async () => {
    const io = memoryIo({ ISSUES_DIR: 'test/fixtures/issues/duplicates' });
    expect(await runCli(['search', '--json', 'file of'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ total: 1, hits: [{ issueId: '20200201' }] });
    const seed = memoryIo({ ISSUES_DIR: 'test/fixtures/issues/duplicates' });
    expect(await runCli(['search', '--json', 'nerf'], seed)).toBe(0);
    expect(JSON.parse(seed.out()).total).toBe(0);
  });

  it('GIVEN ISSUES_DIR in .env and in the environment THEN the environment wins, and --dir over both', async () => {
    const cwd = folderWithDotEnv(['ISSUES_DIR=no/such/folder']);
    const env = memoryIo({ ISSUES_DIR: resolve(repo, 'test/fixtures/issues/duplicates') }, cwd);
    expect(await runCli(['search', '--json', 'file of'], env)).toBe(0);
    expect(JSON.parse(env.out())).toMatchObject({ total: 1, hits: [{ issueId: '20200201' }] });
    const flag = memoryIo({}, cwd);
    expect(await runCli(['search', '--json', '--dir', resolve(repo, SAMPLE_ISSUES), 'nerf'], flag)).toBe(0);
    expect(JSON.parse(flag.out()).total).toBeGreaterThan(0);
    const dotEnv = memoryIo({}, cwd);
    expect(await runCli(['search', 'nerf'], dotEnv)).toBe(1);
    expect(dotEnv.err()).toBe(`newsbot search: issues folder not found: ${resolve(cwd, 'no/such/folder')}\n`);
  });
});
