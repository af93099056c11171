import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bold, link, text, toHtml, type Run } from '../../../adapters/telegram/html.js';
import { packUnits, splitRuns, type Limits } from '../../../adapters/telegram/pack.js';
import { checkTelegramHtml } from '../../validators/telegram-html.js';

const small: Limits = { maxLength: 40, maxEntities: 3 };
const plain = (runs: Run[]) => runs.map((r) => r.text).join('');

describe('Telegram packing with small limits', () => {
  it('GIVEN blocks that fit together THEN they share a message, joined by their gap', () => {
    const messages = packUnits([{ runs: bold('one'), gap: '' }, { runs: text('two'), gap: '\n\n' }], small);
    expect(messages.map((m) => toHtml(m).html)).toEqual(['<b>one</b>\n\ntwo']);
  });

  it('GIVEN a block that would overflow THEN it starts the next message whole', () => {
    const messages = packUnits([{ runs: text('a'.repeat(30)), gap: '' }, { runs: text('b'.repeat(20)), gap: '\n' }], small);
    expect(messages.map(plain)).toEqual(['a'.repeat(30), 'b'.repeat(20)]);
  });

  it('GIVEN blocks over the entity limit together THEN they are packed apart', () => {
    const units = [0, 1, 2].map((i) => ({ runs: bold(link(`https://e.example/${i}`, `L${i}`)), gap: ' ' }));
    const messages = packUnits(units, small);
    expect(messages.map((m) => toHtml(m).entities)).toEqual([2, 2, 2]);
  });

  it('GIVEN an alone block THEN nothing joins its message', () => {
    const messages = packUnits([{ runs: text('head'), gap: '', alone: true }, { runs: text('x'), gap: '\n' }], small);
    expect(messages.map(plain)).toEqual(['head', 'x']);
  });

  it('GIVEN a long bold link THEN each piece reopens the tags and the text survives', () => {
    const runs = bold('Title: ', link('https://e.example/?a=1&b=2', 'word '.repeat(20)));
    const pieces = splitRuns(runs, small);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      const html = toHtml(piece).html;
      expect(checkTelegramHtml(html).errors).toEqual([]);
      expect(checkTelegramHtml(html).visibleLength).toBeLessThanOrEqual(40);
    }
    expect(toHtml(pieces[1]!).html.startsWith('<b><a href="https://e.example/?a=1&amp;b=2">')).toBe(true);
    expect(pieces.map(plain).join(' ').replace(/\s+/g, ' ')).toBe(plain(runs).trim().replace(/\s+/g, ' '));
  });

  it('GIVEN a line of many links THEN it is cut before the entity limit is passed', () => {
    const runs = Array.from({ length: 10 }, (_, i) => [...link(`https://e.example/${i}`, `${i}`), ...text(' ')]).flat();
    const pieces = splitRuns(runs, small);
    for (const piece of pieces) expect(toHtml(piece).entities).toBeLessThanOrEqual(3);
    expect(pieces.map(plain).join(' ')).toBe('0 1 2 3 4 5 6 7 8 9');
  });

  it('GIVEN any runs and limits THEN every piece fits and no visible character is lost', () => {
    const run = fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 30 }), marks: fc.constantFrom<'b' | 'a' | ''>('b', 'a', '') });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 30 }), fc.integer({ min: 8, max: 60 }), fc.integer({ min: 2, max: 6 }), (specs, maxLength, maxEntities) => {
        const runs = specs.flatMap((s) => (s.marks === 'b' ? bold(s.text) : s.marks === 'a' ? link('https://e.example/x', s.text) : text(s.text)));
        const pieces = splitRuns(runs, { maxLength, maxEntities });
        for (const piece of pieces) {
          const html = toHtml(piece);
          expect(html.length).toBeLessThanOrEqual(maxLength);
          expect(html.entities).toBeLessThanOrEqual(maxEntities);
        }
        expect(pieces.map(plain).join('').replace(/\s/g, '')).toBe(plain(runs).replace(/\s/g, ''));
      }),
      { numRuns: 300 },
    );
  });
});
