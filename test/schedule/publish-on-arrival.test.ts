/**
 * PUBLISH_ON_ARRIVAL end to end on real time: a real watched IssueLibrary in a temp folder feeds a
 * real DeliveryService (SQLite file, outbox, worker) sending to a recording port. The settle waits
 * run on an injected clock the test releases, so "the copy paused" never races real time.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestBuilder } from '../../src/delivery/outbox.js';
import { itemsOf } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library.js';
import type { ChatRef } from '../../src/platform.js';
import { makeHarness, type Harness } from '../fakes/delivery-harness.js';
import { drain, HeldClock, until } from '../support/watched-folder.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const items = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `## ${from + i}. [Item ${from + i}](https://example.org/${from + i})\n\nSummary ${from + i}.\n\n`).join('');

describe('publish on arrival', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  it('GIVEN PUBLISH_ON_ARRIVAL WHEN an issue file is copied in with a pause halfway THEN each chat is sent the complete issue, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbot-arrival-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = new HeldClock();
    const library = await IssueLibrary.open(dir, { debounceMs: 30, settleMs: 1_000, clock });
    cleanups.push(() => library.close());
    /** The number of items of each issue version queued for delivery. */
    const queuedItems: number[] = [];
    const build = digestBuilder();
    const h: Harness = makeHarness({
      issues: library,
      publishOnArrival: true,
      buildDigest: (issue, mode) => {
        queuedItems.push(itemsOf(issue).length);
        return build(issue, mode);
      },
    });
    cleanups.push(() => h.close());
    h.service.subscribe(chat('1'), { schedule: 'off', by: 'telegram:1' });
    h.service.subscribe(chat('2'), { schedule: 'off', by: 'telegram:1' });
    h.service.start();

    const fd = openSync(join(dir, 'AI简报20300101.md'), 'w');
    cleanups.push(() => closeSync(fd));
    writeSync(fd, `# AI\n\n${items(1, 2)}`);
    await until(() => clock.pending > 0 || queuedItems.length > 0, 'the watcher to look at the half-copied file');
    writeSync(fd, items(3, 8));
    await until(() => {
      clock.release();
      return h.port.delivered('1').length === 3 && h.port.delivered('2').length === 3;
    }, 'both chats to receive the issue');
    await drain(library, clock);
    await h.service.idle();

    // Every version queued (one build per chat group) was the whole issue.
    expect([...new Set(queuedItems)]).toEqual([8]);
    for (const id of ['1', '2']) expect(h.port.delivered(id)).toEqual(['20300101#0', '20300101#1', '20300101#2']);
  });
});
