/** The index follows the library one issue at a time, and stays equal to a fresh build. */
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/issue/model.js';
import { SearchIndex, type LibraryPort, type LibraryEvent, type SearchOutcome } from '../../src/search/index.js';
import { issue, item } from './issues.js';

/** A library that records who listens and lets the test fire its events. */
class FakeLibrary implements LibraryPort {
  readonly listeners = new Map<LibraryEvent, Set<(issue: Issue) => void>>();
  listCalls = 0;
  constructor(private issues: Issue[]) {}
  list(): Issue[] {
    this.listCalls++;
    return this.issues;
  }
  on(event: LibraryEvent, listener: (issue: Issue) => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }
  off(event: LibraryEvent, listener: (issue: Issue) => void): void {
    this.listeners.get(event)?.delete(listener);
  }
  emit(event: LibraryEvent, issue: Issue): void {
    for (const listener of this.listeners.get(event) ?? []) listener(issue);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

const titlesOf = (outcome: SearchOutcome) => (outcome.ok ? outcome.hits.map((h) => h.title) : []);
const totalOf = (outcome: SearchOutcome) => (outcome.ok ? outcome.total : -1);

const lstrIssue = issue('2020-11-20', [{ items: [item({ title: 'LSTR：基于Transformer的车道线检测网络', summary: '车道线检测' })] }]);
const nerfIssue = issue('2021-08-14', [{ items: [item({ title: '推理成本降低48倍', summary: 'NeRF 横空出世' })] }]);

describe('SearchIndex.fromLibrary', () => {
  it('GIVEN a library THEN its issues are indexed and its four events followed', () => {
    const library = new FakeLibrary([lstrIssue]);
    const index = SearchIndex.fromLibrary(library);
    expect(library.listCalls).toBe(1);
    expect(titlesOf(index.search('车道线'))).toEqual(['LSTR：基于Transformer的车道线检测网络']);
    expect([...library.listeners.keys()].sort()).toEqual(['added', 'changed', 'loaded', 'removed']);
  });

  it('GIVEN an issue loaded in the background after a progressive open THEN it is found', () => {
    const library = new FakeLibrary([lstrIssue]);
    const index = SearchIndex.fromLibrary(library);
    library.emit('loaded', nerfIssue);
    expect(titlesOf(index.search('nerf'))).toEqual(['推理成本降低48倍']);
  });

  it('GIVEN an added issue THEN it is found without listing the library again', () => {
    const library = new FakeLibrary([lstrIssue]);
    const index = SearchIndex.fromLibrary(library);
    library.emit('added', nerfIssue);
    expect(titlesOf(index.search('nerf'))).toEqual(['推理成本降低48倍']);
    expect(library.listCalls).toBe(1);
  });

  it('GIVEN a changed issue THEN its new text is found and its old text is not', () => {
    const library = new FakeLibrary([lstrIssue, nerfIssue]);
    const index = SearchIndex.fromLibrary(library);
    const edited = issue('2020-11-20', [{ items: [item({ title: 'LSTR 的新标题', summary: '改写后的摘要提到 okapi' })] }]);
    library.emit('changed', edited);
    expect(totalOf(index.search('车道线'))).toBe(0);
    expect(titlesOf(index.search('okapi'))).toEqual(['LSTR 的新标题']);
    expect(titlesOf(index.search('LSTR'))).toEqual(['LSTR 的新标题']);
    expect(index.size).toBe(2);
  });

  it('GIVEN a removed issue THEN it vanishes from results', () => {
    const library = new FakeLibrary([lstrIssue, nerfIssue]);
    const index = SearchIndex.fromLibrary(library);
    library.emit('removed', lstrIssue);
    expect(totalOf(index.search('车道线'))).toBe(0);
    expect(totalOf(index.search('nerf'))).toBe(1);
    expect(index.size).toBe(1);
  });

  it('GIVEN dispose THEN every listener is removed and later events change nothing', () => {
    const library = new FakeLibrary([lstrIssue]);
    const index = SearchIndex.fromLibrary(library);
    index.dispose();
    expect(library.listenerCount()).toBe(0);
    library.emit('added', nerfIssue);
    expect(totalOf(index.search('nerf'))).toBe(0);
    expect(totalOf(index.search('车道线'))).toBe(1);
    index.dispose();
  });
});

describe('SearchIndex add and remove', () => {
  it('GIVEN the same issue id added twice THEN the second replaces the first', () => {
    const index = new SearchIndex();
    index.add(lstrIssue);
    index.add(lstrIssue);
    expect(totalOf(index.search('车道线'))).toBe(1);
    expect(index.size).toBe(1);
  });

  it('GIVEN an unknown id removed THEN nothing happens', () => {
    const index = SearchIndex.fromIssues([lstrIssue]);
    index.remove('19990101');
    expect(totalOf(index.search('车道线'))).toBe(1);
  });

  it('GIVEN many edits and removals THEN results equal those of an index built afresh', () => {
    const words = ['okapi', 'zebra', 'lemur', '车道线', '开源', '轻量化', 'transformer', 'nerf'];
    const make = (day: number, version: number) =>
      issue(`2021-${String(1 + (day % 12)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`, [
        {
          items: Array.from({ length: 6 }, (_, k) =>
            item({
              title: `第${version}版 ${words[(day + k + version) % words.length]} ${k}`,
              summary: `${words[(day * 3 + k) % words.length]} 与 ${words[(version + k) % words.length]}`,
            }),
          ),
        },
      ]);
    const live = new Map<string, Issue>();
    const index = new SearchIndex();
    // Enough churn to pass the merge thresholds several times.
    for (let round = 0; round < 40; round++) {
      for (let day = 0; day < 30; day++) {
        const next = make(day, round);
        if ((day + round) % 5 === 0) {
          index.remove(next.id);
          live.delete(next.id);
        } else {
          index.add(next);
          live.set(next.id, next);
        }
      }
    }
    const fresh = SearchIndex.fromIssues(live.values());
    expect(index.size).toBe(fresh.size);
    for (const q of [...words, '第3版', 'okapi 开源', '版']) {
      const a = index.search(q, { pageSize: 50 });
      const b = fresh.search(q, { pageSize: 50 });
      expect(totalOf(a), q).toBe(totalOf(b));
      expect(a.ok && a.hits.map((h) => [h.issueId, h.itemIndex, h.score.toFixed(9)]), q).toEqual(
        b.ok && b.hits.map((h) => [h.issueId, h.itemIndex, h.score.toFixed(9)]),
      );
    }
  });

  it('GIVEN a rare and a common word THEN survivors of the rare one are looked up in the long list, in bulk and added parts alike', () => {
    const many = (date: string, rareAt: number[]) =>
      issue(date, [{ items: Array.from({ length: 200 }, (_, k) => item({ title: `common ${k}`, summary: rareAt.includes(k) ? 'rare word' : 'plain' })) }]);
    const index = SearchIndex.fromIssues([many('2021-01-01', [3, 150])]);
    index.add(many('2021-01-02', [7]));
    index.add(issue('2021-01-03', [{ items: [item({ title: 'rare only' })] }]));
    const outcome = index.search('rare common', { pageSize: 50 });
    expect(outcome.ok && outcome.hits.map((h) => [h.issueId, h.itemIndex]).sort()).toEqual([
      ['20210101', 150],
      ['20210101', 3],
      ['20210102', 7],
    ]);
    const reversed = index.search('common rare', { pageSize: 50 });
    expect(reversed.ok && reversed.hits.map((h) => h.score)).toEqual(outcome.ok && outcome.hits.map((h) => h.score));
  });
});
