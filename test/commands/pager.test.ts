import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_CHARS as DISCORD_CUSTOM_ID_CHARS } from '../../adapters/discord/settings.js';
import { CALLBACK_DATA_BYTES as TELEGRAM_CALLBACK_BYTES } from '../../adapters/telegram/settings.js';
import { commandForPage, createPageCodec } from '../../src/commands/pager.js';
import type { Reply } from '../../src/commands/types.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function fixedKeys() {
  let n = 0;
  return () => `key${String(++n).padStart(5, '0')}`;
}

describe('page codec', () => {
  it('GIVEN an archive page THEN it round-trips', () => {
    const codec = createPageCodec();
    expect(codec.decode(codec.encode({ kind: 'archive', page: 3 }))).toEqual({ kind: 'archive', page: 3 });
  });

  it('GIVEN a short ASCII query THEN it is carried inline and needs no memory', () => {
    const codec = createPageCodec();
    const data = codec.encode({ kind: 'search', page: 2, query: 'nerf' });
    expect(data).toContain('nerf');
    expect(codec.size()).toBe(0);
    expect(createPageCodec().decode(data)).toEqual({ kind: 'search', page: 2, query: 'nerf' });
  });

  it('GIVEN a query too long for the budget THEN it is stored under a short key within 64 bytes', () => {
    const codec = createPageCodec({ randomKey: fixedKeys() });
    const query = '视觉 Transformer 轻量化 目标检测 语义分割 实例分割 表格识别';
    const data = codec.encode({ kind: 'search', page: 12, query });
    expect(bytes(data)).toBeLessThanOrEqual(TELEGRAM_CALLBACK_BYTES);
    expect(codec.size()).toBe(1);
    expect(codec.decode(data)).toEqual({ kind: 'search', page: 12, query });
  });

  it('GIVEN the same long query twice THEN both buttons share one stored key', () => {
    const codec = createPageCodec({ randomKey: fixedKeys() });
    const query = 'x'.repeat(80);
    const a = codec.encode({ kind: 'search', page: 1, query });
    const b = codec.encode({ kind: 'search', page: 2, query });
    expect(codec.size()).toBe(1);
    expect(codec.decode(a)?.query).toBe(query);
    expect(codec.decode(b)?.page).toBe(2);
  });

  it('GIVEN a stored key past its TTL THEN it decodes to null (expired)', () => {
    let now = 1_000_000;
    const codec = createPageCodec({ ttlMs: 60_000, now: () => now, randomKey: fixedKeys() });
    const data = codec.encode({ kind: 'search', page: 1, query: '很长的中文查询'.repeat(5) });
    now += 59_999;
    expect(codec.decode(data)).not.toBeNull();
    now += 2;
    expect(codec.decode(data)).toBeNull();
    expect(codec.size()).toBe(0);
  });

  it('GIVEN a key from another process (restart) THEN it decodes to null', () => {
    const data = createPageCodec({ randomKey: fixedKeys() }).encode({ kind: 'search', page: 1, query: 'q'.repeat(100) });
    expect(createPageCodec().decode(data)).toBeNull();
  });

  it('GIVEN more stored queries than allowed THEN the oldest are forgotten', () => {
    const codec = createPageCodec({ maxEntries: 2, randomKey: fixedKeys() });
    const [a, b, c] = ['a', 'b', 'c'].map((l) => codec.encode({ kind: 'search', page: 1, query: l.repeat(90) }));
    expect(codec.size()).toBe(2);
    expect(codec.decode(a as string)).toBeNull();
    expect(codec.decode(b as string)?.query).toBe('b'.repeat(90));
    expect(codec.decode(c as string)?.query).toBe('c'.repeat(90));
  });

  it.each([
    'pg:a:0',
    'pg:a:-1',
    'pg:a:1.5',
    'pg:a:01',
    'pg:a:9999999',
    'pg:a:2:extra',
    'pg:s:2:',
    'pg:s:x:nerf',
    'pg:k:1:nosuchkey',
    'pg:k:1:../../etc',
    'pg:z:1',
    'latest',
    '',
    'pg:s:1:a\u0000b',
  ])('GIVEN forged or malformed data %j THEN it decodes to null', (data) => {
    expect(createPageCodec().decode(data)).toBeNull();
  });

  it('GIVEN any query and page THEN the data fits both platforms and round-trips', () => {
    const codec = createPageCodec();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'binary' }), fc.integer({ min: 1, max: 100_000 }), (query, page) => {
        const data = codec.encode({ kind: 'search', page, query });
        expect(bytes(data)).toBeLessThanOrEqual(TELEGRAM_CALLBACK_BYTES);
        expect(data.length).toBeLessThanOrEqual(DISCORD_CUSTOM_ID_CHARS);
        expect(codec.decode(data)).toEqual({ kind: 'search', page, query });
      }),
    );
  });

  it('GIVEN a Discord budget of 100 THEN a longer query still travels inline', () => {
    const codec = createPageCodec();
    const query = 'a'.repeat(80);
    expect(codec.encode({ kind: 'search', page: 1, query }, DISCORD_CUSTOM_ID_CHARS)).toContain(query);
    expect(codec.size()).toBe(0);
  });
});

