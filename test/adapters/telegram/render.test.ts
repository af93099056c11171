import { describe, expect, it } from 'vitest';
import { buildDigest, buildItemView } from '../../../src/digest/digest.js';
import { renderTelegramDigest, renderTelegramReply, PAGER_NOOP } from '../../../adapters/telegram/render.js';
import { checkTelegramHtml } from '../../validators/telegram-html.js';
import { bigIssue, issue, item, sampleIssue } from '../render-fixtures.js';
import { hrefs, problems, squash, visible } from './render-support.js';

describe('renderTelegramDigest', () => {
  it('GIVEN the sample issue THEN the header and every item fit one message, header first, and it validates', () => {
    const messages = renderTelegramDigest(buildDigest(sampleIssue(), 'full'), 'zh');
    expect(problems(messages)).toEqual([]);
    expect(messages).toHaveLength(1);
    const text = checkTelegramHtml(messages[0]?.text ?? '').plainText;
    expect(text.startsWith('AI 简报 20210814\n2021-08-14 · 共 3 条')).toBe(true);
    expect(text.indexOf('Mobile-Former')).toBeGreaterThan(text.indexOf('导读'));
    expect(messages.every((m) => m.parse_mode === 'HTML' && m.link_preview_options.is_disabled)).toBe(true);
  });

  it('GIVEN full mode THEN titles are bold links, source and tags show, and paper/GitHub are short labelled links', () => {
    const messages = renderTelegramDigest(buildDigest(sampleIssue(), 'full'), 'zh');
    const body = messages.map((m) => m.text).join('\n');
    expect(body).toContain('<b>1. <a href="https://mp.weixin.qq.com/s/m4rqDk-JG2Kb9aJDVG8OHQ">Mobile-Former来了！');
    expect(body).toContain('来源：集智书童 · 【轻量化】');
    expect(body).toContain('<a href="https://arxiv.org/abs/2107.11669">论文</a> · <a href="https://github.com/kemaloksuz/RankSortLoss">GitHub</a>');
    expect(body).toContain('<b>▎AI 前沿</b>');
  });

  it('GIVEN English THEN the fixed words are English', () => {
    const messages = renderTelegramDigest(buildDigest(sampleIssue(), 'full'), 'en');
    const text = visible(messages);
    expect(text).toContain('3 items');
    expect(text).toContain('Source: 集智书童');
    expect(text).toContain('Paper');
  });

  it('GIVEN markup characters in issue text THEN the reader sees them literally', () => {
    const hostile = issue([{ title: 'A<b>', items: [item({ title: 'x </b> & <i> "q"', summary: '1 < 2 && 3 > 2 </a>', url: 'https://e.example/?a=1&b="2"' })] }], { title: 'T & <T>' });
    const messages = renderTelegramDigest(buildDigest(hostile, 'full'), 'zh');
    expect(problems(messages)).toEqual([]);
    const text = visible(messages);
    expect(text).toContain('T & <T>');
    expect(text).toContain('x </b> & <i> "q"');
    expect(text).toContain('1 < 2 && 3 > 2 </a>');
    expect(hrefs(messages)).toContain('https://e.example/?a=1&b="2"');
  });

  it('GIVEN many items THEN they are packed whole: each item title, summary and links sit in one message', () => {
    const many = bigIssue(60, (i) => item({ title: `Item ${i} title`, summary: `Summary ${i} `.repeat(20).trim(), url: `https://e.example/${i}`, links: [{ label: '论文', url: `https://arxiv.example.org/abs/${i}` }] }));
    const messages = renderTelegramDigest(buildDigest(many, 'full'), 'en');
    expect(problems(messages)).toEqual([]);
    expect(messages.length).toBeGreaterThan(2);
    for (let i = 0; i < 60; i++) {
      const holders = messages.filter((m) => m.text.includes(`Item ${i} title`));
      expect(holders).toHaveLength(1);
      expect(holders[0]?.text).toContain(`Summary ${i} Summary ${i}`);
      expect(holders[0]?.text).toContain(`https://arxiv.example.org/abs/${i}"`);
    }
  });

  it('GIVEN 200 compact items THEN every message stays within 100 entities and no url is lost', () => {
    const many = bigIssue(200, (i) => item({ title: `T${i}`, url: `https://e.example/${i}`, source: 'src' }));
    const messages = renderTelegramDigest(buildDigest(many, 'compact'), 'zh');
    expect(problems(messages)).toEqual([]);
    expect(Math.max(...messages.map((m) => checkTelegramHtml(m.text).entityCount))).toBeLessThanOrEqual(100);
    expect(new Set(hrefs(messages))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `https://e.example/${i}`)));
  });

  it('GIVEN one item longer than a message THEN it splits at sentence ends with tags reopened, losing nothing', () => {
    const sentence = '这是一个很长的句子，用来测试拆分。';
    const summary = sentence.repeat(600);
    const long = issue([{ title: 'S', items: [item({ title: 'Long', summary, url: 'https://e.example/long' }), item({ title: 'After', url: 'https://e.example/after' })] }]);
    const messages = renderTelegramDigest(buildDigest(long, 'full'), 'zh');
    expect(problems(messages)).toEqual([]);
    expect(messages.length).toBeGreaterThanOrEqual(4);
    const pieces = messages.slice(1).map((m) => checkTelegramHtml(m.text).plainText);
    expect(squash(pieces.join(''))).toContain(squash(summary));
    // Each cut falls after a sentence end.
    for (const piece of pieces.slice(0, -1)) expect(piece.trimEnd().endsWith('。')).toBe(true);
  });

  it('GIVEN a title longer than a message THEN the bold link is closed at the cut and reopened after it', () => {
    const title = 'word '.repeat(1200);
    const messages = renderTelegramDigest(buildDigest(issue([{ title: '', items: [item({ title, url: 'https://e.example/t' })] }]), 'compact'), 'en');
    expect(problems(messages)).toEqual([]);
    const parts = messages.slice(1);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const m of parts) expect(m.text.startsWith('<b>')).toBe(true);
    expect(parts[1]?.text.startsWith('<b><a href="https://e.example/t">')).toBe(true);
  });

  it('GIVEN emoji and combining marks at the cut point THEN no grapheme is broken', () => {
    const family = '👨‍👩‍👧‍👦';
    const summary = `${'x'.repeat(4060)}${family.repeat(20)}${'e\u0301'.repeat(40)}`;
    const messages = renderTelegramDigest(buildDigest(issue([{ title: '', items: [item({ title: 't', summary })] }]), 'full'), 'en');
    expect(problems(messages)).toEqual([]);
    expect(messages.length).toBeGreaterThan(2);
    // A cut inside a cluster would leave a line break inside it, so fewer whole clusters would remain.
    const all = visible(messages.slice(1));
    expect(all.split(family).length - 1).toBe(20);
    expect(all.split('e\u0301').length - 1).toBe(40);
    expect(all.match(/\u0301/g)).toHaveLength(40);
  });
});

