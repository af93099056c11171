import { describe, expect, it } from 'vitest';
import { matchIssueRef, nearestIssueIds, parseIssueRef } from '../../src/commands/issue-ref.js';

const IDS = ['20201030', '20210808', '20210814', '20210820', '20260814', '20260815'];

describe('parseIssueRef', () => {
  it.each([
    ['20210814', '20210814'],
    ['2021-08-14', '20210814'],
    ['2021/8/14', '20210814'],
    ['2021/08/14', '20210814'],
    ['2021.8.14', '20210814'],
    ['２０２１０８１４', '20210814'],
    ['2021／8／14', '20210814'],
  ])('GIVEN %s THEN it names issue %s', (input, id) => {
    expect(parseIssueRef(input)).toEqual({ kind: 'date', id });
  });

  it('GIVEN 0814 or 8/14 THEN it is a month-day', () => {
    expect(parseIssueRef('0814')).toEqual({ kind: 'monthDay', monthDay: '0814' });
    expect(parseIssueRef('8/14')).toEqual({ kind: 'monthDay', monthDay: '0814' });
    expect(parseIssueRef('0229')).toEqual({ kind: 'monthDay', monthDay: '0229' });
  });

  it.each(['2021-02-30', '20211301', '1399', 'abc', '2021-08', '', ' ', '1'.repeat(41), '2021-08-14x', '<b>0814</b>'])(
    'GIVEN %j THEN it is not a reference',
    (input) => {
      expect(parseIssueRef(input)).toBeNull();
    },
  );
});

describe('matchIssueRef', () => {
  it('GIVEN a month-day present in several years THEN the newest year wins', () => {
    expect(matchIssueRef({ kind: 'monthDay', monthDay: '0814' }, IDS)).toBe('20260814');
    expect(matchIssueRef({ kind: 'monthDay', monthDay: '0808' }, IDS)).toBe('20210808');
  });

  it('GIVEN an unknown date THEN there is no match', () => {
    expect(matchIssueRef({ kind: 'date', id: '19990101' }, IDS)).toBeNull();
    expect(matchIssueRef({ kind: 'monthDay', monthDay: '0101' }, IDS)).toBeNull();
  });
});

describe('nearestIssueIds', () => {
  it('GIVEN a date between issues THEN the three closest in time come back, oldest first', () => {
    expect(nearestIssueIds({ kind: 'date', id: '20210815' }, IDS)).toEqual(['20210808', '20210814', '20210820']);
  });

  it('GIVEN a date before every issue THEN the three oldest come back', () => {
    expect(nearestIssueIds({ kind: 'date', id: '19990101' }, IDS)).toEqual(['20201030', '20210808', '20210814']);
  });

  it('GIVEN a month-day THEN distance is measured in the newest year', () => {
    expect(nearestIssueIds({ kind: 'monthDay', monthDay: '0816' }, IDS)).toEqual(['20210820', '20260814', '20260815']);
  });

  it('GIVEN fewer issues than asked THEN all of them come back', () => {
    expect(nearestIssueIds({ kind: 'date', id: '19990101' }, ['20210814'])).toEqual(['20210814']);
    expect(nearestIssueIds({ kind: 'date', id: '19990101' }, [])).toEqual([]);
  });
});
