import { describe, expect, it } from 'vitest';
import { buildArchivePage, buildDigest } from '../../src/digest/digest.js';
import { issueLabel } from '../../src/digest/label.js';
import type { Issue } from '../../src/issue/model.js';

/** An issue invented for tests; its one link is on a reserved domain. */
function issue(id: string, date: string, number?: number): Issue {
  const out: Issue = { id, date, title: `T${id}`, intro: '', file: `${id}.md`, problems: [], sections: [{ title: '', items: [{ title: 'A', url: 'https://example.org/a', source: null, tags: [], summary: '', links: [], image: null }] }] };
  if (number !== undefined) out.number = number;
  return out;
}

describe('issue labels', () => {
  it('GIVEN a numbered, dated issue THEN headers read "第 300 期 · 2024-05-17"; a date-only issue keeps its date', () => {
    expect(buildDigest(issue('300', '2024-05-17', 300), 'full').date).toBe('第 300 期 · 2024-05-17');
    expect(issueLabel({ date: '', number: 7 })).toBe('第 7 期');
    expect(buildDigest(issue('20210814', '2021-08-14'), 'full').date).toBe('2021-08-14');
  });

  it('GIVEN numbered issues without dates THEN the archive is newest first by number, not by id string', () => {
    const page = buildArchivePage([issue('99', '', 99), issue('375', '', 375), issue('100', '', 100)], 1);
    expect(page.entries.map((e) => e.id)).toEqual(['375', '100', '99']);
  });
});
