/**
 * Three public newsletters as their editors publish them (../shared/newsletters): every file
 * identified, titles right, items counted and sampled against a reading of each file, the empty
 * template rejected. Expected values were read off the Markdown by hand.
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { loadIssueFile } from '../../src/issue/parse.js';
import { IssueLibrary } from '../../src/library/library.js';
import { describeNewsletters } from '../support/newsletters.js';

async function parseFolder(root: string, files: string[]): Promise<Map<string, Issue>> {
  const out = new Map<string, Issue>();
  for (const f of files) out.set(f, (await loadIssueFile(join(root, f), root)).issue);
  return out;
}

const count = (issue: Issue | undefined) => (issue ? itemsOf(issue).length : -1);

describeNewsletters('老司机 iOS 周报 (ios-weekly)', (dir) => {
  const root = join(dir, 'ios-weekly');
  // [file, id, number, date, items]: the number from "#375", the date from the name or, for "#1.md", the first heading.
  const FILES: Array<[string, string, number, string, number]> = [
    ['#1.md', '1', 1, '2018-01-01', 19],
    ['#6.md', '6', 6, '2018-02-05', 17],
    ['#91-2019.11.18.md', '91', 91, '2019-11-18', 15],
    ['#138-2020.11.30.md', '138', 138, '2020-11-30', 12],
    ['#181-2021.11.15.md', '181', 181, '2021-11-15', 11],
    ['#226-2022.12.05.md', '226', 226, '2022-12-05', 9],
    ['#271-2023.12.11.md', '271', 271, '2023-12-11', 9],
    ['#316-2024.12.16.md', '316', 316, '2024-12-16', 7],
    ['#361-2025.12.29.md', '361', 361, '2025-12-29', 9],
    ['#375-2026.07.20.md', '375', 375, '2026-07-20', 8],
  ];
  let issues: Map<string, Issue>;
  beforeAll(async () => {
    issues = await parseFolder(root, [...FILES.map((f) => f[0]), '#378-2026.08.31.md']);
  });

  it.each(FILES)('GIVEN %s THEN it is issue %s (number %d, %s) with %d items and no problems', (file, id, number, date, items) => {
    const issue = issues.get(file) as Issue;
    expect([issue.id, issue.number, issue.date, count(issue)]).toEqual([id, number, date, items]);
    expect(issue.problems).toEqual([]);
  });

  it('GIVEN the first heading "老司机 iOS 周报 #375 | 2026-07-20" THEN it is the title, never a section', () => {
    const issue = issues.get('#375-2026.07.20.md') as Issue;
    expect(issue.title).toBe('老司机 iOS 周报 #375 | 2026-07-20');
    expect(issue.sections.map((s) => s.title)).toEqual(['文章']);
  });

  it('GIVEN heading items with a recommender credit THEN the credit is neither url, link nor summary; the emoji is not title', () => {
    const items = itemsOf(issues.get('#375-2026.07.20.md') as Issue).map((e) => e.item);
    expect(items[0]).toMatchObject({ title: 'iOS 27 Adds Mac-Like Recovery Mode for iPhone and iPad', url: 'https://www.macrumors.com/2026/06/22/ios-27-adds-mac-like-recovery-mode/', links: [] });
    expect(items[0]?.summary.startsWith('本文介绍 iOS 27')).toBe(true);
    expect(items[2]?.title).toBe('sim-use - 给 agent 装上眼睛和手，让 mobile 开发跟上 AI 时代');
    // A link inside the prose is a secondary link of its item, not an item.
    expect(items[6]?.links).toEqual([{ label: '解决思路', url: 'https://docs.google.com/document/d/1WU1XhnVQYIgdab8dAqpVjLLviK02BeOmjDjektpYHRk/edit?usp=sharing' }]);
    for (const item of items) expect(item.links.some((l) => /github\.com\/(EyreFree|cjlcooper|JonyFang)$/.test(l.url))).toBe(false);
    // House notices (内推, 关注我们, 说明) are not news.
    expect(items.map((i) => i.title)).not.toContain('内推');
    expect(items.some((i) => i.url?.includes('yuque.com'))).toBe(false);
  });

  it('GIVEN the empty template #378 THEN it has no items and a problem says it is a template', () => {
    const issue = issues.get('#378-2026.08.31.md') as Issue;
    expect(issue.sections).toEqual([]);
    expect(issue.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^no items found: an empty template \(\d+ headings, no entries\); not served$/)]);
  });

  it('GIVEN the whole folder THEN the latest served issue is #375, not the template, and 375/#375 find it', async () => {
    const library = await IssueLibrary.open(root, { watch: false, loadFile: (p, r) => loadIssueFile(p, r) });
    try {
      expect(library.latest()?.id).toBe('375');
      expect(library.list().map((i) => i.id)).toEqual(['1', '6', '91', '138', '181', '226', '271', '316', '361', '375']);
      expect(library.get('375')?.file).toBe('#375-2026.07.20.md');
      expect(library.problems().map((p) => p.file)).toEqual(['#378-2026.08.31.md']);
    } finally {
      await library.close();
    }
  });
});

describeNewsletters('GoCN 每日新闻 (gocn-news)', (dir) => {
  const root = join(dir, 'gocn-news');
  // [file, id (the range's last day), items, daily sections]
  const FILES: Array<[string, string, number, number]> = [
    ['201704/20170424-20170430.md', '20170430', 30, 6],
    ['201808/20180813-20180819.md', '20180819', 35, 7],
    ['201912/20191216-20191222.md', '20191222', 35, 7],
    ['202104/20210419-20210425.md', '20210425', 32, 6],
    ['202207/20220708-20220714.md', '20220714', 5, 1],
    ['202311/20231119-20231125.md', '20231125', 30, 6],
  ];
  let issues: Map<string, Issue>;
  beforeAll(async () => {
    issues = await parseFolder(root, FILES.map((f) => f[0]));
  });

  it.each(FILES)('GIVEN %s THEN it is issue %s with %d items in %d daily sections', (file, id, items, days) => {
    const issue = issues.get(file) as Issue;
    expect([issue.id, issue.number, count(issue), issue.sections.length]).toEqual([id, undefined, items, days]);
    for (const s of issue.sections) expect(s.title).toMatch(/GoCN\s*每日新闻\s*\(\d{4}-\d{2}-\d{2}\)/i);
  });

  it('GIVEN a week of daily sections and no title THEN the title is the newsletter and its first and last day, not the file name', () => {
    expect(issues.get('202104/20210419-20210425.md')?.title).toBe('GoCN 每日新闻 2021-04-19 – 2021-04-24');
    expect(issues.get('202311/20231119-20231125.md')?.title).toBe('GoCN 每日新闻 2023-11-19 – 2023-11-25');
    expect(issues.get('202207/20220708-20220714.md')?.title).toBe('GoCN 每日新闻 2022-07-08');
  });

  it('GIVEN numbered entries with a bare URL THEN the text is the title and the URL the url; the footer is not news', () => {
    const first = issues.get('201704/20170424-20170430.md') as Issue;
    const items = itemsOf(first).map((e) => e.item);
    expect(items[0]).toMatchObject({ title: 'Golang泛型编程初体验', url: 'https://mp.weixin.qq.com/s/EEUtTykcrXhcM2hJT01SoQ' });
    expect(items[6]).toMatchObject({ title: 'Go 性能优化小结', url: 'http://lanlingzi.cn/post/technical/2017/0203_go_optimize' });
    // "4.  https://blog.filippo.io/…": a URL alone is its own title.
    expect(items[3]).toMatchObject({ title: 'https://blog.filippo.io/reproducing-go-binaries-byte-by-byte/', url: 'https://blog.filippo.io/reproducing-go-binaries-byte-by-byte/' });
    const all = [...issues.values()].flatMap((i) => itemsOf(i).map((e) => e.item));
    expect(all.filter((i) => /tinyletter\.com|编辑/.test(`${i.url} ${i.title} ${i.links.map((l) => l.url).join(' ')}`))).toEqual([]);
  });
});

describeNewsletters('Bitcoin Optech Newsletter (bitcoin-optech)', (dir) => {
  const root = join(dir, 'bitcoin-optech');
  let issues: Map<string, Issue>;
  beforeAll(async () => {
    issues = await parseFolder(root, ['2018-06-08-newsletter.md', '2019-06-12-newsletter.md', '2022-05-18-newsletter.md', '2026-04-10-newsletter.md', '2026-08-21-newsletter.md']);
  });

  it('GIVEN Jekyll front matter and a dated file name THEN the number comes from the title and the date from the name', () => {
    const issue = issues.get('2026-08-21-newsletter.md') as Issue;
    // The number is read from the title only, so the file name's date stays the id.
    expect([issue.id, issue.number, issue.date, issue.title]).toEqual(['20260821', 419, '2026-08-21', 'Bitcoin Optech Newsletter #419']);
    expect(issue.problems).toEqual([]);
    expect(issues.get('2019-06-12-newsletter.md')?.number).toBe(50);
  });

  it('GIVEN bold-title entries with reference links THEN each is an item whose url is its first resolved link', () => {
    const issue = issues.get('2026-08-21-newsletter.md') as Issue;
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['News', 2],
      ['Changes to services and client software', 10],
      ['Notable code and documentation changes', 11],
    ]);
    const [reorg] = issue.sections[0]?.items ?? [];
    expect(reorg?.title).toBe('Reorg vulnerability in LND channel closes');
    expect(reorg?.url).toBe('https://delvingbitcoin.org/t/disclosure-lnd-doesnt-wait-for-enough-confirmations-when-closing-channels/2800');
    expect(reorg?.links).toEqual([{ label: '0.20.0', url: 'https://github.com/lightningnetwork/lnd/releases/tag/v0.20.0-beta' }]);
    // Liquid tags and references the site adds at build time never reach a reader.
    const text = itemsOf(issue).map((e) => `${e.item.title} ${e.item.summary}`).join('\n');
    expect(text).not.toMatch(/\{%|%\}|\]\[/);
  });

  it('GIVEN bold titles that hold a link among their words (#0) THEN the bold words are the title and that link its url, and the issue is served', () => {
    const issue = issues.get('2018-06-08-newsletter.md') as Issue;
    expect(issue.problems).toEqual([]);
    const bip174 = itemsOf(issue).find((e) => e.item.title.startsWith('BIP174'))?.item;
    expect([bip174?.title, bip174?.url]).toEqual(['BIP174 discussion and review ongoing', 'https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki']);
    const bip157 = itemsOf(issue).find((e) => e.item.title.startsWith('BIP157'))?.item;
    expect([bip157?.title, bip157?.url]).toEqual(['BIP157/BIP158 lightweight client filters', 'https://github.com/bitcoin/bips/blob/master/bip-0157.mediawiki']);
    // Before, the whole first paragraph became one 578-character title and the issue was refused.
    expect(Math.max(...itemsOf(issue).map((e) => e.item.title.length))).toBeLessThan(100);
  });

  it('GIVEN a bold question as an entry title (#200) THEN it is the title, and the issue is served', () => {
    const issue = issues.get('2022-05-18-newsletter.md') as Issue;
    expect(itemsOf(issue)[0]?.item.title).toBe('When would enabling OP_CAT allow recursive covenants?');
    expect(issue.problems).toEqual([]);
  });
});
