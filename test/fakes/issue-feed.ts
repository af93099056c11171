/** An in-memory issue feed with IssueLibrary's 'added' event, and a small issue factory. */
import { EventEmitter } from 'node:events';
import type { Issue } from '../../src/issue/model.js';
import type { IssueFeed } from '../../src/schedule/scheduler.js';

/** A minimal valid issue "YYYYMMDD" with one section of two items. */
export function makeIssue(id: string): Issue {
  const date = `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}`;
  return {
    id,
    date,
    title: `AI 简报 ${id}`,
    intro: 'lead',
    sections: [
      {
        title: 'AI',
        items: [
          { title: 'First', url: 'https://example.org/1', source: null, tags: [], summary: 'one', links: [], image: null },
          { title: 'Second', url: 'https://example.org/2', source: null, tags: [], summary: 'two', links: [], image: null },
        ],
      },
    ],
    file: `AI简报${id}.md`,
    problems: [],
  };
}

export class FakeIssueFeed extends EventEmitter implements IssueFeed {
  readonly #issues = new Map<string, Issue>();

  constructor(ids: readonly string[] = []) {
    super();
    for (const id of ids) this.#issues.set(id, makeIssue(id));
  }

  latest(): Issue | null {
    return this.list().at(-1) ?? null;
  }

  /** Oldest first, by date then id, as IssueLibrary serves them. */
  list(): Issue[] {
    return [...this.#issues.values()].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  }

  get(ref: string): Issue | null {
    return this.#issues.get(ref) ?? null;
  }

  /** An issue file went away. */
  remove(id: string): void {
    this.#issues.delete(id);
  }

  /** A new issue file appeared. */
  add(id: string): Issue {
    const issue = makeIssue(id);
    this.#issues.set(id, issue);
    this.emit('added', issue);
    return issue;
  }
}
