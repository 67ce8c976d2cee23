import { describe, expect, it } from 'vitest';
import { ICAO_SPECIAL_CODES, ICAO_STATE_CODES, isIcaoStateCode } from './states.js';

describe('ICAO state codes', () => {
  it('holds the ISO 3166-1 alpha-3 codes (Germany as D) and the special codes', () => {
    // 249 ISO codes less DEU, plus the special ones.
    expect(ICAO_STATE_CODES.length).toBe(248 + Object.keys(ICAO_SPECIAL_CODES).length);
    for (const code of ['NLD', 'FRA', 'USA', 'GBR', 'JPN', 'SSD', 'BES', 'CUW']) {
      expect(isIcaoStateCode(code)).toBe(true);
    }
  });

  it('accepts the special codes, with or without filler', () => {
    const special = [
      'D',
      'GBD',
      'GBN',
      'GBO',
      'GBP',
      'GBS',
      'UNO',
      'UNA',
      'UNK',
      'XXA',
      'XXB',
      'XXC',
      'XXX',
      'EUE',
    ];
    for (const code of special) expect(isIcaoStateCode(code), code).toBe(true);
    expect(isIcaoStateCode('D<<')).toBe(true);
    expect(isIcaoStateCode('XPO')).toBe(true);
  });

  it('refuses unknown codes, the specimen state, and empty ones', () => {
    for (const code of ['ZZZ', 'UTO', 'ABC', '<<<', '', 'NL', 'nld', 'N1D']) {
      expect(isIcaoStateCode(code), code).toBe(false);
    }
  });
});
