/**
 * Property tests: a random issue written with each id convention and each item style parses back
 * to the same id, number, date, title and item urls. Every generated link is on a reserved domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';

const pad = (n: number) => String(n).padStart(2, '0');
const day = fc.record({ y: fc.integer({ min: 1990, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
const number = fc.integer({ min: 1, max: 99_999 });
const word = fc.stringMatching(/^[A-Za-z][a-z]{2,9}$/);
const cjk = fc.constantFrom('模型', '框架', '开源', '发布', '性能', '编译器', '周报', '工具');
/** A title with no Markdown, digits or separators in it: what comes back must be exactly this. */
const title = fc.array(fc.oneof(word, cjk), { minLength: 2, maxLength: 6 }).map((w) => w.join(' '));
const slug = fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/);
const url = slug.map((s) => `https://example.org/${s}`);
const entries = fc.uniqueArray(fc.record({ title, url }), { minLength: 1, maxLength: 6, selector: (e) => e.url });

type Day = { y: number; m: number; d: number };
const iso = ({ y, m, d }: Day) => `${y}-${pad(m)}-${pad(d)}`;
const compact = ({ y, m, d }: Day) => `${y}${pad(m)}${pad(d)}`;

/** Items invented for tests, in the simplest style: a heading link each. */
const body = (items: Array<{ title: string; url: string }>) => items.map((e) => `## [${e.title}](${e.url})\n\n概要 invented for tests。\n`).join('\n');

describe('id conventions parse back', () => {
  const NAMED_BY_NUMBER: Array<[string, (n: number, t: Day) => string]> = [
    ['#375-YYYY.MM.DD', (n, t) => `#${n}-${t.y}.${pad(t.m)}.${pad(t.d)}.md`],
    ['issue-300', (n) => `issue-${n}.md`],
    ['Name124', (n) => `weekly${n}.md`],
    ['No.12', (n) => `No.${n}.md`],
    ['vol-7', (n) => `vol-${n}.md`],
    ['<number>/index.md', (n) => `${n}/index.md`],
  ];
  it.each(NAMED_BY_NUMBER)('GIVEN a file named like %s THEN its id is the number', (_, name) => {
    fc.assert(
      fc.property(number, day, entries, (n, t, items) => {
        const issue = parseIssue(body(items), name(n, t));
        expect([issue.id, issue.number]).toEqual([String(n), n]);
        expect(itemsOf(issue).map((e) => e.item.url)).toEqual(items.map((e) => e.url));
      }),
      { numRuns: 40 },
    );
  });

  const NAMED_BY_DATE: Array<[string, (t: Day) => string]> = [
    ['YYYYMMDD', (t) => `AI简报${compact(t)}.md`],
    ['YYYY-MM-DD', (t) => `${iso(t)}-newsletter.md`],
    ['YYYY.MM.DD', (t) => `${t.y}.${pad(t.m)}.${pad(t.d)}.md`],
    ['YYYY_MM_DD', (t) => `${t.y}_${pad(t.m)}_${pad(t.d)}.md`],
    ['<date>/index.md', (t) => `${iso(t)}/index.md`],
    ['a range, by its last day', (t) => `${t.y}0101-${compact(t)}.md`],
  ];
  it.each(NAMED_BY_DATE)('GIVEN a file named like %s THEN its id is the date', (_, name) => {
    fc.assert(
      fc.property(day, entries, (t, items) => {
        fc.pre(compact(t) >= `${t.y}0101`);
        const issue = parseIssue(body(items), name(t));
        expect([issue.id, issue.date, issue.number]).toEqual([compact(t), iso(t), undefined]);
      }),
      { numRuns: 40 },
    );
  });

  const HEADED: Array<[string, (n: number, t: Day, ti: string) => string]> = [
    ['# 第 N 期', (n, _t, ti) => `# ${ti} 第 ${n} 期\n\n`],
    ['# Issue N · date', (n, t, ti) => `# ${ti} Issue ${n} · ${iso(t)}\n\n`],
    ['# #N | date (zh date)', (n, t, ti) => `# ${ti} #${n} | ${t.y}年${t.m}月${t.d}日\n\n`],
    ['YAML front matter', (n, t, ti) => `---\ntitle: "${ti}"\nnumber: ${n}\ndate: ${iso(t)}\n---\n`],
    ['TOML front matter', (n, t, ti) => `+++\ntitle = "${ti}"\nnumber = ${n}\ndate = ${iso(t)}\n+++\n`],
    ['Key: Value header', (n, t, ti) => `Title: ${ti}\nNumber: ${n}\nDate: ${iso(t)}\n\n`],
  ];
  it.each(HEADED)('GIVEN %s in a file with no id in its name THEN number and title come back', (name, head) => {
    fc.assert(
      fc.property(number, day, title, entries, (n, t, ti, items) => {
        const issue = parseIssue(head(n, t, ti) + body(items), 'post.md');
        expect([issue.id, issue.number]).toEqual([String(n), n]);
        expect(issue.title.startsWith(ti)).toBe(true);
        if (name !== '# 第 N 期') expect(issue.date).toBe(iso(t));
        expect(issue.problems).toEqual([]);
        expect(itemsOf(issue).map((e) => e.item.url)).toEqual(items.map((e) => e.url));
      }),
      { numRuns: 30 },
    );
  });
});

describe('item styles parse back', () => {
  const STYLES: Array<[string, (items: Array<{ title: string; url: string }>) => string]> = [
    ['1、[title](url) paragraphs', (items) => items.map((e, i) => `${i + 1}、[${e.title}](${e.url})\n`).join('\n')],
    ['1. title https://bare-url', (items) => items.map((e, i) => `${i + 1}. ${e.title} ${e.url}`).join('\n') + '\n'],
    ['1. title <autolink>', (items) => items.map((e, i) => `${i + 1}. ${e.title}： <${e.url}>`).join('\n') + '\n'],
    [
      '- **Title**: text [posted][ref]',
      (items) => items.map((e, i) => `- **${e.title}**: someone [posted][ref${i}] about it.`).join('\n\n') + '\n\n' + items.map((e, i) => `[ref${i}]: ${e.url}`).join('\n') + '\n',
    ],
    ['### [title](url) with a credit', (items) => items.map((e) => `### 🐎 [${e.title}](${e.url})\n\n[@editor](https://example.com/editor)：invented for tests。\n`).join('\n')],
  ];
  it.each(STYLES)('GIVEN entries written as %s THEN titles and urls come back, and nothing else is an item', (_, write) => {
    fc.assert(
      fc.property(entries, (items) => {
        const issue = parseIssue(`## 本周\n\n${write(items)}`, '#1.md');
        expect(itemsOf(issue).map((e) => [e.item.title, e.item.url])).toEqual(items.map((e) => [e.title, e.url]));
        for (const { item } of itemsOf(issue)) expect(item.links.map((l) => l.url)).not.toContain('https://example.com/editor');
      }),
      { numRuns: 40 },
    );
  });
});
