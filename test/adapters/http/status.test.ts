import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../../adapters/http/ops-routes.js';
import { HOSTILE_TITLE, hostileIssue } from './hostile-issue.js';
import { startOpsBot, until, type OpsBot } from './ops-harness.js';

let bot: OpsBot | null = null;
afterEach(async () => {
  await bot?.close();
  bot = null;
});

const TOKEN = 'status-token-for-tests-0123456789';

describe('/status', () => {
  it('GIVEN no STATUS_TOKEN THEN there is no page (404), whatever token is sent', async () => {
    bot = await startOpsBot();
    expect((await fetch(`${bot.base()}/status`)).status).toBe(404);
    expect((await fetch(`${bot.base()}/status?token=${TOKEN}`)).status).toBe(404);
  });

  it('GIVEN STATUS_TOKEN WHEN the token is missing, wrong or a prefix THEN 401 with no data; WHEN right (query or Bearer) THEN the page', async () => {
    bot = await startOpsBot({ STATUS_TOKEN: TOKEN });
    const base = bot.base();
    for (const bad of ['', '?token=', '?token=wrong', `?token=${TOKEN.slice(0, -1)}`, `?token=${TOKEN}x`]) {
      const res = await fetch(`${base}/status${bad}`);
      expect(res.status, bad).toBe(401);
      expect(await res.text()).not.toContain('Subscriptions');
    }
    expect((await fetch(`${base}/status`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const byQuery = await fetch(`${base}/status?token=${TOKEN}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(byQuery.headers.get('cache-control')).toBe('no-store');
    expect(byQuery.headers.get('content-security-policy')).toContain("default-src 'none'");
    const byHeader = await fetch(`${base}/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(byHeader.status).toBe(200);
  });

  it('GIVEN an issue whose title and item try to inject markup, and a paused chat whose reason does THEN every one is escaped and the secrets are redacted', async () => {
    bot = await startOpsBot({ STATUS_TOKEN: TOKEN });
    writeFileSync(join(bot.issuesDir, 'AI简报20261201.md'), hostileIssue(`leak ${TOKEN} and ${bot.fake.token}`));
    await until(() => bot!.core.library.get('20261201') !== null, 'the hostile issue to load');
    await bot.service().subscribe({ platform: 'telegram', chatId: '-1001', threadId: null }, { by: 'test' });
    await bot.store.subscriptions.pause('telegram', '-1001', '<script>window.pwned=5</script>', Date.now());

    const html = await (await fetch(`${bot.base()}/status?token=${TOKEN}`)).text();
    // No tag or attribute of theirs survives: only their text, escaped.
    expect(html).not.toMatch(/<script|<img|<b[ >]|onerror="|onmouseover="|<h1>forged/i);
    expect(html).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('&lt;script&gt;window.pwned=5&lt;/script&gt;');
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain(bot.fake.token);
    expect(HOSTILE_TITLE).toContain('<script>');
  });

  it('GIVEN tokens of every length THEN only the exact one matches', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect([null, '', 'x', TOKEN.slice(1), `${TOKEN} `, TOKEN.toUpperCase()].map((t) => tokenMatches(TOKEN, t))).toEqual([false, false, false, false, false, false]);
  });
});
