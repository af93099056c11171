import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAnswerInlineQuery,
  checkEditMessageText,
  checkSendMessage,
  checkTelegramHtml,
  MAX_ENTITIES,
  MAX_MESSAGE_LENGTH,
} from './telegram-html.js';

/** The escaping Telegram documents: &, < and > become entities (written here, not imported). */
const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const STYLE_TAGS = ['b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins', 'tg-spoiler'] as const;

describe('checkTelegramHtml: text Telegram accepts', () => {
  it.each([
    ['plain text', 'hello world', 'hello world', 0],
    ['every style tag', '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>', 'bsieunskd', 9],
    ['a spoiler span', '<span class="tg-spoiler">secret</span>', 'secret', 1],
    ['a link', '<a href="https://example.com/?a=1&amp;b=2">link</a>', 'link', 1],
    ['a tg: mention', '<a href="tg://user?id=42">Ada</a>', 'Ada', 1],
    ['pre with a language as ONE entity', '<pre><code class="language-python">x = 1</code></pre>', 'x = 1', 1],
    ['inline code', 'run <code>npm test</code>', 'run npm test', 1],
    ['an expandable blockquote with a link inside', '<blockquote expandable>q <a href="http://x.example">l</a></blockquote>', 'q l', 2],
    ['style inside link and link inside style', '<b><a href="https://a.example"><i>x</i></a></b>', 'x', 3],
    ['named and numeric entities', '&lt;&gt;&amp;&quot;&#65;&#x1F600;', '<>&"A😀', 0],
    ['upper-case tags', '<B>bold</B>', 'bold', 1],
    ['an empty tag (no entity created)', 'x<b></b>', 'x', 0],
    ['a nameless end tag', '<b>x</>', 'x', 1],
    ['a custom emoji', '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', '👍', 1],
    ['a date-time', '<tg-time unix="1647531900" format="wDT">22:45</tg-time>', '22:45', 1],
  ])('GIVEN %s THEN it is valid with the right plain text and entity count', (_name, html, plain, entities) => {
    const result = checkTelegramHtml(html);
    expect(result.errors).toEqual([]);
    expect(result.plainText).toBe(plain);
    expect(result.visibleLength).toBe(plain.length);
    expect(result.entityCount).toBe(entities);
  });

  it('GIVEN emoji and CJK THEN visibleLength counts UTF-16 code units, not code points or bytes', () => {
    const result = checkTelegramHtml('新闻 😀');
    expect(result.visibleLength).toBe(5);
  });

  it('GIVEN exactly 4096 visible units made of escaped characters THEN it is valid', () => {
    const result = checkTelegramHtml('&amp;'.repeat(MAX_MESSAGE_LENGTH));
    expect(result.errors).toEqual([]);
    expect(result.visibleLength).toBe(MAX_MESSAGE_LENGTH);
  });
});

