/**
 * Front matter and bad files (test/fixtures/issues/bad): YAML fields override what is inferred,
 * JavaScript front matter is refused without running, and broken, binary, oversized or
 * non-UTF-8 files give a problem with path and reason instead of a crash.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIssue, parseIssueFile } from '../../src/issue/parse.js';
import { MAX_ISSUE_BYTES } from '../../src/issue/decode.js';

const bad = resolve(import.meta.dirname, '../fixtures/issues/bad');
const fromFixture = (name: string) => parseIssue(readFileSync(join(bad, name)), `bad/${name}`);

describe('YAML front matter', () => {
  it('GIVEN id, title, date, summary and tags THEN they override what the file would give', () => {
    const md = '---\nid: "20201009"\ntitle: 特辑\ndate: 2020-10-10\nsummary: 本期摘要。\ntags: [端侧, 开源]\n---\n\n> 导读：被覆盖的导读\n\n# AI\n\n## 1. [A](https://a.example/a)\n';
    const issue = parseIssue(md, 'AI简报20990101.md');
    expect([issue.id, issue.date, issue.title, issue.intro, issue.tags]).toEqual(['20201009', '2020-10-10', '特辑', '本期摘要。', ['端侧', '开源']]);
    // The file name's date disagrees with the front matter's: the front matter wins, and the operator is told.
    expect(issue.problems.map((p) => p.message)).toEqual(['date 2099-01-01 in the file name disagrees with 2020-10-10 in the front matter; using 2020-10-10']);
  });

  it('GIVEN front matter THEN problem lines count from the top of the file', () => {
    const issue = parseIssue('---\ntitle: x\n---\n# AI\n\n## 1. [A](<>)\n', 'AI简报20200301.md');
    expect(issue.problems).toEqual([{ file: 'AI简报20200301.md', line: 6, message: 'link of "A" has no web address ("")' }]);
  });

  it('GIVEN an id that is not a date THEN it is ignored with a problem and the file name gives the id', () => {
    const issue = parseIssue('---\nid: latest\n---\n# 1. [A](https://a.example/a)\n', 'AI简报20200302.md');
    expect(issue.id).toBe('20200302');
    expect(issue.problems[0]?.message).toBe('front matter id "latest" is neither a date (YYYYMMDD) nor an issue number; ignored');
  });

  it('GIVEN a leading "---" line with no closing one THEN it is a thematic break, not front matter', () => {
    const issue = parseIssue('---\n\n# 1. [A](https://a.example/a)\n', 'AI简报20200303.md');
    expect(issue.sections[0]?.items[0]?.title).toBe('A');
  });

  it('GIVEN broken YAML THEN a problem names the file and line, and the body still parses', () => {
    const issue = fromFixture('AI简报20200101.md');
    expect(issue.problems).toHaveLength(1);
    // js-yaml notices the unclosed "[" on the next line.
    expect(issue.problems[0]).toMatchObject({ file: 'bad/AI简报20200101.md', line: 4 });
    expect(issue.problems[0]?.message).toMatch(/^broken front matter: .+; ignored$/);
    expect(issue.sections[0]?.items[0]?.title).toBe('Body still parses after broken YAML');
    expect(issue.sections[0]?.items[0]?.summary).toBe('The front matter above is not valid YAML.');
  });

  it('GIVEN front matter that is a list THEN it is ignored with a problem', () => {
    const issue = fromFixture('AI简报20200106.md');
    expect(issue.problems).toEqual([{ file: 'bad/AI简报20200106.md', line: 1, message: 'front matter is not a YAML mapping; ignored' }]);
    expect(issue.sections).toHaveLength(1);
  });
});

describe('JavaScript front matter (gray-matter would eval it by default)', () => {
  it.each(['AI简报20200102.md', 'AI简报20200103.md'])('GIVEN %s (---js / ---javascript) THEN it is refused and never runs', (name) => {
    const marker = globalThis as { __newsbotFrontMatterRan?: string };
    delete marker.__newsbotFrontMatterRan;
    // Twice: gray-matter caches by input when called without options; the second call must refuse too.
    for (let i = 0; i < 2; i++) {
      const issue = fromFixture(name);
      expect(issue.problems).toEqual([{ file: `bad/${name}`, line: 1, message: 'JavaScript front matter refused (not evaluated); use YAML' }]);
      expect(issue.title).toBe(name.replace('.md', ''));
      expect(issue.sections[0]?.items).toHaveLength(1);
    }
    expect(marker.__newsbotFrontMatterRan).toBeUndefined();
  });

  it('GIVEN "---JS" in capitals THEN it is refused as well', () => {
    const marker = globalThis as { __newsbotFrontMatterRan?: string };
    delete marker.__newsbotFrontMatterRan;
    const issue = parseIssue('---JS\n{ a: (globalThis.__newsbotFrontMatterRan = "JS") }\n---\n# 1. [A](https://a.example/a)\n', 'AI简报20200304.md');
    expect(issue.problems[0]?.message).toBe('JavaScript front matter refused (not evaluated); use YAML');
    expect(marker.__newsbotFrontMatterRan).toBeUndefined();
  });
});

describe('files that are not Markdown text', () => {
  it('GIVEN a binary file THEN no sections and one problem with the reason', () => {
    const issue = fromFixture('AI简报20200104.md');
    expect(issue).toMatchObject({ id: '20200104', sections: [], problems: [{ file: 'bad/AI简报20200104.md', message: 'binary file (contains NUL bytes)' }] });
  });

  it('GIVEN invalid UTF-8 THEN no sections and a problem naming the first bad byte', () => {
    const issue = fromFixture('AI简报20200105.md');
    const offset = readFileSync(join(bad, 'AI简报20200105.md')).indexOf(0xe9);
    expect(issue.sections).toEqual([]);
    expect(issue.problems).toEqual([{ file: 'bad/AI简报20200105.md', message: `invalid UTF-8 at byte ${offset}` }]);
  });

  describe('a file over the size limit (written at test time)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbot-big-'));
    const path = join(dir, 'AI简报20200107.md');
    writeFileSync(path, `# AI\n\n## 1. [Big](https://a.example/b)\n\n${'很长的正文。'.repeat(Math.ceil(MAX_ISSUE_BYTES / 18) + 10)}\n`);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('GIVEN its path THEN parseIssueFile refuses it without reading it, naming size and limit', async () => {
      const issue = await parseIssueFile(path, dir);
      expect(issue.sections).toEqual([]);
      expect(issue.problems[0]?.message).toBe(`file too large (${statSync(path).size} bytes; the limit is ${MAX_ISSUE_BYTES}, ISSUE_MAX_BYTES)`);
    });

    it('GIVEN its bytes THEN parseIssue refuses them too', () => {
      expect(parseIssue(readFileSync(path), 'AI简报20200107.md').problems[0]?.message).toMatch(/^file too large/);
    });
  });

  it('GIVEN a string with a BOM THEN the BOM is dropped', () => {
    expect(parseIssue('\uFEFF# 1. [A](https://a.example/a)\n', 'AI简报20200308.md').sections[0]?.items[0]?.title).toBe('A');
  });
});
