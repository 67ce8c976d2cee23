/**
 * Where each field sits in each machine-readable zone format (ICAO 9303 parts 4–7). Positions are
 * zero-based; `start` is inclusive, `end` exclusive.
 */

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';

export const MRZ_FORMATS: readonly MrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];

export type MrzFieldName =
  | 'documentCode'
  | 'issuingState'
  | 'documentNumber'
  | 'documentNumberCheckDigit'
  | 'optionalData'
  | 'birthDate'
  | 'birthDateCheckDigit'
  | 'sex'
  | 'expiryDate'
  | 'expiryDateCheckDigit'
  | 'nationality'
  | 'optionalData2'
  | 'optionalDataCheckDigit'
  | 'compositeCheckDigit'
  | 'name';

export interface FieldSpan {
  line: number;
  start: number;
  end: number;
}

export interface FormatLayout {
  format: MrzFormat;
  lines: number;
  length: number;
  fields: Partial<Record<MrzFieldName, FieldSpan>>;
  /** The spans the composite check digit covers, in order; empty for visas, which have none. */
  composite: FieldSpan[];
}

const span = (line: number, start: number, end: number): FieldSpan => ({ line, start, end });

/** Line 2 of TD2, TD3 and both visas begins the same way. */
function lowerLine(line: number) {
  return {
    documentNumber: span(line, 0, 9),
    documentNumberCheckDigit: span(line, 9, 10),
    nationality: span(line, 10, 13),
    birthDate: span(line, 13, 19),
    birthDateCheckDigit: span(line, 19, 20),
    sex: span(line, 20, 21),
    expiryDate: span(line, 21, 27),
    expiryDateCheckDigit: span(line, 27, 28),
  };
}

export const LAYOUTS: Readonly<Record<MrzFormat, FormatLayout>> = {
  TD1: {
    format: 'TD1',
    lines: 3,
    length: 30,
    fields: {
      documentCode: span(0, 0, 2),
      issuingState: span(0, 2, 5),
      documentNumber: span(0, 5, 14),
      documentNumberCheckDigit: span(0, 14, 15),
      optionalData: span(0, 15, 30),
      birthDate: span(1, 0, 6),
      birthDateCheckDigit: span(1, 6, 7),
      sex: span(1, 7, 8),
      expiryDate: span(1, 8, 14),
      expiryDateCheckDigit: span(1, 14, 15),
      nationality: span(1, 15, 18),
      optionalData2: span(1, 18, 29),
      compositeCheckDigit: span(1, 29, 30),
      name: span(2, 0, 30),
    },
    composite: [span(0, 5, 30), span(1, 0, 7), span(1, 8, 15), span(1, 18, 29)],
  },
  TD2: {
    format: 'TD2',
    lines: 2,
    length: 36,
    fields: {
      documentCode: span(0, 0, 2),
      issuingState: span(0, 2, 5),
      name: span(0, 5, 36),
      ...lowerLine(1),
      optionalData: span(1, 28, 35),
      compositeCheckDigit: span(1, 35, 36),
    },
    composite: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 35)],
  },
  TD3: {
    format: 'TD3',
    lines: 2,
    length: 44,
    fields: {
      documentCode: span(0, 0, 2),
      issuingState: span(0, 2, 5),
      name: span(0, 5, 44),
      ...lowerLine(1),
      optionalData: span(1, 28, 42),
      optionalDataCheckDigit: span(1, 42, 43),
      compositeCheckDigit: span(1, 43, 44),
    },
    composite: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 43)],
  },
  MRVA: {
    format: 'MRVA',
    lines: 2,
    length: 44,
    fields: {
      documentCode: span(0, 0, 2),
      issuingState: span(0, 2, 5),
      name: span(0, 5, 44),
      ...lowerLine(1),
      optionalData: span(1, 28, 44),
    },
    composite: [],
  },
  MRVB: {
    format: 'MRVB',
    lines: 2,
    length: 36,
    fields: {
      documentCode: span(0, 0, 2),
      issuingState: span(0, 2, 5),
      name: span(0, 5, 36),
      ...lowerLine(1),
      optionalData: span(1, 28, 36),
    },
    composite: [],
  },
};

/**
 * The format a zone's shape and first character name: three lines of 30 are TD1; two of 36 are TD2, or
 * MRV-B when the document code starts with `V`; two of 44 are TD3, or MRV-A for `V`. Null otherwise.
 */
export function formatOf(lines: readonly string[]): MrzFormat | null {
  const lengths = lines.map((line) => line.length);
  const visa = lines[0]?.startsWith('V') ?? false;
  if (lines.length === 3 && lengths.every((n) => n === 30)) return 'TD1';
  if (lines.length === 2 && lengths.every((n) => n === 36)) return visa ? 'MRVB' : 'TD2';
  if (lines.length === 2 && lengths.every((n) => n === 44)) return visa ? 'MRVA' : 'TD3';
  return null;
}

/**
 * What kind of character each position of a format holds, for reading: `d` a digit, `a` a letter or
 * the filler, `x` a letter, digit or filler, `s` the sex (M, F, X or filler). A reader uses it to
 * resolve look-alikes (O and 0, I and 1, B and 8 …) by position.
 */
export type CharClass = 'd' | 'a' | 'x' | 's';

export function positionClasses(format: MrzFormat): CharClass[][] {
  const layout = LAYOUTS[format];
  const classes: CharClass[][] = Array.from({ length: layout.lines }, () =>
    Array<CharClass>(layout.length).fill('x'),
  );
  const fill = (name: MrzFieldName, cls: CharClass) => {
    const where = layout.fields[name];
    if (!where) return;
    for (let i = where.start; i < where.end; i++) classes[where.line]![i] = cls;
  };
  fill('documentCode', 'a');
  fill('issuingState', 'a');
  fill('nationality', 'a');
  fill('name', 'a');
  fill('birthDate', 'd');
  fill('expiryDate', 'd');
  fill('birthDateCheckDigit', 'd');
  fill('expiryDateCheckDigit', 'd');
  fill('compositeCheckDigit', 'd');
  fill('sex', 's');
  // The document number's check digit may be a filler when the number runs on into the optional data,
  // and the optional data's when there is none: both stay `x`.
  return classes;
}