describe('renderTelegramReply', () => {
  it('GIVEN an item reply THEN it links Read, GitHub and Paper buttons and allows the link preview', () => {
    const view = buildItemView(sampleIssue(), 1);
    if (!view) throw new Error('no item');
    const [message, ...rest] = renderTelegramReply({ kind: 'item', view, language: 'en' });
    expect(rest).toEqual([]);
    expect(problems([message!])).toEqual([]);
    expect(message?.link_preview_options.is_disabled).toBe(false);
    expect(message?.reply_markup?.inline_keyboard[0]).toEqual([
      { text: 'Read', url: 'https://mp.weixin.qq.com/s/OPw4uGc_VFtHt98SgC1yJg' },
      { text: 'GitHub', url: 'https://github.com/kemaloksuz/RankSortLoss' },
      { text: 'Paper', url: 'https://arxiv.org/abs/2107.11669' },
    ]);
    expect(visible([message!])).toContain('AI 简报 20210814 · 2021-08-14 · AI 前沿');
  });

  it('GIVEN a search page THEN matches are bold, the typed query is escaped, and the pager row is added', () => {
    const messages = renderTelegramReply(
      {
        kind: 'search',
        language: 'zh',
        view: {
          query: '<b>nerf</b> & co',
          page: 2,
          pageCount: 7,
          pageSize: 5,
          total: 33,
          suggestions: [],
          hits: [{ issueId: '20210814', date: '2021-08-14', sectionTitle: 'AI', itemIndex: 4, title: 'NeRF < fast', url: 'https://e.example/n', source: '量子位', snippet: [{ text: '…静态图' }, { text: 'NeRF', highlight: true }, { text: '横空出世' }] }],
        },
      },
      { pager: { prev: 'pg:s:1:nerf', next: 'pg:s:3:nerf' } },
    );
    expect(problems(messages)).toEqual([]);
    const last = messages[messages.length - 1]!;
    expect(last.text).toContain('…静态图<b>NeRF</b>横空出世');
    expect(last.text).toContain('&lt;b&gt;nerf&lt;/b&gt; &amp; co');
    expect(last.text).toContain('<b>6. <a href="https://e.example/n">NeRF &lt; fast</a></b>');
    expect(last.reply_markup?.inline_keyboard).toEqual([
      [
        { text: '◀', callback_data: 'pg:s:1:nerf' },
        { text: '2/7', callback_data: PAGER_NOOP },
        { text: '▶', callback_data: 'pg:s:3:nerf' },
      ],
    ]);
  });

  it('GIVEN no search hits THEN it says so and lists suggestions', () => {
    const messages = renderTelegramReply({ kind: 'search', language: 'en', view: { query: 'nerff', page: 1, pageCount: 1, pageSize: 5, total: 0, hits: [], suggestions: ['nerf'] } });
    expect(problems(messages)).toEqual([]);
    expect(visible(messages)).toContain('Nothing found for “nerff”.');
    expect(messages[0]?.text).toContain('<code>nerf</code>');
    expect(messages[0]?.reply_markup).toBeUndefined();
  });

  it('GIVEN an archive page on the first page THEN the prev arrow is omitted', () => {
    const messages = renderTelegramReply(
      { kind: 'archive', language: 'zh', view: { page: 1, pageCount: 3, total: 25, entries: [{ id: '20210814', date: '2021-08-14', title: 'AI 简报 <1>', itemCount: 7 }] } },
      { pager: { prev: null, next: 'pg:a:2' } },
    );
    expect(problems(messages)).toEqual([]);
    expect(messages[0]?.text).toContain('<code>20210814</code> AI 简报 &lt;1&gt; · 7 条');
    expect(messages[0]?.reply_markup?.inline_keyboard).toEqual([[{ text: '1/3', callback_data: PAGER_NOOP }, { text: '▶', callback_data: 'pg:a:2' }]]);
  });

  it('GIVEN rich text with user input THEN spans are formatted, links kept, and the input escaped', () => {
    const messages = renderTelegramReply({
      kind: 'text',
      tone: 'error',
      language: 'en',
      body: [[{ text: 'Unknown command ' }, { text: '/x<y>&', code: true }], [{ text: 'Help', url: 'https://e.example/help', bold: true }, { text: ' bad', url: 'javascript:1' }]],
    });
    expect(problems(messages)).toEqual([]);
    expect(messages[0]?.text).toBe('⚠️ Unknown command <code>/x&lt;y&gt;&amp;</code>\n\n<b><a href="https://e.example/help">Help</a></b> bad');
  });

  it('GIVEN a digest reply with a pager THEN the keyboard goes on the last message only', () => {
    const messages = renderTelegramReply({ kind: 'digest', language: 'zh', digest: buildDigest(bigIssue(30, (i) => item({ title: `T${i}`, summary: '摘要。'.repeat(100) })), 'full') }, { pager: { prev: 'a', next: null } });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(messages[messages.length - 1]?.reply_markup?.inline_keyboard).toEqual([[{ text: '◀', callback_data: 'a' }]]);
  });
});
