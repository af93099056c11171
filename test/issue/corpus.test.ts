/**
 * The parser over the real archive (../shared/corpus or NEWSBOT_CORPUS): every file parses,
 * ids match file names, titles are plain, and nothing is lost (link recall ≥ 0.98).
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { expect, it } from 'vitest';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';
import { corpusFiles, describeCorpus } from '../support/corpus.js';

/** Web links in the body as remark sees them, outside code and not images: the recall denominator. */
function bodyUrls(text: string): string[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text);
  const urls: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'image' || node.type === 'html') return 'skip';
    if (node.type === 'link' && /^https?:\/\//i.test(node.url)) urls.push(node.url);
    return undefined;
  });
  return urls;
}

function keptUrls(issue: Issue): Set<string> {
  const kept = new Set<string>();
  for (const { item } of itemsOf(issue)) {
    if (item.url) kept.add(item.url);
    for (const link of item.links) kept.add(link.url);
  }
  return kept;
}

describeCorpus('parser over the real archive', (dir) => {
  const files = corpusFiles();
  const parsed = files.map((path) => ({ path, text: readFileSync(path, 'utf8'), issue: parseIssue(readFileSync(path), relative(dir, path)) }));

  it('GIVEN all 96 corpus files THEN each parses into sections with items', () => {
    expect(files).toHaveLength(96);
    const empty = parsed.filter((p) => p.issue.sections.length === 0).map((p) => p.issue.file);
    expect(empty).toEqual([]);
  });

  it('GIVEN a corpus file THEN its id and date are the date in its file name', () => {
    for (const { path, issue } of parsed) {
      const fromName = /(\d{8})\.md$/.exec(basename(path))?.[1];
      expect(issue.id, issue.file).toBe(fromName);
      expect(issue.date, issue.file).toBe(`${fromName?.slice(0, 4)}-${fromName?.slice(4, 6)}-${fromName?.slice(6)}`);
    }
  });

  it('GIVEN any item THEN its title is plain text: no Markdown, HTML, numbering or colour marker', () => {
    const bad: string[] = [];
    for (const { issue } of parsed) {
      for (const { item } of itemsOf(issue)) {
        const t = item.title;
        if (!t || t.includes('**') || t.includes('](') || /<img/i.test(t) || t.includes('#') || /^\s*\d+\s*[.．、](?!\d)/.test(t) || /[🔴🟡🟢]/u.test(t)) {
          bad.push(`${issue.file}: ${t}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('GIVEN any item THEN its summary shows no Markdown and its title no bracketed source ("[The Decoder] …")', () => {
    const bad: string[] = [];
    for (const { issue } of parsed) {
      for (const { item } of itemsOf(issue)) {
        if (item.summary.includes('**') || item.summary.includes('](') || item.title.startsWith('[')) bad.push(`${issue.file}: ${item.title}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('GIVEN any item THEN its image is an http(s) URL or null, never a local path', () => {
    for (const { issue } of parsed) for (const { item } of itemsOf(issue)) if (item.image !== null) expect(item.image).toMatch(/^https?:\/\//);
  });

  it('GIVEN the whole archive THEN at least 98% of body links survive as item urls, item links or in the intro', () => {
    let total = 0;
    let found = 0;
    const lost: string[] = [];
    for (const { text, issue } of parsed) {
      const kept = keptUrls(issue);
      for (const url of bodyUrls(text)) {
        total++;
        if (kept.has(url) || issue.intro.includes(url)) found++;
        else lost.push(`${issue.file}: ${url}`);
      }
    }
    const recall = found / total;
    console.log(`[corpus] link recall ${found}/${total} = ${recall.toFixed(4)}${lost.length ? `; lost:\n  ${lost.join('\n  ')}` : ''}`);
    expect(recall).toBeGreaterThanOrEqual(0.98);
  });

  it('GIVEN a 2026 daily THEN its copy-paste footer and insights add no items', () => {
    for (const { text, issue } of parsed.filter((p) => p.issue.id.startsWith('2026'))) {
      const titles = issue.sections.map((s) => s.title);
      expect(titles.some((t) => t.includes('洞察')), issue.file).toBe(false);
      const footer = text.slice(text.indexOf('朋友圈版')).split('\n').map((l) => l.trim()).filter(Boolean).slice(1);
      expect(footer.length, issue.file).toBeGreaterThan(0);
      const leaked = itemsOf(issue).filter(({ item }) => footer.includes(item.title) || item.title.includes('朋友圈版'));
      expect(leaked, issue.file).toEqual([]);
    }
  });
});
