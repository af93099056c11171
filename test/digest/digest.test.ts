import { describe, expect, it } from 'vitest';
import { buildArchivePage, buildDigest, buildItemView, isWebUrl, linkKind, linkLabel, MAX_LINK_LABEL, type DigestItem } from '../../src/digest/digest.js';
import type { Link } from '../../src/issue/model.js';
import { issue, item, sampleIssue } from '../adapters/render-fixtures.js';

describe('buildDigest', () => {
  it('GIVEN an issue in full mode THEN items are numbered across sections with summaries and key links', () => {
    const digest = buildDigest(sampleIssue(), 'full');
    expect(digest.itemCount).toBe(3);
    expect(digest.sections.map((s) => s.items.map((i) => i.number))).toEqual([[1, 2], [3]]);
    expect(digest.sections[0]?.items[0]?.summary).toContain('Vision Transformer');
    expect(digest.title).toBe('AI 简报 20210814');
    expect(digest.date).toBe('2021-08-14');
  });

  it('GIVEN links in author order THEN paper links come first, then GitHub, then the rest', () => {
    const links = [
      { label: '项目主页', url: 'https://proj.example.com' },
      { label: '代码', url: 'https://github.com/a/b' },
      { label: '论文', url: 'https://arxiv.org/abs/1' },
    ];
    const digest = buildDigest(issue([{ title: '', items: [item({ links })] }]), 'full');
    expect(digest.sections[0]?.items[0]?.links.map((l) => l.url)).toEqual(['https://arxiv.org/abs/1', 'https://github.com/a/b', 'https://proj.example.com']);
  });

  it('GIVEN compact mode THEN summaries and links are empty but titles and urls stay', () => {
    const digest = buildDigest(sampleIssue(), 'compact');
    const items = digest.sections.flatMap((s) => s.items);
    expect(items.every((i) => i.summary === '' && i.links.length === 0)).toBe(true);
    expect(items[0]?.url).toBe('https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ');
  });

  it('GIVEN local paths, anchors and javascript: urls THEN none of them becomes a link or an image', () => {
    const bad = item({
      url: '#1-模型',
      image: 'D:\\Project\\img.png',
      links: [
        { label: 'x', url: 'javascript:alert(1)' },
        { label: 'y', url: 'file:///etc/passwd' },
        { label: 'z', url: 'https://ok.example.com' },
      ],
    });
    const out = buildDigest(issue([{ title: 'S', items: [bad] }]), 'full').sections[0]?.items[0];
    expect(out?.url).toBeNull();
    expect(out?.image).toBeNull();
    expect(out?.links.map((l) => l.url)).toEqual(['https://ok.example.com']);
  });

  it('GIVEN a link repeating the item url THEN it is dropped', () => {
    const out = buildDigest(issue([{ title: '', items: [item({ url: 'https://a.example/x', links: [{ label: 'same', url: 'https://a.example/x' }] })] }]), 'full');
    expect(out.sections[0]?.items[0]?.links).toEqual([]);
  });

  it('GIVEN empty sections and a multi-line intro THEN empty sections are dropped and the intro is its first non-empty line', () => {
    const digest = buildDigest(issue([{ title: 'Empty', items: [] }, { title: 'Full', items: [item()] }], { intro: '\n  导读：  本期\t为\n第二行\n\n第二段' }), 'full');
    expect(digest.sections.map((s) => s.title)).toEqual(['Full']);
    expect(digest.intro).toBe('导读： 本期 为');
  });

  it('GIVEN a web url option THEN only an http(s) one is kept', () => {
    expect(buildDigest(sampleIssue(), 'full', { webUrl: 'https://news.example/20210814' }).webUrl).toBe('https://news.example/20210814');
    expect(buildDigest(sampleIssue(), 'full', { webUrl: 'ftp://x' }).webUrl).toBeNull();
    expect(buildDigest(sampleIssue(), 'full').webUrl).toBeNull();
  });

  it('GIVEN control characters and lone surrogates in text THEN they are removed or replaced', () => {
    const digest = buildDigest(issue([{ title: 'S\u001b[31m', items: [item({ title: 'a\u0000b\ud800c' })] }]), 'full');
    expect(digest.sections[0]?.title).toBe('S[31m');
    expect(digest.sections[0]?.items[0]?.title).toBe('ab\ufffdc');
  });
});

