import { describe, expect, it } from 'vitest';
import { resolveDate } from './dates.js';

const now = new Date('2026-03-10T12:00:00Z');
const birth = (raw: string) => resolveDate(raw, 'birth', now);
const expiry = (raw: string) => resolveDate(raw, 'expiry', now);

describe('two-digit years', () => {
  it('puts a birth date in the past', () => {
    expect(birth('740812').value).toBe('1974-08-12');
    expect(birth('050101').value).toBe('2005-01-01');
    expect(birth('260310').value).toBe('2026-03-10'); // born today
    expect(birth('260311').value).toBe('1926-03-11'); // tomorrow would be the future
    expect(birth('991231').value).toBe('1999-12-31');
  });

  it('puts an expiry date within fifty years of today, either side', () => {
    expect(expiry('120415').value).toBe('2012-04-15');
    expect(expiry('360101').value).toBe('2036-01-01');
    expect(expiry('961210').value).toBe('1996-12-10');
    expect(expiry('750101').value).toBe('2075-01-01');
    expect(expiry('770101').value).toBe('1977-01-01');
  });

  it('follows the calendar, leap years included', () => {
    expect(birth('000229').value).toBe('2000-02-29');
    expect(birth('040229').value).toBe('2004-02-29');
    expect(birth('010229')).toEqual({ value: null, valid: false, reason: 'invalid_date' });
    expect(expiry('280229').value).toBe('2028-02-29');
    expect(expiry('270229').valid).toBe(false);
  });

  it('refuses impossible dates', () => {
    for (const raw of ['741312', '740012', '740832', '740800', '740431', '7408', 'AB0812', '74O812']) {
      expect(birth(raw), raw).toMatchObject({ value: null, valid: false });
    }
  });

  it('takes an unknown day or month in a birth date, never in an expiry date', () => {
    expect(birth('7408<<')).toEqual({ value: '1974-08', valid: true });
    expect(birth('74<<<<')).toEqual({ value: '1974', valid: true });
    expect(birth('74<<12').valid).toBe(false);
    expect(birth('<<0812')).toMatchObject({ valid: false, reason: 'unknown_date' });
    expect(expiry('1204<<')).toMatchObject({ valid: false, reason: 'unknown_date' });
  });
});
