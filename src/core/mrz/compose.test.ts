import { describe, expect, it } from 'vitest';
import { composeMrz } from './compose.js';
import { parseMrz } from './parse.js';
import { SPECIMENS } from './test-helpers.js';

const anna = {
  documentCode: 'P',
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna María',
  documentNumber: 'L898902C3',
  nationality: 'UTO',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '120415',
  optionalData: 'ZE184226B',
};

describe('composeMrz', () => {
  it('writes the ICAO specimens back exactly', () => {
    expect(composeMrz('TD3', anna)).toEqual(SPECIMENS.TD3);
    const card = { ...anna, documentCode: 'I', documentNumber: 'D23145890', optionalData: '' };
    expect(composeMrz('TD1', card)).toEqual(SPECIMENS.TD1);
    expect(composeMrz('TD2', card)).toEqual(SPECIMENS.TD2);
    const visa = { ...anna, documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX' };
    const visaData = { ...visa, birthDate: '400907', expiryDate: '961210', optionalData: '6ZE184226B' };
    expect(composeMrz('MRVA', visaData)).toEqual(SPECIMENS.MRVA);
    expect(composeMrz('MRVB', { ...visaData, optionalData: '' })).toEqual(SPECIMENS.MRVB);
  });

  it('round-trips through the parser, long document numbers and hyphenated names included', () => {
    const now = new Date('2026-01-01');
    const data = {
      ...anna,
      documentCode: 'ID',
      issuingState: 'D',
      nationality: 'D',
      surname: "O'Neil-Smith",
      documentNumber: 'AB1234567890',
      optionalData: 'X7',
    };
    for (const format of ['TD1', 'TD2'] as const) {
      const result = parseMrz(composeMrz(format, data), { now });
      expect(result.valid, format).toBe(true);
      expect(result.fields?.documentNumber.value).toBe('AB1234567890');
      expect(result.fields?.surname.value).toBe('O NEIL SMITH');
      expect(result.fields?.optionalData.value).toBe('X7');
    }
  });
});