describe('buildItemView', () => {
  it('GIVEN an index across sections THEN it returns that item with its section and issue', () => {
    const view = buildItemView(sampleIssue(), 2);
    expect(view?.item.title).toBe('比用Pytorch框架快200倍！');
    expect(view?.item.number).toBe(3);
    expect(view?.sectionTitle).toBe('有趣的开源项目');
    expect(view?.issueId).toBe('20210814');
  });

  it('GIVEN an index out of range THEN it returns null', () => {
    expect(buildItemView(sampleIssue(), 3)).toBeNull();
    expect(buildItemView(sampleIssue(), -1)).toBeNull();
    expect(buildItemView(sampleIssue(), 0.5)).toBeNull();
  });
});

describe('buildArchivePage', () => {
  const issues = ['20201030', '20210814', '20260101', '20210108'].map((id) => issue([{ title: '', items: [item()] }], { id, date: `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6)}`, title: `No ${id}` }));

  it('GIVEN issues in any order THEN the archive lists them newest first', () => {
    const page = buildArchivePage(issues, 1, 10);
    expect(page.entries.map((e) => e.id)).toEqual(['20260101', '20210814', '20210108', '20201030']);
    expect(page).toMatchObject({ page: 1, pageCount: 1, total: 4 });
    expect(page.entries[0]?.itemCount).toBe(1);
  });

  it('GIVEN a page past the end or before the start THEN it is clamped into range', () => {
    expect(buildArchivePage(issues, 9, 3)).toMatchObject({ page: 2, pageCount: 2 });
    expect(buildArchivePage(issues, 9, 3).entries.map((e) => e.id)).toEqual(['20201030']);
    expect(buildArchivePage(issues, 0, 3).page).toBe(1);
    expect(buildArchivePage(issues, Number.NaN, 3).page).toBe(1);
  });

  it('GIVEN no issues THEN there is one empty page', () => {
    expect(buildArchivePage([], 3)).toEqual({ page: 1, pageCount: 1, total: 0, entries: [] });
  });
});

describe('links', () => {
  it('GIVEN hosts and labels THEN links are classified as paper, github or other', () => {
    expect(linkKind({ label: 'Github', url: 'https://arxiv.org/abs/2108.05895' })).toBe('paper');
    expect(linkKind({ label: '代码', url: 'https://github.com/a/b' })).toBe('github');
    expect(linkKind({ label: '论文', url: 'https://example.com/p.pdf' })).toBe('paper');
    expect(linkKind({ label: '主页', url: 'https://example.com' })).toBe('other');
  });

  it('GIVEN urls THEN only well-formed http(s) ones are web urls', () => {
    expect(isWebUrl('https://example.com/a_(b)')).toBe(true);
    expect(isWebUrl('http://localhost:8080')).toBe(true);
    for (const bad of [null, '', 'D:\\x.png', '#anchor', 'javascript:alert(1)', 'https://a b.com', 'https://x.example/\u001b', 'mailto:a@b.c']) expect(isWebUrl(bad)).toBe(false);
  });
});

