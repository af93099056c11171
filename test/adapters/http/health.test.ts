import { afterEach, describe, expect, it } from 'vitest';
import { startOpsBot, type OpsBot } from './ops-harness.js';

let bot: OpsBot | null = null;
afterEach(async () => {
  await bot?.close();
  bot = null;
});

const get = async (base: string, path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as { status: string; reasons?: string[] } };
};

describe('/healthz and /readyz through start, ready and shutdown', () => {
  it('GIVEN the server listening before the platform connects WHEN the adapter starts and the app stops THEN /readyz goes 503 → 200 → 503 while /healthz stays 200, and nothing answers once closed', async () => {
    bot = await startOpsBot();
    const base = bot.base();

    // Listening, library and store open, Telegram not connected yet.
    const starting = await get(base, '/readyz');
    expect(starting.status).toBe(503);
    expect(starting.body.reasons).toContain('telegram not connected');
    expect((await get(base, '/healthz')).status).toBe(200);

    const app = await bot.run();
    await bot.core.library.whenLoaded();
    const ready = await get(base, '/readyz');
    expect(ready).toEqual({ status: 200, body: { status: 'ready', reasons: [] } });
    expect((await get(base, '/healthz')).body.status).toBe('ok');

    // Shutdown: the services stop first, so /readyz says so while the server still answers.
    await app.stop();
    const stopping = await get(base, '/readyz');
    expect(stopping.status).toBe(503);
    expect(stopping.body.reasons).toContain('stopping');
    expect((await get(base, '/healthz')).status).toBe(200);

    await bot.ops.close();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('GIVEN an unknown path or a POST to /metrics THEN 404 and 405', async () => {
    bot = await startOpsBot();
    expect((await fetch(`${bot.base()}/nope`)).status).toBe(404);
    expect((await fetch(`${bot.base()}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
