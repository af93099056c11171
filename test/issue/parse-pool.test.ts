/**
 * The parse pool: files parse in worker threads exactly as in-thread; a file over its time budget
 * or heap cap becomes a problem naming the file and the limit, its worker is replaced, and the
 * files after it still parse.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIssue } from '../../src/issue/parse.js';
import { ParsePool } from '../../src/issue/parse-pool.js';

const seedPath = resolve(import.meta.dirname, '../../issues/AI简报20210814.md');
const dir = mkdtempSync(join(tmpdir(), 'newsbot-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('ParsePool', () => {
  it('GIVEN a good file THEN the worker gives the same Issue as an in-thread parse', async () => {
    const pool = new ParsePool({ workers: 1 });
    try {
      const path = file('AI简报20210814.md', readFileSync(seedPath, 'utf8'));
      const loaded = await pool.load(path, dir);
      expect(loaded.issue).toEqual(parseIssue(readFileSync(path), 'AI简报20210814.md'));
      expect(loaded.hash).toBeTypeOf('string');
    } finally {
      await pool.close();
    }
  });

  it('GIVEN 40,000 "*a" (many seconds for remark) and a 1 s budget THEN the file is a problem naming the limit, its worker is replaced, and the next file parses', async () => {
    const pool = new ParsePool({ workers: 1, timeoutMs: 1_000 });
    try {
      const hostile = file('hostile-emphasis.md', `${'*a'.repeat(40_000)}\n`);
      const good = file('AI简报20210814.md', readFileSync(seedPath, 'utf8'));
      const [bad, fine] = await Promise.all([pool.load(hostile, dir), pool.load(good, dir)]);
      expect(bad.issue.file).toBe('hostile-emphasis.md');
      expect(bad.issue.sections).toEqual([]);
      expect(bad.issue.problems.map((p) => p.message)).toEqual([expect.stringContaining('longer than 1000 ms (PARSE_TIMEOUT)')]);
      expect(bad.size).toBeGreaterThan(80_000);
      expect(fine.issue.sections.length).toBeGreaterThan(0);
      expect(pool.stats).toMatchObject({ timedOut: 1, parsed: 1, workersStarted: 2 });
    } finally {
      await pool.close();
    }
  });

  it('GIVEN a file whose parse needs more heap than the cap THEN it is a problem naming the memory limit and the pool goes on', async () => {
    // Deeply nested lists: remark's tree for 1.3 MB of them needs far more than 32 MB.
    const pool = new ParsePool({ workers: 1, timeoutMs: 60_000, maxHeapMb: 32, limits: { maxBytes: 4 << 20, maxItems: 300, maxTitle: 500, maxHeader: 4000 } });
    try {
      const lines: string[] = [];
      for (let i = 0; i < 15_000; i++) lines.push(`${'  '.repeat(i % 40)}- [x${i}](https://a.example/${i}) **b** _c_ \`d\``);
      const hog = file('hostile-lists.md', lines.join('\n'));
      const good = file('AI简报20210814.md', readFileSync(seedPath, 'utf8'));
      const bad = await pool.load(hog, dir);
      expect(bad.issue.problems.map((p) => p.message)).toEqual([expect.stringContaining('more than 32 MB (PARSE_MAX_HEAP_MB)')]);
      expect(pool.stats.outOfMemory).toBe(1);
      expect((await pool.load(good, dir)).issue.sections.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('GIVEN a closed pool THEN a load resolves with a problem instead of hanging', async () => {
    const pool = new ParsePool({ workers: 1 });
    await pool.close();
    const loaded = await pool.load(join(dir, 'AI简报20210814.md'), dir);
    expect(loaded.issue.problems[0]?.message).toContain('shutting down');
  });
});