describe('link labels', () => {
  const keyLinksOf = (links: Link[]): DigestItem['links'] => buildDigest(issue([{ title: '', items: [item({ links })] }]), 'full').sections[0]!.items[0]!.links;
  const labels = (links: Link[], language: 'zh' | 'en' = 'zh') => keyLinksOf(links).map((l) => linkLabel(l, language));

  it('GIVEN two GitHub links on one item (TableMASTER) THEN each is labelled with its repository', () => {
    expect(
      labels([
        { label: '论文', url: 'https://arxiv.org/abs/2105.01848' },
        { label: 'GitHub', url: 'https://github.com/JiaquanYe/TableMASTER-mmocr' },
        { label: 'GitHub', url: 'https://github.com/JiaquanYe/MASTER-mmocr' },
        { label: '', url: 'https://aieval.draco.res.ibm.com/challenge/40/overview' },
      ]),
    ).toEqual(['论文', 'GitHub: TableMASTER-mmocr', 'GitHub: MASTER-mmocr', '链接']);
  });

  it('GIVEN labels that are already distinct THEN they get no suffix', () => {
    const links = keyLinksOf([
      { label: '论文', url: 'https://arxiv.org/abs/1' },
      { label: 'GitHub', url: 'https://github.com/a/b' },
      { label: '项目主页', url: 'https://proj.example.com' },
    ]);
    expect(links.every((l) => l.suffix === undefined)).toBe(true);
    expect(links.map((l) => linkLabel(l, 'en'))).toEqual(['Paper', 'GitHub', '项目主页']);
  });

  it('GIVEN two papers on one host THEN the last path segment tells them apart', () => {
    expect(labels([{ label: 'Paper', url: 'https://arxiv.org/abs/2105.01848' }, { label: 'arXiv', url: 'https://arxiv.org/abs/2106.00001' }], 'en')).toEqual([
      'Paper: 2105.01848',
      'Paper: 2106.00001',
    ]);
  });

  it('GIVEN two links with the same own label on different hosts THEN the host tells them apart', () => {
    expect(labels([{ label: '项目主页', url: 'https://www.a.example/x' }, { label: '项目主页', url: 'https://b.example/x' }])).toEqual(['项目主页: a.example', '项目主页: b.example']);
  });

  it('GIVEN two repositories of the same name under different owners THEN the owner shows too', () => {
    expect(labels([{ label: 'code', url: 'https://github.com/alice/nerf' }, { label: 'code', url: 'https://github.com/bob/nerf' }])).toEqual([
      'GitHub: github.com/alice/nerf',
      'GitHub: github.com/bob/nerf',
    ]);
  });

  it('GIVEN very long names THEN every label stays within MAX_LINK_LABEL characters', () => {
    const long = 'a-very-long-repository-name-that-goes-on-and-on';
    const all = labels([
      { label: 'GitHub', url: `https://github.com/x/${long}-1` },
      { label: 'GitHub', url: `https://github.com/x/${long}-2` },
      { label: '一个相当长的作者自己写的链接标签，超过二十四个字符的那种', url: 'https://c.example/%E8%AE%BA%E6%96%87' },
      { label: '一个相当长的作者自己写的链接标签，超过二十四个字符的那种', url: 'https://d.example/%E8%AE%BA' },
    ]);
    expect(all[0]).toBe('GitHub: a-very-long-…on-and-on-1');
    expect(all[1]).toBe('GitHub: a-very-long-…on-and-on-2');
    for (const label of all.slice(0, 2)) expect(label.length).toBe(MAX_LINK_LABEL);
    // After a 24-character label of the author's own, the suffix keeps 8 characters.
    expect(all.slice(2).map((l) => l.length)).toEqual([24 + 2 + 8, 24 + 2 + 8]);
    expect(new Set(all).size).toBe(4);
  });

  it('GIVEN an item view with every link THEN duplicate labels are told apart there too', () => {
    const view = buildItemView(issue([{ title: '', items: [item({ links: [{ label: 'GitHub', url: 'https://github.com/a/one' }, { label: 'GitHub', url: 'https://github.com/a/two' }] })] }]), 0);
    expect(view?.item.links.map((l) => linkLabel(l, 'en'))).toEqual(['GitHub: one', 'GitHub: two']);
  });
});
