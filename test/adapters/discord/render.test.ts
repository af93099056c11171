import { describe, expect, it } from 'vitest';
import { buildDigest, buildItemView } from '../../../src/digest/digest.js';
import { renderDiscordDigest, renderDiscordReply } from '../../../adapters/discord/render.js';
import { embedTotalLength } from '../../validators/discord-payload.js';
import { bigIssue, issue, item, sampleIssue } from '../render-fixtures.js';
import { problems, unescape, urls } from './render-support.js';

describe('renderDiscordDigest', () => {
  it('GIVEN the sample issue in full mode THEN one message: the header as its content, one embed per item under it', () => {
    const messages = renderDiscordDigest(buildDigest(sampleIssue(), 'full'), 'zh');
    expect(problems(messages)).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.content).toBe('**AI 简报 20210814**\n2021-08-14 · 共 3 条\n> 导读： 本期为 AI 简报 20210814 期，请慢用\\~');
    const embeds = messages.flatMap((m) => m.embeds ?? []);
    expect(embeds).toHaveLength(3);
    expect(embeds[0]).toMatchObject({
      title: '1. Mobile-Former来了！微软提出：MobileNet+Transformer轻量化并行网络',
      url: 'https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ',
      footer: { text: '集智书童 · AI 前沿 · 【轻量化】' },
      thumbnail: { url: 'https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20210814180017.png' },
    });
    expect(embeds[1]?.description).toBe('目标检测和实例分割往往是一个multi-task的任务。\n[论文](https://arxiv.org/abs/2107.11669) · [GitHub](https://github.com/kemaloksuz/RankSortLoss)');
    expect(messages.every((m) => m.allowed_mentions.parse.length === 0)).toBe(true);
  });

  it('GIVEN a long summary THEN the description stays near 350 characters, links whole, cut with "…"', () => {
    const summary = '这是一个很长的摘要。'.repeat(100);
    const links = [{ label: '论文', url: 'https://arxiv.example.org/abs/1234.56789' }];
    const [body] = renderDiscordDigest(buildDigest(issue([{ title: 'S', items: [item({ summary, links })] }]), 'full'), 'zh');
    const description = body?.embeds?.[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(350);
    expect(description.length).toBeGreaterThan(300);
    expect(description).toMatch(/…\n\[论文\]\(https:\/\/arxiv\.example\.org\/abs\/1234\.56789\)$/);
  });

  it('GIVEN a URL at the truncation point THEN the cut falls before the URL, never inside it', () => {
    const url = 'https://example.com/a/very/long/path/that/crosses/the/limit';
    const summary = `${'字'.repeat(320)} ${url} 后文`;
    const [body] = renderDiscordDigest(buildDigest(issue([{ title: '', items: [item({ summary })] }]), 'full'), 'en');
    const description = body?.embeds?.[0]?.description ?? '';
    expect(description.endsWith('…')).toBe(true);
    expect(description).not.toContain('https://example.com');
  });

  it('GIVEN Markdown and mentions in issue text THEN they are escaped and the reader sees them literally', () => {
    const title = '**bold** _it_ ~~s~~ ||spoiler|| `code` [x](https://evil.example) <@123> @everyone';
    const summary = '> not a quote\n# not a heading\n- not a list\n1. not a list';
    const messages = renderDiscordDigest(buildDigest(issue([{ title: '', items: [item({ title, summary })] }], { title: '# Big *title*' }), 'full'), 'en');
    expect(problems(messages)).toEqual([]);
    const embed = messages[0]?.embeds?.[0];
    expect(embed?.title).toBe('1. \\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\` \\[x\\](https://evil.example) \\<@123> @everyone');
    expect(unescape(embed?.title ?? '')).toBe(`1. ${title}`);
    expect(embed?.description).toBe('\\> not a quote\n\\# not a heading\n\\- not a list\n1\\. not a list');
    expect(messages[0]?.content?.startsWith('**\\# Big \\*title\\***')).toBe(true);
  });

  it('GIVEN many long items THEN each message has at most 10 embeds and 6,000 embed characters', () => {
    const many = bigIssue(45, (i) => item({ title: `${i} ${'长标题'.repeat(100)}`, summary: '摘要。'.repeat(200), source: '来源'.repeat(50), url: `https://e.example/${i}` }));
    const messages = renderDiscordDigest(buildDigest(many, 'full'), 'zh');
    expect(problems(messages)).toEqual([]);
    for (const m of messages) {
      expect(m.embeds?.length).toBeLessThanOrEqual(10);
      expect((m.embeds ?? []).reduce((n, e) => n + embedTotalLength(e), 0)).toBeLessThanOrEqual(6000);
    }
    expect(messages.flatMap((m) => m.embeds ?? [])).toHaveLength(45);
  });

  it('GIVEN compact mode THEN the issue is one list of linked titles under section headings, URLs with parentheses intact', () => {
    const wiki = 'https://wiki.example.org/wiki/Foo_(bar)';
    const compact = issue([
      { title: '其他', items: [item({ title: 'Wiki [1]', url: wiki, source: 'src' }), item({ title: 'No link', url: null })] },
      { title: 'More', items: [item({ title: 'Third', url: 'https://e.example/3' })] },
    ]);
    const messages = renderDiscordDigest(buildDigest(compact, 'compact'), 'zh');
    expect(problems(messages)).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds).toHaveLength(1);
    expect(messages[0]?.embeds?.[0]?.description).toBe(
      '**其他**\n**1.** [Wiki ［1］](https://wiki.example.org/wiki/Foo_%28bar%29) · src\n**2.** No link\n\n**More**\n**3.** [Third](https://e.example/3)',
    );
    expect(urls(messages).has(wiki)).toBe(true);
  });

  it('GIVEN 200 compact items THEN the list continues over embeds and messages without losing a url', () => {
    const many = bigIssue(200, (i) => item({ title: `Title number ${i} `.repeat(8), url: `https://e.example/${i}?q=${'x'.repeat(100)}` }));
    const messages = renderDiscordDigest(buildDigest(many, 'compact'), 'en');
    expect(problems(messages)).toEqual([]);
    const found = urls(messages);
    for (let i = 0; i < 200; i++) expect(found.has(`https://e.example/${i}?q=${'x'.repeat(100)}`)).toBe(true);
    expect(messages.flatMap((m) => m.embeds ?? []).length).toBeGreaterThan(1);
  });
});