describe('checkTelegramHtml: text Telegram (or our stricter reading) rejects', () => {
  it.each([
    ['an unsupported tag', '<p>x</p>', /Unsupported start tag "p" at byte offset 0/],
    ['a br', 'a<br/>b', /Unsupported start tag "br\/"/],
    ['a bare <', 'a < b', /Unsupported start tag "" at byte offset 2/],
    ['a bare &', 'AT&T', /Unescaped "&" at byte offset 2/],
    ['a bare >', 'a > b', /Unescaped ">"/],
    ['an unknown named entity', 'a&nbsp;b', /Unescaped "&"/],
    ['an unclosed tag', '<b>bold', /Can't find end tag corresponding to start tag "b"/],
    ['crossed tags', '<b><i>x</b></i>', /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/],
    ['a stray end tag', 'x</b>', /Unexpected end tag/],
    ['an unterminated start tag', 'x <a href="https://a.example"', /Unclosed start tag "a"/],
    ['a span without the spoiler class', '<span class="red">x</span>', /Tag "span" must have class "tg-spoiler"/],
    ['a link without href', '<a>x</a>', /Tag "a" must have a non-empty href/],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>', /is not an http\(s\) or tg: URL/],
    ['a relative link', '<a href="/issues/1">x</a>', /is not an http\(s\) or tg: URL/],
    ['a language on standalone code', '<code class="language-js">x</code>', /standalone code/],
    ['a tag inside pre', '<pre><b>x</b></pre>', /can't be inside "pre"/],
    ['a tag inside code', '<code><i>x</i></code>', /can't be inside "code"/],
    ['text beside code inside pre', '<pre><code>x</code>y</pre>', /only content of "pre"/],
    ['a link inside a link', '<a href="https://a.example"><a href="https://b.example">x</a></a>', /Tag "a" can't be inside "a"/],
    ['code inside a link', '<a href="https://a.example"><code>x</code></a>', /Tag "code" can't be inside "a"/],
    ['nested blockquotes', '<blockquote><blockquote>x</blockquote></blockquote>', /Blockquotes can't be nested/],
    ['an attribute without a value', '<b bold>x</b>', /Expected equal sign/],
    ['a lone surrogate', 'cut here \uD83D', /lone UTF-16 surrogate/],
    ['an empty text', '<b> </b>', /empty/],
    ['a zero numeric entity', '&#0;', /Invalid numeric entity/],
  ])('GIVEN %s THEN it reports why', (_name, html, why) => {
    const { errors } = checkTelegramHtml(html);
    expect(errors.join('\n')).toMatch(why);
  });

  it('GIVEN an error after multi-byte text THEN the byte offset counts UTF-8 bytes like Telegram', () => {
    // "新" is 3 bytes in UTF-8, so <p> starts at byte 3.
    expect(checkTelegramHtml('新<p>x</p>').errors[0]).toMatch(/at byte offset 3\b/);
  });

  it('GIVEN 4097 visible units THEN it is too long, while the raw HTML length does not matter', () => {
    const tooLong = checkTelegramHtml('a'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(tooLong.errors.join()).toMatch(/too long: 4097/);
    const longMarkup = checkTelegramHtml(`<a href="https://example.com/${'x'.repeat(5000)}">${'a'.repeat(100)}</a>`);
    expect(longMarkup.errors).toEqual([]);
  });

  it('GIVEN 101 formatting entities THEN it is an error, and 100 is fine', () => {
    const tags = (n: number): string => Array.from({ length: n }, (_, k) => `<b>${k}</b>`).join(' ');
    expect(checkTelegramHtml(tags(MAX_ENTITIES)).errors).toEqual([]);
    expect(checkTelegramHtml(tags(MAX_ENTITIES + 1)).errors.join()).toMatch(/Too many entities: 101/);
  });
});

describe('checkTelegramHtml properties', () => {
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).filter((s) => s.trim() !== '');
  const tagChain = fc.array(fc.constantFrom(...STYLE_TAGS), { maxLength: 6 });

  it('GIVEN any text escaped and wrapped in style tags THEN it validates and visibleLength is its UTF-16 length', () => {
    fc.assert(
      fc.property(text, tagChain, (raw, tags) => {
        const html = tags.reduceRight((inner, tag) => `<${tag}>${inner}</${tag}>`, escapeText(raw));
        const result = checkTelegramHtml(html);
        expect(result.errors).toEqual([]);
        expect(result.plainText).toBe(raw);
        expect(result.visibleLength).toBe(raw.length);
        expect(result.entityCount).toBe(tags.length);
      }),
    );
  });

  it('GIVEN any text escaped into a link with an escaped URL THEN it validates as one entity', () => {
    fc.assert(
      fc.property(text, fc.webUrl(), (raw, url) => {
        const href = escapeText(url).replace(/"/g, '&quot;');
        const result = checkTelegramHtml(`<a href="${href}">${escapeText(raw)}</a>`);
        expect(result.errors).toEqual([]);
        expect(result.entityCount).toBe(1);
      }),
    );
  });

  it('GIVEN any text containing a raw <, > or & THEN it is rejected unless escaped', () => {
    const risky = fc.tuple(text, fc.constantFrom('<', '>', '&'), text).map(([a, c, b]) => `${a}${c} ${b}`);
    fc.assert(
      fc.property(risky, (raw) => {
        expect(checkTelegramHtml(raw).errors).not.toEqual([]);
        expect(checkTelegramHtml(escapeText(raw)).errors).toEqual([]);
      }),
    );
  });
});

describe('checkSendMessage', () => {
  const valid = {
    chat_id: -1001234567890,
    text: '<b>Issue 42</b> <a href="https://example.com">read</a>',
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: { inline_keyboard: [[{ text: '◀', callback_data: 'p:search:1' }, { text: 'Web', url: 'https://example.com' }]] },
  };

  it('GIVEN a well-formed HTML message with a keyboard THEN there are no errors', () => {
    expect(checkSendMessage(valid)).toEqual([]);
    expect(checkSendMessage({ chat_id: '@newsbot_channel', text: 'plain & simple' })).toEqual([]);
  });

  it('GIVEN a form-encoded request (objects as JSON strings) THEN it is decoded and checked', () => {
    expect(checkSendMessage({ ...valid, reply_markup: JSON.stringify(valid.reply_markup) })).toEqual([]);
    const bad = { inline_keyboard: [[{ text: 'x', callback_data: 'x'.repeat(65) }]] };
    expect(checkSendMessage({ ...valid, reply_markup: JSON.stringify(bad) })).toContain('BUTTON_DATA_INVALID');
  });

  it.each([
    ['no chat_id', { text: 'x' }, 'chat_id is empty'],
    ['no text', { chat_id: 1 }, 'message text is empty'],
    ['a MarkdownV2 parse mode', { chat_id: 1, text: 'x', parse_mode: 'MarkdownV2' }, /unsupported parse_mode/],
    ['broken HTML', { chat_id: 1, text: '<b>x', parse_mode: 'HTML' }, /^can't parse entities: Can't find end tag/],
    ['4097 visible characters', { chat_id: 1, text: 'x'.repeat(4097), parse_mode: 'HTML' }, 'message is too long'],
    ['a misspelt parameter', { chat_id: 1, text: 'x', parseMode: 'HTML' }, 'unknown parameter "parseMode"'],
    ['an unknown preview field', { chat_id: 1, text: 'x', link_preview_options: { disabled: true } }, /unknown field "disabled"/],
    ['a non-boolean preview flag', { chat_id: 1, text: 'x', link_preview_options: { is_disabled: 'yes' } }, /"is_disabled" has a wrong type/],
  ])('GIVEN %s THEN it reports Telegram\'s complaint', (_name, params, why) => {
    const errors = checkSendMessage(params);
    if (typeof why === 'string') expect(errors).toContain(why);
    else expect(errors.some((e) => why.test(e))).toBe(true);
  });

  it('GIVEN callback_data of 64 bytes THEN it passes, 65 bytes or multi-byte text over 64 bytes THEN BUTTON_DATA_INVALID', () => {
    const keyboard = (data: string) => ({ chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: data }]] } });
    expect(checkSendMessage(keyboard('x'.repeat(64)))).toEqual([]);
    expect(checkSendMessage(keyboard('x'.repeat(65)))).toContain('BUTTON_DATA_INVALID');
    // 22 characters, 66 bytes: the limit is in bytes, not characters.
    expect(checkSendMessage(keyboard('新'.repeat(22)))).toContain('BUTTON_DATA_INVALID');
    expect(checkSendMessage(keyboard(''))).toContain('BUTTON_DATA_INVALID');
  });

  it('GIVEN buttons with no action, two actions or a bad URL THEN each is reported', () => {
    const withButton = (button: Record<string, unknown>) => checkSendMessage({ chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[button]] } });
    expect(withButton({ text: 'x' }).join()).toMatch(/Text buttons are unallowed/);
    expect(withButton({ text: 'x', url: 'https://a.example', callback_data: 'a' }).join()).toMatch(/exactly one action/);
    expect(withButton({ text: 'x', url: 'ftp://a.example' })).toContain('BUTTON_URL_INVALID');
    expect(withButton({ text: '', callback_data: 'a' }).join()).toMatch(/Text must be a non-empty String/);
  });
});

describe('checkEditMessageText and checkAnswerInlineQuery', () => {
  it('GIVEN an edit without message_id THEN it is reported; with ids THEN it passes', () => {
    expect(checkEditMessageText({ chat_id: 1, text: 'x' })).toContain('message identifier is not specified');
    expect(checkEditMessageText({ chat_id: 1, message_id: 7, text: '<i>x</i>', parse_mode: 'HTML' })).toEqual([]);
    expect(checkEditMessageText({ inline_message_id: 'abc', text: 'x' })).toEqual([]);
  });

  it('GIVEN inline results THEN duplicate ids, missing titles and bad article HTML are reported', () => {
    const article = (id: string, text: string) => ({ type: 'article', id, title: 't', input_message_content: { message_text: text, parse_mode: 'HTML' } });
    expect(checkAnswerInlineQuery({ inline_query_id: 'q', results: [article('1', '<b>ok</b>')] })).toEqual([]);
    const errors = checkAnswerInlineQuery({
      inline_query_id: 'q',
      results: JSON.stringify([article('1', 'ok'), article('1', '<p>x</p>'), { type: 'article', id: '2', input_message_content: { message_text: 'y' } }]),
    });
    expect(errors).toContain('RESULT_ID_DUPLICATE');
    expect(errors).toContain('RESULT_TITLE_EMPTY');
    expect(errors.some((e) => /can't parse InputTextMessageContent: can't parse entities: Unsupported start tag "p"/.test(e))).toBe(true);
  });
});
