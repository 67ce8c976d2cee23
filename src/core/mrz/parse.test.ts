import { describe, expect, it } from 'vitest';
import { checkDigit } from './check-digit.js';
import { LAYOUTS, MRZ_FORMATS, positionClasses, type MrzFormat } from './formats.js';
import { parseMrz, type MrzCheckName, type MrzParseResult } from './parse.js';
import { put, realSpecimen, SPECIMENS, withCheckDigits } from './test-helpers.js';

const now = new Date('2026-03-10T12:00:00Z');
const parse = (zone: string | readonly string[], specimen = true) => parseMrz(zone, { now, specimen });
const values = (result: MrzParseResult) =>
  Object.fromEntries(Object.entries(result.fields ?? {}).map(([name, field]) => [name, field.value]));

describe('valid specimens of every format', () => {
  it('TD3 (passport)', () => {
    const result = parse(SPECIMENS.TD3);
    expect(result).toMatchObject({ format: 'TD3', valid: true, checkDigitsValid: true, problems: [] });
    expect(values(result)).toEqual({
      documentCode: 'P',
      issuingState: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      documentNumber: 'L898902C3',
      nationality: 'UTO',
      birthDate: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      optionalData: 'ZE184226B',
    });
    expect(result.checks.map((check) => [check.name, check.actual, check.valid])).toEqual([
      ['documentNumber', '6', true],
      ['birthDate', '2', true],
      ['expiryDate', '9', true],
      ['optionalData', '1', true],
      ['composite', '0', true],
    ]);
  });

  it('TD1 (ID card), with its second optional data element', () => {
    const result = parse(SPECIMENS.TD1.join('\n'));
    expect(result).toMatchObject({ format: 'TD1', valid: true, documentNumberExtended: false });
    expect(values(result)).toEqual({
      documentCode: 'I',
      issuingState: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      documentNumber: 'D23145890',
      nationality: 'UTO',
      birthDate: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      optionalData: '',
      optionalData2: '',
    });
    expect(result.checks.map((check) => check.name)).toEqual([
      'documentNumber',
      'birthDate',
      'expiryDate',
      'composite',
    ]);
  });

  it('TD2', () => {
    const result = parse(SPECIMENS.TD2);
    expect(result).toMatchObject({ format: 'TD2', valid: true });
    expect(values(result)).toMatchObject({
      documentCode: 'I',
      surname: 'ERIKSSON',
      documentNumber: 'D23145890',
    });
    expect(result.checks.at(-1)).toMatchObject({ name: 'composite', actual: '6', valid: true });
  });

  it('MRV-A and MRV-B (visas), which have no composite check digit', () => {
    for (const format of ['MRVA', 'MRVB'] as const) {
      const result = parse(SPECIMENS[format]);
      expect(result, format).toMatchObject({ format, valid: true });
      expect(values(result)).toMatchObject({
        documentCode: 'V',
        documentNumber: 'L8988901C',
        nationality: 'XXX',
        birthDate: '1940-09-07',
        expiryDate: '1996-12-10',
      });
      expect(result.checks.map((check) => check.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate']);
    }
    expect(parse(SPECIMENS.MRVA).fields?.optionalData.value).toBe('6ZE184226B');
  });

  it('reads input with surrounding blanks and CRLF line ends', () => {
    expect(parse(`\r\n  ${SPECIMENS.TD1.join('\r\n')}  \r\n`).valid).toBe(true);
  });

  it('refuses the specimen state unless asked, and accepts real and special codes', () => {
    const strict = parseMrz(SPECIMENS.TD3, { now });
    expect(strict.valid).toBe(false);
    expect(strict.checkDigitsValid).toBe(true);
    expect(strict.problems).toEqual([
      { field: 'issuingState', reason: 'unknown_state_code' },
      { field: 'nationality', reason: 'unknown_state_code' },
    ]);
    for (const format of MRZ_FORMATS) {
      expect(parseMrz(realSpecimen(format), { now }).valid, format).toBe(true);
    }
    for (const code of ['D<<', 'GBN', 'UNO', 'XXA', 'EUE']) {
      const result = parseMrz(realSpecimen('TD3', code), { now });
      expect(result.valid, code).toBe(true);
      expect(result.fields?.issuingState.value).toBe(code.replace(/<+$/, ''));
    }
  });
});

describe('names', () => {
  it('splits primary and secondary identifiers, words on single fillers', () => {
    const zone = withCheckDigits(
      'TD3',
      put(SPECIMENS.TD3, 0, 5, 'VAN<DER<BERG<<JAN<PIETER<KEES<<<<<<<<<<<<<<<'),
    );
    const result = parse(zone);
    expect(result.fields?.surname.value).toBe('VAN DER BERG');
    expect(result.fields?.givenNames.value).toBe('JAN PIETER KEES');
  });

  it('takes a name with only a primary identifier', () => {
    const result = parse(put(SPECIMENS.TD3, 0, 5, 'ERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'));
    expect(result.fields?.surname).toMatchObject({ value: 'ERIKSSON', valid: true });
    expect(result.fields?.givenNames).toMatchObject({ value: '', valid: true });
  });

  it('marks a name that fills its field as possibly truncated', () => {
    const result = parse(put(SPECIMENS.TD1, 2, 0, 'ERIKSSON<<ANNA<MARIA<CHRISTINA'));
    expect(result.fields?.givenNames).toMatchObject({ value: 'ANNA MARIA CHRISTINA', truncated: true });
    expect(result.fields?.surname.truncated).toBeUndefined();
  });

  it('refuses a missing primary identifier and digits in a name', () => {
    const missing = parse(put(SPECIMENS.TD3, 0, 5, '<<ANNA'));
    expect(missing.fields?.surname).toMatchObject({ valid: false, reason: 'missing_name' });
    const digits = parse(put(SPECIMENS.TD3, 0, 5, 'ER1KSSON'));
    expect(digits.fields?.surname).toMatchObject({ valid: false, reason: 'invalid_name', value: 'ER1KSSON' });
    expect(digits.problems).toContainEqual({ field: 'surname', reason: 'invalid_name' });
  });
});

describe('sex and document code', () => {
  it('reads M, F and unspecified (filler or X)', () => {
    expect(parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 20, 'M'))).fields?.sex.value).toBe('M');
    expect(parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 20, '<'))).fields?.sex.value).toBe('X');
    expect(parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 20, 'X'))).fields?.sex.value).toBe('X');
    const other = parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 20, 'Q')));
    expect(other.fields?.sex).toMatchObject({ valid: false, reason: 'invalid_sex' });
  });

  it('takes two-letter document codes and refuses codes of another format', () => {
    expect(parse(put(SPECIMENS.TD1, 0, 0, 'ID')).fields?.documentCode).toMatchObject({
      value: 'ID',
      valid: true,
    });
    expect(parse(put(SPECIMENS.TD3, 0, 0, 'PD')).fields?.documentCode).toMatchObject({
      value: 'PD',
      valid: true,
    });
    expect(parse(put(SPECIMENS.TD1, 0, 0, 'P<')).fields?.documentCode.reason).toBe('invalid_document_code');
    expect(parse(put(SPECIMENS.TD3, 0, 0, 'I<')).fields?.documentCode.reason).toBe('invalid_document_code');
    expect(parse(put(SPECIMENS.TD3, 0, 0, 'P1')).fields?.documentCode.reason).toBe('invalid_document_code');
  });
});

