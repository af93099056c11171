import { afterEach, describe, expect, it } from 'vitest';
import { itemsOf } from '../../../src/issue/model.js';
import { checkAnswerInlineQuery, parseTelegramHtml } from '../../validators/telegram-html.js';
import type { PushInlineQueryOptions } from '../../fakes/telegram-api.js';
import { handled, startBot, type BotHarness } from './bot-support.js';

interface Article {
  type: string;
  id: string;
  title: string;
  description?: string;
  input_message_content: { message_text: string; parse_mode: string };
}

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Types `@ourbot <query>` and returns what the bot answered. */
async function inline(h: BotHarness, options: PushInlineQueryOptions) {
  const update = h.fake.pushInlineQuery(options);
  const answer = await h.fake.waitFor('answerInlineQuery', (r) => r.params.inline_query_id === update.inline_query.id);
  await handled(h, update);
  expect(answer.status).toBe(200);
  expect(checkAnswerInlineQuery(answer.params)).toEqual([]);
  return { params: answer.params, results: answer.params.results as Article[] };
}

describe('Telegram inline mode (@ourbot query)', () => {
  it('GIVEN "@ourbot nerf" THEN the hits come back as articles whose message is the item in HTML with its link', async () => {
    harness = await startBot();
    const { fake, core } = harness;
    const found = core.search.search('nerf', { pageSize: 20 });
    if (!found.ok) throw new Error('search failed');
    const { params, results } = await inline(harness, { query: 'nerf', languageCode: 'en' });
    expect(results.map((r) => r.title)).toEqual(found.hits.map((h) => h.title));
    const [first] = results;
    const hit = found.hits[0];
    expect(first?.type).toBe('article');
    expect(first?.description).toContain(hit?.date ?? '?');
    expect(first?.input_message_content.parse_mode).toBe('HTML');
    const shown = parseTelegramHtml(first?.input_message_content.message_text ?? '');
    expect(shown.plainText).toContain(hit?.title ?? '?');
    if (hit?.url) expect(first?.input_message_content.message_text).toContain(`href="${hit.url.replaceAll('&', '&amp;')}"`);
    expect(params.cache_time).toBeLessThanOrEqual(60);
    expect(params.next_offset ?? '').toBe('');
  });

  it('GIVEN an empty inline query THEN the latest issue\'s items are offered, in order', async () => {
    harness = await startBot();
    const { fake, core } = harness;
    const latest = core.library.latest();
    if (!latest) throw new Error('fixtures hold issues');
    const { results } = await inline(harness, { query: '' });
    const titles = itemsOf(latest).map(({ item }) => item.title);
    expect(results.length).toBe(Math.min(20, titles.length));
    // Long titles are shortened with "…": each article's title is the start of its item's.
    results.forEach((r, i) => expect(titles[i]?.startsWith(r.title.replace(/…$/, ''))).toBe(true));
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
  });

  it('GIVEN many hits THEN results come 20 at a time, continued through next_offset until it is empty', async () => {
    harness = await startBot();
    const { fake, core } = harness;
    const total = core.search.search('模型');
    if (!total.ok) throw new Error('search failed');
    const seen: string[] = [];
    let offset = '';
    for (let guard = 0; guard < 10; guard++) {
      const { params, results } = await inline(harness, { query: '模型', offset, languageCode: 'zh' });
      expect(results.length).toBeLessThanOrEqual(20);
      seen.push(...results.map((r) => r.id));
      offset = String(params.next_offset ?? '');
      if (offset === '') break;
    }
    expect(seen).toHaveLength(total.total);
    expect(new Set(seen).size).toBe(total.total);
  });

  it('GIVEN a query that matches nothing THEN the bot still answers, with no results', async () => {
    harness = await startBot();
    const { results } = await inline(harness, { query: 'zzqqxxnotaword' });
    expect(results).toEqual([]);
  });
});
