/**
 * PUBLISH_ON_ARRIVAL end to end on real time: a real watched IssueLibrary in a temp folder feeds a
 * real delivery facade (SQLite file, outbox, worker) sending to a recording port. The settle waits
 * run on an injected clock the test releases, so "the copy paused" never races real time.
 */
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestBuilder } from '../../src/digest/builder.js';
import type { DeliveryDeps } from '../../src/delivery/parts.js';
import { itemsOf } from '../../src/issue/model.js';
import { IssueLibrary } from '../../src/library/library.js';
import type { ChatRef } from '../../src/platform.js';
import { makeHarness, type Harness } from '../fakes/delivery-harness.js';
import { drain, HeldClock, until } from '../support/watched-folder.js';

const chat = (chatId: string): ChatRef => ({ platform: 'telegram', chatId, threadId: null });
const items = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `## ${from + i}. [Item ${from + i}](https://example.org/${from + i})\n\nSummary ${from + i}.\n\n`).join('');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

/** A watched library in a temp folder feeding a started service with PUBLISH_ON_ARRIVAL and chats 1 and 2 subscribed. */
async function arrivalSetup(overrides: Partial<DeliveryDeps> = {}): Promise<{ dir: string; clock: HeldClock; library: IssueLibrary; h: Harness }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-arrival-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new HeldClock();
  const library = await IssueLibrary.open(dir, { debounceMs: 30, settleMs: 1_000, clock });
  cleanups.push(() => library.close());
  const h = makeHarness({ issues: library, publishOnArrival: true, ...overrides });
  cleanups.push(() => h.close());
  for (const id of ['1', '2']) await h.service.subscribe(chat(id), { schedule: 'off', by: 'telegram:1' });
  await h.service.start();
  return { dir, clock, library, h };
}

/** Writes `text` to `rel` in one step, as an editor that saves by renaming does. */
function save(dir: string, rel: string, text: string): void {
  writeFileSync(join(dir, `.${rel}.tmp`), text);
  renameSync(join(dir, `.${rel}.tmp`), join(dir, rel));
}

describe('publish on arrival', () => {
  it('GIVEN PUBLISH_ON_ARRIVAL WHEN an issue file is copied in with a pause halfway THEN each chat is sent the complete issue, once', async () => {
    /** The number of items of each issue version queued for delivery. */
    const queuedItems: number[] = [];
    const build = digestBuilder();
    const { dir, clock, library, h } = await arrivalSetup({
      digests: (issue, mode) => {
        queuedItems.push(itemsOf(issue).length);
        return build(issue, mode);
      },
    });

    const fd = openSync(join(dir, 'AI简报20240101.md'), 'w');
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
    for (const id of ['1', '2']) expect(h.port.delivered(id)).toEqual(['20240101#0', '20240101#1', '20240101#2']);
  });

  it('GIVEN an issue every chat has received WHEN its file is edited THEN commands serve the edit and no chat is sent it again', async () => {
    const { dir, clock, library, h } = await arrivalSetup();
    save(dir, 'AI简报20240101.md', `# AI\n\n${items(1, 3)}`);
    await until(() => {
      clock.release();
      return h.port.delivered('1').length === 3 && h.port.delivered('2').length === 3;
    }, 'both chats to receive the issue');
    const sends = h.port.sends.length;

    save(dir, 'AI简报20240101.md', `# AI\n\n${items(1, 4)}`);
    await until(() => {
      clock.release();
      const issue = library.get('20240101');
      return issue !== null && itemsOf(issue).length === 4;
    }, 'the edit to be served');
    await drain(library, clock);
    await h.service.idle();
    expect(h.port.sends).toHaveLength(sends);
  });

  it('GIVEN an issue file that first had no items (a problem) WHEN items are added THEN it counts as new and every chat is sent it', async () => {
    const { dir, clock, library, h } = await arrivalSetup();
    save(dir, 'AI简报20240102.md', 'Nothing here yet.\n');
    await until(() => {
      clock.release();
      return library.problems().length > 0;
    }, 'the empty file to be reported');
    expect(h.port.sends).toHaveLength(0);

    save(dir, 'AI简报20240102.md', `# AI\n\n${items(1, 2)}`);
    await until(() => {
      clock.release();
      return h.port.delivered('1').length === 3 && h.port.delivered('2').length === 3;
    }, 'both chats to receive the issue');
  });
});