describe('long document numbers (TD1 and TD2)', () => {
  const number = 'D23145890734';
  const digit = String(checkDigit(number));

  it('carries a number over nine characters into the optional data', () => {
    const optional = `${number.slice(9)}${digit}<AB12`.padEnd(15, '<');
    const zone = withCheckDigits(
      'TD1',
      put(put(SPECIMENS.TD1, 0, 5, `${number.slice(0, 9)}<`), 0, 15, optional),
    );
    const result = parse(zone);
    expect(result).toMatchObject({ valid: true, documentNumberExtended: true });
    expect(result.fields?.documentNumber).toMatchObject({ value: number, valid: true });
    expect(result.fields?.optionalData.value).toBe('AB12');
    expect(result.checks[0]).toMatchObject({ name: 'documentNumber', actual: digit, valid: true });
  });

  it('does the same in TD2 and notices a wrong check digit there', () => {
    const optional = `${number.slice(9)}${digit}<<<`;
    const lines = put(put(SPECIMENS.TD2, 1, 0, `${number.slice(0, 9)}<`), 1, 28, optional);
    const zone = withCheckDigits('TD2', lines);
    expect(parse(zone).fields?.documentNumber).toMatchObject({ value: number, valid: true });
    const wrong = withCheckDigits('TD2', put(lines, 1, 31, String((Number(digit) + 1) % 10)));
    expect(parse(wrong).fields?.documentNumber).toMatchObject({
      valid: false,
      reason: 'check_digit_mismatch',
    });
  });

  it('refuses a run-on with nothing after it', () => {
    const zone = withCheckDigits('TD1', put(SPECIMENS.TD1, 0, 5, 'D23145890<'));
    expect(parse(zone).fields?.documentNumber).toMatchObject({
      valid: false,
      reason: 'invalid_document_number',
    });
  });
});

