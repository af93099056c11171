import { embedLength, type APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDiscordMessage,
  checkInteractionResponse,
  discordMessageIssues,
  embedTotalLength,
} from './discord-payload.js';

const mentions = { allowed_mentions: { parse: [] } };
const msg = (extra: Record<string, unknown>) => ({ ...mentions, ...extra });
const button = (extra: Record<string, unknown>) => ({ type: 2, style: 1, label: 'Next', custom_id: 'next', ...extra });
const row = (...components: unknown[]) => ({ type: 1, components });

describe('checkDiscordMessage: good payloads', () => {
  it('GIVEN content at exactly 2,000 characters THEN there is no issue', () => {
    expect(checkDiscordMessage(msg({ content: 'x'.repeat(2000) }))).toEqual([]);
  });

  it('GIVEN a full embed at the per-field limits and two button rows THEN there is no issue', () => {
    const embed = {
      title: 't'.repeat(256),
      description: 'd'.repeat(1000),
      url: 'https://example.com/a',
      color: 0x5865f2,
      timestamp: '2025-01-02T03:04:05.000Z',
      fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024), inline: true }],
      footer: { text: 'f'.repeat(2048), icon_url: 'https://example.com/i.png' },
      author: { name: 'a'.repeat(256), url: 'http://example.com' },
      thumbnail: { url: 'attachment://thumb.png' },
    };
    const components = [
      row(button({ custom_id: 'p'.repeat(100), label: 'l'.repeat(80) }), button({ style: 5, url: 'https://x.example', custom_id: undefined })),
      row({ type: 3, custom_id: 'menu', options: [{ label: 'a', value: 'a' }] }),
    ];
    expect(checkDiscordMessage(msg({ embeds: [embed], components }))).toEqual([]);
  });

  it('GIVEN an edit with only components THEN emptiness is not an issue', () => {
    expect(checkDiscordMessage(msg({ components: [] }), { edit: true })).toEqual([]);
    expect(checkDiscordMessage(msg({}), { edit: true })).toEqual([]);
  });
});

describe('checkDiscordMessage: bad payloads', () => {
  const cases: Array<[string, unknown, string]> = [
    ['content of 2,001 characters', msg({ content: 'x'.repeat(2001) }), 'content: Must be 2000 or fewer'],
    ['content of 1,001 astral emoji (2,002 UTF-16 units)', msg({ content: '😀'.repeat(1001) }), 'content: Must be 2000 or fewer'],
    ['11 embeds', msg({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }), 'embeds: Must be 10 or fewer'],
    ['a title of 257', msg({ embeds: [{ title: 't'.repeat(257) }] }), 'embeds[0].title: Must be 256'],
    ['a description of 4,097', msg({ embeds: [{ description: 'd'.repeat(4097) }] }), 'embeds[0].description: Must be 4096'],
    ['26 fields', msg({ embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }), 'embeds[0].fields: Must be 25'],
    ['a field name of 257', msg({ embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] }), 'embeds[0].fields[0].name: Must be 256'],
    ['a field value of 1,025', msg({ embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }), 'embeds[0].fields[0].value: Must be 1024'],
    ['an empty field value', msg({ embeds: [{ fields: [{ name: 'n', value: '' }] }] }), 'embeds[0].fields[0].value: Must be 1 or more'],
    ['a footer of 2,049', msg({ embeds: [{ footer: { text: 'f'.repeat(2049) } }] }), 'embeds[0].footer.text: Must be 2048'],
    ['an author name of 257', msg({ embeds: [{ author: { name: 'a'.repeat(257) } }] }), 'embeds[0].author.name: Must be 256'],
    ['a javascript: embed url', msg({ embeds: [{ title: 't', url: 'javascript:alert(1)' }] }), 'embeds[0].url: Not a well formed URL'],
    ['an ftp image url', msg({ embeds: [{ image: { url: 'ftp://x/y.png' } }] }), 'embeds[0].image.url: Not a well formed URL'],
    [
      'two embeds of 3,001 characters each',
      msg({ embeds: [{ description: 'd'.repeat(3001) }, { description: 'd'.repeat(3000) }] }),
      'embeds: Embed size exceeds maximum size of 6000 (got 6001)',
    ],
    ['nothing to show', msg({}), 'Cannot send an empty message'],
    ['an empty embed', msg({ embeds: [{}] }), 'embeds[0]: Embed has nothing to show'],
    ['6 action rows', msg({ components: Array.from({ length: 6 }, (_, i) => row(button({ custom_id: `b${i}` }))) }), 'components: Must be 5 or fewer'],
    ['6 buttons in a row', msg({ components: [row(...Array.from({ length: 6 }, (_, i) => button({ custom_id: `b${i}` })))] }), 'components[0].components: Must be 5 or fewer'],
    ['a link button with a custom_id', msg({ components: [row(button({ style: 5, url: 'https://x.example' }))] }), 'components[0].components[0].custom_id: A link button cannot have a custom_id'],
    ['a link button without url', msg({ components: [row(button({ style: 5, custom_id: undefined }))] }), 'components[0].components[0].url: This field is required'],
    ['a primary button with a url', msg({ components: [row(button({ url: 'https://x.example' }))] }), 'components[0].components[0].url: Only link buttons'],
    ['a button without custom_id', msg({ components: [row(button({ custom_id: undefined }))] }), 'components[0].components[0].custom_id: This field is required'],
    ['a custom_id of 101', msg({ components: [row(button({ custom_id: 'c'.repeat(101) }))] }), 'custom_id: Must be 100 or fewer'],
    ['an empty custom_id', msg({ components: [row(button({ custom_id: '' }))] }), 'custom_id: Must be 1 or more'],
    ['a label of 81', msg({ components: [row(button({ label: 'l'.repeat(81) }))] }), 'components[0].components[0].label: Must be 80 or fewer'],
    ['duplicate custom_ids', msg({ components: [row(button({}), button({}))] }), 'components[0].components[1].custom_id: Component custom id cannot be duplicated'],
    ['a non-row top-level component', { ...mentions, components: [button({})] }, 'components[0]: Top-level components must be action rows'],
    ['no allowed_mentions', { content: 'hi' }, 'allowed_mentions: Must be present'],
    ['allowed_mentions parsing everyone', { content: 'hi', allowed_mentions: { parse: ['users', 'everyone'] } }, 'allowed_mentions.parse: Must not allow "everyone" or "roles": newsbot policy'],
    ['allowed_mentions listing roles', { content: 'hi', allowed_mentions: { roles: ['1'] } }, 'allowed_mentions.roles: Must not list roles'],
    ['not an object', 'hello', 'The payload must be a JSON object'],
  ];
  for (const [what, payload, expected] of cases) {
    it(`GIVEN ${what} THEN it reports "${expected}"`, () => {
      const issues = checkDiscordMessage(payload);
      expect(issues.some((i) => i.includes(expected)), issues.join('\n')).toBe(true);
    });
  }

  it('GIVEN a bad field THEN the structured issue carries Discord error code and path', () => {
    const issues = discordMessageIssues(msg({ embeds: [{ title: 'x'.repeat(300) }] }));
    expect(issues).toEqual([expect.objectContaining({ path: 'embeds[0].title', code: 'BASE_TYPE_MAX_LENGTH' })]);
  });
});