describe('page buttons for a reply', () => {
  const searchReply = (page: number, pageCount: number): Reply => ({
    kind: 'search',
    language: 'en',
    view: { query: 'nerf', page, pageCount, pageSize: 5, total: pageCount * 5, hits: [], suggestions: [] },
  });

  it('GIVEN the middle page THEN both buttons lead to the neighbouring pages', () => {
    const codec = createPageCodec();
    const buttons = codec.buttonsFor(searchReply(2, 3));
    expect(codec.decode(buttons?.prev ?? '')).toEqual({ kind: 'search', page: 1, query: 'nerf' });
    expect(codec.decode(buttons?.next ?? '')).toEqual({ kind: 'search', page: 3, query: 'nerf' });
  });

  it('GIVEN the first and last pages THEN the missing direction is null', () => {
    const codec = createPageCodec();
    expect(codec.buttonsFor(searchReply(1, 3))?.prev).toBeNull();
    expect(codec.buttonsFor(searchReply(3, 3))?.next).toBeNull();
  });

  it('GIVEN a single page or a text reply THEN there are no buttons', () => {
    const codec = createPageCodec();
    expect(codec.buttonsFor(searchReply(1, 1))).toBeNull();
    expect(codec.buttonsFor({ kind: 'text', tone: 'info', body: [], language: 'zh' })).toBeNull();
  });

  it('GIVEN an archive page THEN its buttons page the archive', () => {
    const codec = createPageCodec();
    const reply: Reply = { kind: 'archive', language: 'zh', view: { page: 1, pageCount: 4, total: 35, entries: [] } };
    expect(codec.decode(codec.buttonsFor(reply)?.next ?? '')).toEqual({ kind: 'archive', page: 2 });
  });
});

describe('commandForPage', () => {
  it('GIVEN a search page THEN the command carries the query and the page apart, the text being the query alone', () => {
    expect(commandForPage({ kind: 'search', page: 3, query: 'Qwen 开源' })).toEqual({
      name: 'search',
      args: ['Qwen', '开源'],
      text: 'Qwen 开源',
      options: { query: 'Qwen 开源', page: 3 },
    });
    expect(commandForPage({ kind: 'search', page: 2, query: 'ICCV 2021' }).options).toEqual({ query: 'ICCV 2021', page: 2 });
  });

  it('GIVEN an archive page THEN it is /issues <page>', () => {
    expect(commandForPage({ kind: 'archive', page: 2 })).toEqual({ name: 'issues', args: ['2'], text: '2', options: { page: 2 } });
  });
});