/** Where each format keeps its check digits, by the check they belong to. */
function checkPositions(format: MrzFormat): [MrzCheckName, number, number][] {
  const { fields } = LAYOUTS[format];
  const entries: [MrzCheckName, typeof fields.documentNumberCheckDigit][] = [
    ['documentNumber', fields.documentNumberCheckDigit],
    ['birthDate', fields.birthDateCheckDigit],
    ['expiryDate', fields.expiryDateCheckDigit],
    ['optionalData', fields.optionalDataCheckDigit],
    ['composite', fields.compositeCheckDigit],
  ];
  return entries.flatMap(([name, where]) => (where ? [[name, where.line, where.start]] : []));
}

const FIELD_OF_CHECK = {
  documentNumber: 'documentNumber',
  birthDate: 'birthDate',
  expiryDate: 'expiryDate',
  optionalData: 'optionalData',
  composite: 'composite',
} as const;

describe('corrupted zones', () => {
  for (const format of MRZ_FORMATS) {
    it(`${format}: each check digit wrong in turn is caught, and only there`, () => {
      const positions = checkPositions(format);
      expect(positions.length).toBe(format.startsWith('MRV') ? 3 : format === 'TD3' ? 5 : 4);
      for (const [name, line, at] of positions) {
        const right = SPECIMENS[format][line]![at]!;
        const wrong = String((Number(right) + 3) % 10);
        const result = parse(put(SPECIMENS[format], line, at, wrong));
        expect(result.valid, `${format} ${name}`).toBe(false);
        expect(result.checkDigitsValid).toBe(false);
        const failed = result.checks.filter((check) => !check.valid).map((check) => check.name);
        // A wrong field check digit also upsets the composite, which covers it (TD3's composite too).
        expect(failed[0]).toBe(name);
        expect(failed.every((n) => n === name || n === 'composite')).toBe(true);
        expect(result.problems).toContainEqual({
          field: FIELD_OF_CHECK[name],
          reason: 'check_digit_mismatch',
        });
      }
    });

    it(`${format}: a changed field under a right-looking check digit is caught`, () => {
      const { documentNumber } = LAYOUTS[format].fields;
      // Q for D or L changes the weighted sum; X for D would not (20 × 7 ≡ 0 mod 10): no proof of a right read.
      const zone = put(SPECIMENS[format], documentNumber!.line, documentNumber!.start, 'Q');
      const result = parse(zone);
      expect(result.fields?.documentNumber).toMatchObject({ valid: false, reason: 'check_digit_mismatch' });
    });
  }

  it('says the format is unrecognised for wrong lengths and line counts, and never throws', () => {
    const cases: (string | string[])[] = [
      '',
      [],
      [SPECIMENS.TD3[0]!],
      [SPECIMENS.TD3[0]!, SPECIMENS.TD3[1]!.slice(0, 43)],
      [SPECIMENS.TD3[0]! + '<', SPECIMENS.TD3[1]! + '<'],
      [...SPECIMENS.TD3, SPECIMENS.TD3[1]!],
      [...SPECIMENS.TD1.slice(0, 2)],
      [SPECIMENS.TD1[0]!, SPECIMENS.TD1[1]!, SPECIMENS.TD1[2]!.slice(1)],
      [SPECIMENS.TD2[0]!, SPECIMENS.TD3[1]!],
    ];
    for (const zone of cases) {
      const result = parse(zone);
      expect(result, JSON.stringify(zone)).toMatchObject({
        format: null,
        valid: false,
        fields: null,
        problems: [{ field: 'zone', reason: 'unrecognised_format' }],
      });
    }
  });

  it('flags illegal characters in the field that holds them', () => {
    const lower = parse(put(SPECIMENS.TD3, 1, 0, 'l898902c3'));
    expect(lower.fields?.documentNumber).toMatchObject({ valid: false, reason: 'illegal_character' });
    expect(lower.checks[0]).toMatchObject({ name: 'documentNumber', expected: null, valid: false });
    const space = parse(put(SPECIMENS.TD3, 0, 5, 'ERIK SON'));
    expect(space.fields?.surname.reason).toBe('illegal_character');
    const star = parse(put(SPECIMENS.TD1, 1, 0, '74*812'));
    expect(star.fields?.birthDate.reason).toBe('illegal_character');
    expect(star.problems).toContainEqual({ field: 'composite', reason: 'illegal_character' });
    const state = parse(put(SPECIMENS.TD2, 0, 2, 'UT0'));
    expect(state.fields?.issuingState.reason).toBe('unknown_state_code');
    const unicode = parse(put(SPECIMENS.TD3, 0, 5, 'ÉRIKSSON'));
    expect(unicode.fields?.surname.reason).toBe('illegal_character');
  });

  it('flags unknown state codes even when every check digit is right', () => {
    for (const format of MRZ_FORMATS) {
      const zone = withCheckDigits(
        format,
        realSpecimen(format).map((line) => line.replaceAll('NLD', 'ZZZ')),
      );
      const result = parseMrz(zone, { now });
      expect(result.checkDigitsValid, format).toBe(true);
      expect(result.problems, format).toContainEqual({ field: 'issuingState', reason: 'unknown_state_code' });
      expect(result.problems, format).toContainEqual({ field: 'nationality', reason: 'unknown_state_code' });
    }
    const empty = parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 10, '<<<')));
    expect(empty.fields?.nationality).toMatchObject({
      valid: false,
      reason: 'unknown_state_code',
      value: null,
    });
  });

  it('flags impossible dates even when their check digits are right', () => {
    const { birthDate, expiryDate } = LAYOUTS.TD3.fields;
    for (const raw of ['741312', '740832', '750229', '740000']) {
      const result = parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, birthDate!.start, raw)));
      expect(result.checkDigitsValid, raw).toBe(true);
      expect(result.fields?.birthDate, raw).toMatchObject({ valid: false, reason: 'invalid_date' });
      const expired = parse(withCheckDigits('TD3', put(SPECIMENS.TD3, 1, expiryDate!.start, raw)));
      expect(expired.fields?.expiryDate, raw).toMatchObject({ valid: false, reason: 'invalid_date' });
    }
    const unknown = parse(withCheckDigits('TD1', put(SPECIMENS.TD1, 1, 0, '7408<<')));
    expect(unknown.fields?.birthDate).toMatchObject({ valid: true, value: '1974-08' });
  });

  it('takes a filler or 0 as the check digit of empty TD3 optional data, nothing else', () => {
    const empty = put(SPECIMENS.TD3, 1, 28, '<<<<<<<<<<<<<<');
    for (const digit of ['<', '0']) {
      const zone = withCheckDigits('TD3', put(empty, 1, 42, digit), { keepOptional: true });
      expect(parse(zone).valid, digit).toBe(true);
    }
    const wrong = withCheckDigits('TD3', put(empty, 1, 42, '5'), { keepOptional: true });
    expect(parse(wrong).fields?.optionalData).toMatchObject({ valid: false, reason: 'check_digit_mismatch' });
    const filled = withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 42, '<'), { keepOptional: true });
    expect(parse(filled).fields?.optionalData.reason).toBe('check_digit_mismatch');
  });

  it('never throws, whatever it is given', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const chars = 'ABCXYZ0189<< \n*éa';
    for (let i = 0; i < 500; i++) {
      const format = MRZ_FORMATS[Math.floor(random() * MRZ_FORMATS.length)]!;
      const zone = SPECIMENS[format].map((line) =>
        [...line].map((c) => (random() < 0.15 ? chars[Math.floor(random() * chars.length)]! : c)).join(''),
      );
      expect(() => parse(zone)).not.toThrow();
    }
    expect(() => parseMrz(null as unknown as string)).not.toThrow();
    expect(() => parseMrz([undefined, 3] as unknown as string[])).not.toThrow();
  });
});

describe('position classes for reading', () => {
  it('marks digits, letters and free positions per format', () => {
    const td3 = positionClasses('TD3');
    expect(td3[0]!.join('')).toBe('a'.repeat(44));
    expect(td3[1]!.join('')).toBe('xxxxxxxxxxaaadddddddsdddddddxxxxxxxxxxxxxxxd');
    const td1 = positionClasses('TD1');
    expect(td1[1]!.join('')).toBe('dddddddsdddddddaaaxxxxxxxxxxxd');
    expect(td1[0]!.slice(0, 5).join('')).toBe('aaaaa');
  });
});