describe('renderDiscordReply', () => {
  it('GIVEN an item THEN it gets Read, Paper and GitHub link buttons without custom ids', () => {
    const view = buildItemView(sampleIssue(), 1);
    if (!view) throw new Error('no item');
    const messages = renderDiscordReply({ kind: 'item', view, language: 'en' });
    expect(problems(messages)).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds?.[0]?.author?.name).toBe('AI 简报 20210814 · 2021-08-14');
    expect(messages[0]?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 5, label: 'Read', url: 'https://mp.weixin.qq.com/s/OPw4uGc_VFtHt98SgC1yJg' },
          { type: 2, style: 5, label: 'Paper', url: 'https://arxiv.org/abs/2107.11669' },
          { type: 2, style: 5, label: 'GitHub', url: 'https://github.com/kemaloksuz/RankSortLoss' },
        ],
      },
    ]);
  });

  it('GIVEN an item with many links and an 800-character url THEN at most 5 buttons, none with a url Discord refuses', () => {
    const long = `https://t.example.com/?${'a'.repeat(800)}`;
    const links = Array.from({ length: 8 }, (_, i) => ({ label: `L${i}`, url: `https://e.example/l${i}` }));
    const view = buildItemView(issue([{ title: '', items: [item({ url: long, links })] }]), 0)!;
    const [message] = renderDiscordReply({ kind: 'item', view, language: 'zh' }, { pager: { prev: 'pg:s:1:x', next: null } });
    expect(problems([message!])).toEqual([]);
    const buttons = message?.components?.[0]?.components ?? [];
    expect(buttons).toHaveLength(5);
    expect(buttons.every((b) => 'url' in b && b.url.length <= 512)).toBe(true);
    expect(message?.embeds?.[0]?.url).toBe(long);
  });

  it('GIVEN a search page THEN matches are bold, the query escaped, and the pager has a disabled page label', () => {
    const messages = renderDiscordReply(
      {
        kind: 'search',
        language: 'en',
        view: {
          query: '*nerf* @everyone',
          page: 1,
          pageCount: 7,
          pageSize: 5,
          total: 33,
          suggestions: [],
          hits: [{ issueId: '20210814', date: '2021-08-14', sectionTitle: 'AI', itemIndex: 4, title: 'NeRF', url: 'https://e.example/n', source: '量子位', snippet: [{ text: '静态_图 ' }, { text: 'NeRF', highlight: true }] }],
        },
      },
      { pager: { prev: null, next: 'pg:s:2:nerf' } },
    );
    expect(problems(messages)).toEqual([]);
    expect(messages[0]?.content).toBe('**🔍 Search “\\*nerf\\* @everyone”**\n33 results · Page 1/7');
    expect(messages[0]?.embeds?.[0]).toMatchObject({ title: '1. NeRF', url: 'https://e.example/n', description: '静态\\_图 **NeRF**', footer: { text: '2021-08-14 · AI · 量子位' } });
    expect(messages[0]?.components?.[0]?.components).toEqual([
      { type: 2, style: 2, label: '◀', custom_id: 'noop:prev', disabled: true },
      { type: 2, style: 2, label: '1/7', custom_id: 'noop:page', disabled: true },
      { type: 2, style: 2, label: '▶', custom_id: 'pg:s:2:nerf', disabled: false },
    ]);
  });

  it('GIVEN an archive page THEN entries are listed with ids and item counts', () => {
    const messages = renderDiscordReply({ kind: 'archive', language: 'zh', view: { page: 2, pageCount: 2, total: 11, entries: [{ id: '20201030', date: '2020-10-30', title: 'AI 简报 *1*', itemCount: 8 }] } });
    expect(problems(messages)).toEqual([]);
    expect(messages[0]?.content).toBe('**📚 往期**\n共 11 期 · 第 2/2 页');
    expect(messages[0]?.embeds?.[0]?.description).toBe('`20201030` · AI 简报 \\*1\\* · 8 条');
  });

  it('GIVEN rich text longer than one message THEN it continues in more messages of at most 2,000 characters', () => {
    const body = [[{ text: 'Error: ' }, { text: 'x'.repeat(1500), code: true }], [{ text: 'y_'.repeat(1500) }], [{ text: 'Docs', url: 'https://e.example/docs', bold: true }]];
    const messages = renderDiscordReply({ kind: 'text', tone: 'error', body, language: 'en' });
    expect(problems(messages)).toEqual([]);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]?.content?.startsWith('⚠️ Error: `xxx')).toBe(true);
    expect(messages[messages.length - 1]?.content?.endsWith('**[Docs](https://e.example/docs)**')).toBe(true);
    expect(unescape(messages.map((m) => m.content).join('')).replace(/\s/g, '')).toContain('y_'.repeat(1500));
  });
});
