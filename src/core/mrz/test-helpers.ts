/** Zones for tests: ICAO 9303 specimens, and a way to make a changed zone's check digits right again. */
import { checkDigit } from './check-digit.js';
import { LAYOUTS, type FieldSpan, type MrzFormat } from './formats.js';

/** The specimens of ICAO 9303 parts 4–7 (Anna Maria Eriksson of Utopia). */
export const SPECIMENS: Record<MrzFormat, string[]> = {
  TD3: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
  TD1: ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'],
  TD2: ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
  MRVA: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'],
  MRVB: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'],
};

/** Writes `text` into line `line` at `start`, keeping the line's length. */
export function put(lines: readonly string[], line: number, start: number, text: string): string[] {
  return lines.map((row, i) =>
    i === line ? (row.slice(0, start) + text + row.slice(start + text.length)).slice(0, row.length) : row,
  );
}

function digitFor(lines: string[], data: FieldSpan[], at: FieldSpan): string[] {
  const text = data.map((where) => lines[where.line]!.slice(where.start, where.end)).join('');
  const digit = checkDigit(text);
  return digit === null ? lines : put(lines, at.line, at.start, String(digit));
}

/**
 * Recomputes the check digits of a zone, the composite last. Left alone: a document number's check digit
 * that is a filler (a long number, whose digit lies in the optional data), and, with `keepOptional`,
 * the optional data's.
 */
export function withCheckDigits(
  format: MrzFormat,
  zone: readonly string[],
  options: { keepOptional?: boolean } = {},
): string[] {
  const { fields, composite } = LAYOUTS[format];
  let lines = [...zone];
  const pairs: [FieldSpan | undefined, FieldSpan | undefined][] = [];
  const numberDigit = fields.documentNumberCheckDigit!;
  if (lines[numberDigit.line]?.[numberDigit.start] !== '<') {
    pairs.push([fields.documentNumber, numberDigit]);
  }
  pairs.push(
    [fields.birthDate, fields.birthDateCheckDigit],
    [fields.expiryDate, fields.expiryDateCheckDigit],
  );
  if (fields.optionalDataCheckDigit && !options.keepOptional)
    pairs.push([fields.optionalData, fields.optionalDataCheckDigit]);
  for (const [data, at] of pairs) if (data && at) lines = digitFor(lines, [data], at);
  if (fields.compositeCheckDigit && composite.length > 0) {
    lines = digitFor(lines, composite, fields.compositeCheckDigit);
  }
  return lines;
}

/** The specimen with its state codes replaced by real ones, so it passes without `specimen: true`. */
export function realSpecimen(format: MrzFormat, state = 'NLD'): string[] {
  const lines = SPECIMENS[format].map((line) => line.replaceAll('UTO', state).replaceAll('XXX', state));
  return withCheckDigits(format, lines);
}
