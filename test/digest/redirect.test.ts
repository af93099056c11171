/**
 * Tracking redirects end to end over an invented issue: the digest labels and search go by the
 * redirect's target, while the link a platform receives stays the newsletter's own redirect.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTelegramDigest } from '../../adapters/telegram/render.js';
import type { Core } from '../../src/app.js';
import type { Reply } from '../../src/commands/types.js';
import { buildDigest, linkKind, linkLabel } from '../../src/digest/digest.js';
import { ask, openCore, textOf } from '../commands/support.js';
import { hrefs, visible } from '../adapters/telegram/render-support.js';

const DIR = resolve(import.meta.dirname, '../fixtures/issues/redirects');
const PARSER_REDIRECT = 'https://click.example.com/r?url=https%3A%2F%2Fquokka.example.org%2Fblog%2Ffaster-parser&uid=7';

function hitTitles(reply: Reply): string[] {
  if (reply.kind !== 'search') throw new Error(`expected search results, got ${JSON.stringify(reply)}`);
  return reply.view.hits.map((h) => h.title);
}

describe('tracking redirects in an issue', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore(DIR);
  });
  afterAll(() => core.close());

  const digest = async () => {
    const issue = await core.library.get('20261201');
    if (!issue) throw new Error('fixture issue not loaded');
    return buildDigest(issue, 'full');
  };

  it('GIVEN two "Demo" links through one tracker WHEN the digest labels them THEN each is told apart by its target host', async () => {
    const item = (await digest()).sections[0]!.items[0]!;
    expect(item.links.map((l) => linkLabel(l, 'en'))).toEqual(['Demo: wombat.example.net', 'Demo: numbat.example.com']);
  });

  it('GIVEN the redirect item WHEN /search by a word of its target host THEN it is found, and the tracker host finds nothing', async () => {
    expect(hitTitles(await ask(core, '/search quokka'))).toEqual(['A faster parser ships']);
    expect(hitTitles(await ask(core, '/search wombat'))).toEqual(['A faster parser ships']);
    const tracker = await ask(core, '/search click', { language: 'en' });
    expect(tracker.kind).toBe('text');
    expect(textOf(tracker)).not.toContain('A faster parser ships');
  });

  it('GIVEN the digest rendered for Telegram THEN the hrefs are the original redirects and the labels name the targets', async () => {
    const messages = renderTelegramDigest(await digest(), 'en');
    const links = hrefs(messages);
    expect(links).toContain(PARSER_REDIRECT);
    expect(links).toContain('https://click.example.com/r?target=https%3A%2F%2Fwombat.example.net%2Fdemo');
    expect(links).toContain('https://click.example.com/r?target=https%3A%2F%2Fnumbat.example.com%2Fplay');
    expect(links).not.toContain('https://quokka.example.org/blog/faster-parser');
    expect(visible(messages)).toContain('Demo: wombat.example.net');
  });
});

describe('linkKind of a tracking redirect', () => {
  it('GIVEN a tracker link whose target is a GitHub repository (as link.zhihu.com/?target= in the archive) THEN it is a GitHub link', () => {
    const link = { label: '链接', url: 'https://click.example.com/r?target=https%3A//github.com/example/repo' };
    expect(linkKind(link)).toBe('github');
    expect(linkLabel(link, 'zh')).toBe('GitHub');
  });
});
