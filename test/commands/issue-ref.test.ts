import { describe, expect, it } from 'vitest';
import { matchIssueRef, nearestIssueIds, parseIssueRef, type IssueRef } from '../../src/commands/issue-ref.js';

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
    // Bare digits may also be issue 814: `matchIssueRef` prefers the number when an issue has it.
    expect(parseIssueRef('0814')).toEqual({ kind: 'monthDay', monthDay: '0814', number: 814 });
    expect(parseIssueRef('8/14')).toEqual({ kind: 'monthDay', monthDay: '0814' });
    expect(parseIssueRef('0229')).toEqual({ kind: 'monthDay', monthDay: '0229', number: 229 });
  });

  it.each(['2021-02-30', '20211301', '1234567', 'abc', '2021-08', '', ' ', '1'.repeat(41), '2021-08-14x', '<b>0814</b>'])(
    'GIVEN %j THEN it is not a reference',
    (input) => {
      expect(parseIssueRef(input)).toBeNull();
    },
  );
});

describe('parseIssueRef: numbers and other date spellings', () => {
  it.each([
    ['300', 300],
    ['#375', 375],
    ['# 375', 375],
    ['第300期', 300],
    ['第 300 期', 300],
    ['No. 12', 12],
    ['no.12', 12],
    ['Issue 42', 42],
    ['vol 7', 7],
    ['＃３７５', 375],
    ['1399', 1399],
  ])('GIVEN %j THEN it names issue number %d', (input, number) => {
    expect(parseIssueRef(input)).toEqual({ kind: 'number', number });
  });

  it.each([
    ['2026年7月20日', '20260720'],
    ['2026_07_20', '20260720'],
    ['July 20, 2026', '20260720'],
    ['20 Jul 2026', '20260720'],
  ])('GIVEN the date %j THEN it names %s', (input, id) => {
    expect(parseIssueRef(input)).toEqual({ kind: 'date', id });
  });

  it('GIVEN 8 digits that are a real day THEN they are a date, never issue number 20260720', () => {
    expect(parseIssueRef('20260720')).toEqual({ kind: 'date', id: '20260720' });
  });
});

describe('matchIssueRef over numbered issues', () => {
  const ISSUES = [
    { id: '1', date: '2018-01-01', number: 1 },
    { id: '375', date: '2026-07-20', number: 375 },
    { id: '814', date: '', number: 814 },
    { id: '20250814', date: '2025-08-14' },
  ];

  it('GIVEN a number or a date THEN the issue with that number or date is named', () => {
    expect(matchIssueRef({ kind: 'number', number: 375 }, ISSUES)).toBe('375');
    expect(matchIssueRef({ kind: 'date', id: '20260720' }, ISSUES)).toBe('375');
    expect(matchIssueRef({ kind: 'number', number: 2 }, ISSUES)).toBeNull();
  });

  it('GIVEN bare digits that are both a month-day and an issue number THEN the number wins when an issue has it', () => {
    expect(matchIssueRef(parseIssueRef('0814') as IssueRef, ISSUES)).toBe('814');
    expect(matchIssueRef(parseIssueRef('0814') as IssueRef, ISSUES.slice(0, 2).concat(ISSUES.slice(3)))).toBe('20250814');
  });

  it('GIVEN an unknown number THEN the nearest numbers are suggested, lowest first', () => {
    expect(nearestIssueIds({ kind: 'number', number: 380 }, ISSUES, 2)).toEqual(['1', '375']);
  });
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
