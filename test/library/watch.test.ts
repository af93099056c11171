/**
 * Arrival of files in a watched issues folder (real files in temp folders, real `fs.watch`): a file
 * still being written is not read until its size and mtime have held still for the settle time,
 * which an injected clock paces, so the tests decide when "later" is instead of racing real time.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { itemsOf, type Issue } from '../../src/issue/model.js';
import { IssueLibrary, type LibraryEvent } from '../../src/library/library.js';
import { drain, HeldClock, until } from '../support/watched-folder.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsbot-arrival-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, clock: Clock): Promise<IssueLibrary> {
  const library = await IssueLibrary.open(dir, { debounceMs: 30, settleMs: 1_000, clock });
  cleanups.push(() => library.close());
  return library;
}

/** Every `event` the library emits from now on. */
function record(library: IssueLibrary, event: LibraryEvent): Issue[] {
  const seen: Issue[] = [];
  library.on(event, (issue) => seen.push(issue));
  return seen;
}

const head = '# AI\n\n';
const items = (from: number, to: number, title = 'Item') =>
  Array.from({ length: to - from + 1 }, (_, i) => `## ${from + i}. [${title} ${from + i}](https://example.org/${from + i})\n\nSummary ${from + i}.\n\n`).join('');
const titles = (issue: Issue | null | undefined) => (issue ? itemsOf(issue).map(({ item }) => item.title) : []);

describe('a file arriving in the watched folder', () => {
  it('GIVEN a new issue file copied in two parts WHEN the copy pauses longer than the debounce THEN nothing is served or added until the file holds still, and "added" carries all 8 items', async () => {
    const dir = tempDir();
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added = record(library, 'added');

    const fd = openSync(join(dir, 'AI简报20300101.md'), 'w');
    cleanups.push(() => closeSync(fd));
    writeSync(fd, head + items(1, 2));
    // The watcher has looked at the half file once it waits for it to settle (or, without a settle, has published it).
    await until(() => clock.pending > 0 || added.length > 0, 'the watcher to look at the half-written file');
    expect(added).toEqual([]);
    expect(library.get('20300101')).toBeNull();

    writeSync(fd, items(3, 8));
    await until(() => {
      clock.release();
      return added.length > 0;
    }, 'the completed file to be added');
    expect(added.map(titles)).toEqual([titles(library.get('20300101'))]);
    expect(titles(added[0])).toHaveLength(8);
  });

  it('GIVEN a served issue rewritten in place in two parts THEN the old version is served meanwhile and "changed" carries only the complete new one', async () => {
    const dir = tempDir();
    const path = join(dir, 'AI简报20300101.md');
    writeFileSync(path, head + items(1, 8));
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const changed = record(library, 'changed');

    const fd = openSync(path, 'w');
    cleanups.push(() => closeSync(fd));
    writeSync(fd, head + items(1, 2, 'Revised'));
    await until(() => clock.pending > 0 || changed.length > 0, 'the watcher to look at the half-rewritten file');
    expect(changed).toEqual([]);
    expect(titles(library.get('20300101'))).toEqual(Array.from({ length: 8 }, (_, i) => `Item ${i + 1}`));

    writeSync(fd, items(3, 8, 'Revised'));
    await until(() => {
      clock.release();
      return changed.length > 0;
    }, 'the rewritten file to be read');
    expect(changed.map(titles)).toEqual([Array.from({ length: 8 }, (_, i) => `Revised ${i + 1}`)]);
  });

  it('GIVEN a complete file written elsewhere and renamed into the folder THEN it is added at once, without waiting to settle', async () => {
    const dir = tempDir();
    const staging = tempDir();
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added = record(library, 'added');

    writeFileSync(join(staging, 'AI简报20300102.md'), head + items(1, 8));
    // A rename changes ctime, not mtime: let the clock tick past the write so the two differ even on coarse timestamps.
    const written = Date.now();
    await until(() => Date.now() > written + 20, 'the clock to move past the write');
    renameSync(join(staging, 'AI简报20300102.md'), join(dir, 'AI简报20300102.md'));

    await until(() => added.length > 0, 'the renamed file to be added');
    expect(titles(added[0])).toHaveLength(8);
    expect(clock.asked).toBe(0);
  });

  it('GIVEN a file deleted while it settles THEN nothing is added and a later complete file still arrives', async () => {
    const dir = tempDir();
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added = record(library, 'added');

    const fleeting = join(dir, 'AI简报20300103.md');
    writeFileSync(fleeting, head + items(1, 2));
    await until(() => clock.pending > 0 || added.length > 0, 'the watcher to look at the file');
    rmSync(fleeting);
    writeFileSync(join(dir, 'AI简报20300104.md'), head + items(1, 3));
    await until(() => {
      clock.release();
      return added.length > 0;
    }, 'the later file to be added');
    await drain(library, clock);
    expect(added.map((issue) => issue.id)).toEqual(['20300104']);
    expect(library.list().map((issue) => issue.id)).toEqual(['20300104']);
  });
});

describe('a folder arriving in the watched folder', () => {
  it('GIVEN a watched folder WHEN a folder (named with a dot) is made and a file written in it at once, and a folder of issues is moved in THEN all their issues are added', async () => {
    const dir = tempDir();
    const staging = tempDir();
    mkdirSync(join(staging, 'archive/2029'), { recursive: true });
    writeFileSync(join(staging, 'archive/2029/AI简报20291231.md'), head + items(1, 2));
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added = record(library, 'added');

    mkdirSync(join(dir, '2030.01'));
    writeFileSync(join(dir, '2030.01/AI简报20300105.md'), head + items(1, 3));
    renameSync(join(staging, 'archive'), join(dir, 'archive'));
    await until(() => {
      clock.release();
      return added.length >= 2;
    }, 'both issues to be added');
    await drain(library, clock);
    expect(added.map((issue) => issue.file).sort()).toEqual(['2030.01/AI简报20300105.md', 'archive/2029/AI简报20291231.md']);

    // The new folders are watched too: a later file in one is seen.
    writeFileSync(join(dir, 'archive/2029/AI简报20291230.md'), head + items(1, 2));
    await until(() => {
      clock.release();
      return added.length === 3;
    }, 'a file in the moved-in folder to be added');
  });

  it('GIVEN a watched year folder WHEN it is deleted and made again THEN a file written later in the new folder is added', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2030'));
    writeFileSync(join(dir, '2030/AI简报20300101.md'), head + items(1, 2));
    const clock = new HeldClock();
    const library = await open(dir, clock);
    const added = record(library, 'added');
    const removed = record(library, 'removed');

    // At once, as a `git checkout` or a sync tool does: the watcher sees both in one burst.
    rmSync(join(dir, '2030'), { recursive: true });
    mkdirSync(join(dir, '2030'));
    // Events are handled in order: once a file written after the mkdir is added, the new folder has been seen.
    writeFileSync(join(dir, 'AI简报20300102.md'), head + items(1, 2));
    await until(() => {
      clock.release();
      return added.length === 1;
    }, 'the file beside the folder to be added');

    writeFileSync(join(dir, '2030/AI简报20300103.md'), head + items(1, 2));
    await until(() => {
      clock.release();
      return added.length === 2;
    }, 'the file in the new folder to be added');
    expect(added.map((issue) => issue.file)).toEqual(['AI简报20300102.md', '2030/AI简报20300103.md']);
    expect(removed.map((issue) => issue.file)).toEqual(['2030/AI简报20300101.md']);
  });
});
