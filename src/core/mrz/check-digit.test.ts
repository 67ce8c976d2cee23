import { describe, expect, it } from 'vitest';
import { charValue, checkDigit, isMrzText, MRZ_ALPHABET } from './check-digit.js';

describe('check digits (ICAO 9303 part 3 §4.9)', () => {
  it('values digits 0–9, letters 10–35 and the filler 0', () => {
    expect([...MRZ_ALPHABET].map(charValue)).toEqual([...Array.from({ length: 36 }, (_, i) => i), 0]);
    for (const char of ['a', ' ', '*', 'É', '', 'AB']) expect(charValue(char)).toBe(-1);
  });

  it('gives the check digits printed on the ICAO specimens', () => {
    expect(checkDigit('L898902C3')).toBe(6);
    expect(checkDigit('740812')).toBe(2);
    expect(checkDigit('120415')).toBe(9);
    expect(checkDigit('ZE184226B<<<<<')).toBe(1);
    // The specimen's composite: document number, birth date and expiry date, each with its check digit.
    expect(checkDigit('L898902C36' + '7408122' + '1204159ZE184226B<<<<<1')).toBe(0);
    expect(checkDigit('D23145890')).toBe(7);
    expect(checkDigit('L8988901C')).toBe(4);
    expect(checkDigit('<<<<<<<<<')).toBe(0);
    expect(checkDigit('')).toBe(0);
  });

  it('has no check digit for text outside the alphabet', () => {
    expect(checkDigit('L898902c3')).toBeNull();
    expect(checkDigit('12 34')).toBeNull();
    expect(isMrzText('P<UTO')).toBe(true);
    expect(isMrzText('P<uto')).toBe(false);
  });
});
