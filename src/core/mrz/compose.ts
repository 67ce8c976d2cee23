/**
 * Writes a machine-readable zone from document data, check digits included: for test documents,
 * fixtures and specimens. The reverse of `parseMrz` for well-formed data.
 */
import { checkDigit } from './check-digit.js';
import { LAYOUTS, type FieldSpan, type MrzFormat } from './formats.js';

export interface MrzData {
  documentCode: string;
  issuingState: string;
  surname: string;
  givenNames?: string;
  documentNumber: string;
  nationality: string;
  /** YYMMDD or YYYY-MM-DD. */
  birthDate: string;
  /** M, F, X or `<`. */
  sex: string;
  /** YYMMDD or YYYY-MM-DD. */
  expiryDate: string;
  optionalData?: string;
  /** TD1 only. */
  optionalData2?: string;
}

/** Upper case, anything outside A–Z and 0–9 (spaces, hyphens, apostrophes) as a filler. */
function clean(text: string): string {
  return text
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z0-9]/g, '<');
}

const fit = (text: string, length: number) => clean(text).padEnd(length, '<').slice(0, length);

function yymmdd(date: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return iso ? `${iso[1]!.slice(2)}${iso[2]}${iso[3]}` : date;
}

function nameField(surname: string, givenNames: string | undefined, length: number): string {
  const primary = clean(surname).replace(/<+$/, '');
  const secondary = givenNames ? clean(givenNames).replace(/<+$/, '') : '';
  return fit(secondary ? `${primary}<<${secondary}` : primary, length);
}

export function composeMrz(format: MrzFormat, data: MrzData): string[] {
  const layout = LAYOUTS[format];
  const lines = Array.from({ length: layout.lines }, () => Array<string>(layout.length).fill('<'));
  const write = (where: FieldSpan | undefined, text: string) => {
    if (!where) return;
    const row = lines[where.line]!;
    const value = fit(text, where.end - where.start);
    for (let i = 0; i < value.length; i++) row[where.start + i] = value[i]!;
  };
  const read = (where: FieldSpan) => lines[where.line]!.slice(where.start, where.end).join('');
  const f = layout.fields;

  write(f.documentCode, data.documentCode);
  write(f.issuingState, data.issuingState);
  write(f.name, nameField(data.surname, data.givenNames, f.name!.end - f.name!.start));
  write(f.nationality, data.nationality);
  write(f.birthDate, yymmdd(data.birthDate));
  write(f.birthDateCheckDigit, String(checkDigit(yymmdd(data.birthDate)) ?? '<'));
  write(f.sex, data.sex);
  write(f.expiryDate, yymmdd(data.expiryDate));
  write(f.expiryDateCheckDigit, String(checkDigit(yymmdd(data.expiryDate)) ?? '<'));
  write(f.optionalData2, data.optionalData2 ?? '');

  const number = clean(data.documentNumber);
  const optional = clean(data.optionalData ?? '');
  if (number.length > 9 && (format === 'TD1' || format === 'TD2')) {
    // The first nine characters in place, a filler for the check digit, the rest in the optional data.
    write(f.documentNumber, number.slice(0, 9));
    write(f.documentNumberCheckDigit, '<');
    write(f.optionalData, `${number.slice(9)}${checkDigit(number)}<${optional}`);
  } else {
    write(f.documentNumber, number);
    write(f.documentNumberCheckDigit, String(checkDigit(read(f.documentNumber!)) ?? '<'));
    write(f.optionalData, optional);
  }
  if (f.optionalDataCheckDigit) {
    const text = read(f.optionalData!);
    write(f.optionalDataCheckDigit, /^<*$/.test(text) ? '<' : String(checkDigit(text)));
  }
  if (f.compositeCheckDigit && layout.composite.length > 0) {
    write(f.compositeCheckDigit, String(checkDigit(layout.composite.map(read).join('')) ?? '<'));
  }
  return lines.map((row) => row.join(''));
}
