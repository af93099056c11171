import { describe, expect, it } from 'vitest';
import { titleFromDaySections } from '../../src/issue/identity.js';

describe('titleFromDaySections', () => {
  it('GIVEN daily sections of one newsletter, spaced and cased differently THEN the title is its name and first and last day', () => {
    expect(titleFromDaySections(['Daily News (2024-03-04)', 'DailyNews(2024-03-05)', 'DAILY NEWS （2024-03-08）'])).toBe('Daily News 2024-03-04 – 2024-03-08');
  });

  it('GIVEN one daily section THEN the title has one day', () => {
    expect(titleFromDaySections(['Daily News (2024-03-04)'])).toBe('Daily News 2024-03-04');
  });

  it('GIVEN sections of different names, a section without a day, or none THEN there is no such title', () => {
    expect(titleFromDaySections(['Daily News (2024-03-04)', 'Weekly Picks (2024-03-05)'])).toBeNull();
    expect(titleFromDaySections(['Daily News (2024-03-04)', 'Jobs'])).toBeNull();
    expect(titleFromDaySections([])).toBeNull();
  });
});
