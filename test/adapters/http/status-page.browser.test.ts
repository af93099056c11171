import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TITLE, hostileIssue } from './hostile-issue.js';
import { startOpsBot, until, type OpsBot } from './ops-harness.js';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. Playwright never downloads one. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => typeof p === 'string' && existsSync(p)) ?? null;
const TOKEN = 'status-token-for-browser-0123456789';

let browser: Browser | null = null;
let bot: OpsBot | null = null;
beforeAll(async () => {
  if (CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await bot?.close();
  bot = null;
});

describe.skipIf(CHROMIUM === null)(`the status page in a real browser${CHROMIUM ? '' : ' (SKIPPED: no chromium at /usr/bin/chromium or CHROMIUM_PATH)'}`, () => {
  it('GIVEN delivered, failed and paused chats and a hostile issue WHEN an operator opens /status on a phone THEN it reads as a page (no sideways scroll), shows what they look for, and runs none of the issue text', async () => {
    bot = await startOpsBot({ STATUS_TOKEN: TOKEN, MAX_ATTEMPTS: '1' });
    await bot.run();
    writeFileSync(join(bot.issuesDir, 'AI简报20261201.md'), hostileIssue());
    await until(() => bot!.core.library.latest()?.id === '20261201', 'the hostile issue to be the latest');
    const service = bot.service();
    const chat = (id: string) => ({ platform: 'telegram' as const, chatId: id, threadId: null });
    for (const id of ['3001', '3002', '-1003003']) await service.subscribe(chat(id), { by: 'test', timezone: 'Asia/Shanghai' });
    bot.fake.fault({ kind: 'server_error', status: 502 }, { chatId: 3002 });
    bot.fake.fault({ kind: 'kicked' }, { chatId: -1003003 });
    await service.broadcast('20261201', { by: 'test' });
    await until(async () => (await bot!.store.ops.outbox()).unsent === 0, 'the broadcast to finish');

    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const response = await page.goto(`${bot.base()}/status?token=${TOKEN}`);
    expect(response?.status()).toBe(200);

    // What a person looks for first: is it up, did the post go out, what is stuck.
    await expect.poll(() => page.locator('h1').innerText()).toContain('newsbot status');
    expect(await page.locator('h1 .badge').innerText()).toBe('ready');
    const glance = await page.locator('ul.facts').innerText();
    expect(glance).toMatch(/\d+ parts sent, 2 failed for good/);
    expect(glance).toContain('1 paused subscriptions');
    const issueHeading = page.locator('h3', { hasText: 'Issue 20261201' });
    expect(await issueHeading.innerText()).toContain('1 of 3 chats complete');
    // Each chat's row, its error in words on the line below it.
    const delivered = (await page.locator('table').first().innerText()).replace(/\s+/g, ' ');
    expect(delivered).toMatch(/telegram 3002 failed \d+ 0 1 [^]*?502/);
    expect(delivered).toMatch(/telegram -1003003 failed 0 0 \d+ [^]*?kicked/);
    expect(delivered).toMatch(/telegram 3001 sent \d+ 0 0/);
    const subscriptions = (await page.locator('h2', { hasText: 'Subscriptions' }).locator('xpath=following-sibling::div[1]').innerText()).replace(/\s+/g, ' ');
    expect(subscriptions).toMatch(/telegram -1003003 paused 0 8 \* \* \* Asia\/Shanghai — .*kicked/);
    expect(subscriptions).toMatch(/telegram 3001 active 0 8 \* \* \* Asia\/Shanghai \d+ \w+ \d{4}, 08:00/);
    // One instance on SQLite: the page says so rather than listing instances and leases.
    const instances = page.locator('h2', { hasText: 'Instances' }).locator('xpath=following-sibling::p[1]');
    expect(await instances.innerText()).toBe('One instance (SQLite): it holds every role.');
    // The hostile title is shown as text, exactly, and nothing of it ran.
    const titleCell = page.locator('td', { hasText: HOSTILE_TITLE });
    expect(await titleCell.count()).toBe(1);
    expect((await titleCell.innerText()).split('\n')[0]).toBe(HOSTILE_TITLE);
    // (Expressions as strings: they run in the page; this project's types have no DOM.)
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.evaluate('document.scripts.length + document.images.length')).toBe(0);
    expect(dialogs).toEqual([]);
    // Readable on a phone: the page itself never scrolls sideways (wide tables scroll in their box), text is not tiny.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.evaluate('parseFloat(getComputedStyle(document.body).fontSize)')).toBeGreaterThanOrEqual(14);

    // Kept for a person to look at (the test's own temp folder, left in place).
    const shots = mkdtempSync(join(tmpdir(), 'newsbot-status-page-'));
    const shot = join(shots, 'status-phone.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    console.info(`status page screenshot: ${shot}`);
    await page.close();
  }, 60_000);
});