describe('checkInteractionResponse', () => {
  it('GIVEN a reply, a defer, an update and 25 autocomplete choices THEN there is no issue', () => {
    expect(checkInteractionResponse({ type: 4, data: msg({ content: 'hi', flags: 64 }) })).toEqual([]);
    expect(checkInteractionResponse({ type: 5, data: { flags: 64 } })).toEqual([]);
    expect(checkInteractionResponse({ type: 7, data: msg({ components: [] }) })).toEqual([]);
    const choices = Array.from({ length: 25 }, (_, i) => ({ name: `Issue ${i}`, value: String(i) }));
    expect(checkInteractionResponse({ type: 8, data: { choices } })).toEqual([]);
  });

  it('GIVEN 26 choices, an empty reply or an unknown type THEN each is reported', () => {
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `${i}` }));
    expect(checkInteractionResponse({ type: 8, data: { choices } })).toEqual(['data.choices: Must be 25 or fewer in length (got 26)']);
    expect(checkInteractionResponse({ type: 4, data: msg({}) })).toEqual(['data: Cannot send an empty message']);
    expect(checkInteractionResponse({ type: 42 })).toEqual(['type: Unknown interaction callback type 42']);
    expect(checkInteractionResponse({ type: 8, data: { choices: [{ name: '', value: 'x'.repeat(101) }] } })).toEqual([
      'data.choices[0].name: Must be 1 or more in length',
      'data.choices[0].value: Must be 100 or fewer in length (got 101)',
    ]);
  });
});

describe('embedTotalLength', () => {
  const text = (max: number) => fc.string({ unit: 'binary', maxLength: max });
  const embedArb: fc.Arbitrary<APIEmbed> = fc.record(
    {
      title: text(300),
      description: text(5000),
      url: fc.constant('https://example.com'),
      fields: fc.array(fc.record({ name: text(300), value: text(1100), inline: fc.boolean() }), { maxLength: 30 }),
      footer: fc.record({ text: text(2100) }),
      author: fc.record({ name: text(300) }),
    },
    { requiredKeys: [] },
  );

  it('GIVEN random embeds, including astral characters THEN it equals discord.js embedLength()', () => {
    fc.assert(fc.property(embedArb, (embed) => embedTotalLength(embed) === embedLength(embed)), { numRuns: 300 });
  });

  it('GIVEN random embeds THEN the 6,000 total is reported exactly when embedLength() exceeds it', () => {
    fc.assert(
      fc.property(fc.array(embedArb, { minLength: 1, maxLength: 3 }), (embeds) => {
        const total = embeds.reduce((sum, e) => sum + embedLength(e), 0);
        const reported = checkDiscordMessage(msg({ embeds })).some((i) => i.startsWith('embeds: Embed size exceeds'));
        return reported === total > 6000;
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN non-embeds THEN it counts 0 instead of throwing', () => {
    expect(embedTotalLength(null)).toBe(0);
    expect(embedTotalLength({ title: 5, fields: [null, { name: 'ab' }] })).toBe(2);
  });
});
