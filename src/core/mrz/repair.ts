/**
 * Check-digit repair for a zone read by OCR. A field whose check digit fails is repaired only when
 * exactly one single-character change, among the characters the reader itself considered possible,
 * makes it pass (the composite breaking a tie). Anything else is left failing, for a person to look at:
 * a check digit that passes is no proof of a right read, and a guessed one even less.
 */
import { checkDigit } from './check-digit.js';
import { LAYOUTS, type FieldSpan, type MrzFormat } from './formats.js';

/** Per line, per position: the characters the reader considered, with their probability. */
export type ReadAlternatives = readonly (readonly (readonly (readonly [string, number])[])[])[];

export interface Repair {
  field: 'documentNumber' | 'birthDate' | 'expiryDate' | 'optionalData' | 'composite';
  line: number;
  position: number;
  from: string;
  to: string;
  /** The reader's probability for the character put in. */
  probability: number;
}

export interface RepairOptions {
  /** Alternatives below this probability are not considered. */
  minProbability?: number;
}

const text = (lines: readonly string[], where: FieldSpan) =>
  (lines[where.line] ?? '').slice(where.start, where.end);

function passes(lines: readonly string[], data: FieldSpan[], digit: FieldSpan, emptyMayBe = false): boolean {
  const field = data.map((where) => text(lines, where)).join('');
  const actual = text(lines, digit);
  if (emptyMayBe && /^<*$/.test(field) && (actual === '<' || actual === '0')) return true;
  const expected = checkDigit(field);
  return expected !== null && actual === String(expected);
}

function replaced(lines: readonly string[], line: number, position: number, char: string): string[] {
  return lines.map((row, i) => (i === line ? row.slice(0, position) + char + row.slice(position + 1) : row));
}

export function repairCheckDigits(
  format: MrzFormat,
  zone: readonly string[],
  alternatives: ReadAlternatives,
  options: RepairOptions = {},
): { lines: string[]; repairs: Repair[] } {
  const layout = LAYOUTS[format];
  const minProbability = options.minProbability ?? 0.01;
  const f = layout.fields;
  let lines = [...zone];
  const repairs: Repair[] = [];
  const compositeOk = (candidate: readonly string[]) =>
    layout.composite.length === 0 || passes(candidate, layout.composite, f.compositeCheckDigit!);

  // A long document number (filler in its check digit's place) keeps its digit elsewhere: not repaired.
  const longNumber =
    (format === 'TD1' || format === 'TD2') && text(lines, f.documentNumberCheckDigit!) === '<';
  const guarded: [Repair['field'], FieldSpan, FieldSpan, boolean][] = [];
  if (!longNumber) guarded.push(['documentNumber', f.documentNumber!, f.documentNumberCheckDigit!, false]);
  guarded.push(['birthDate', f.birthDate!, f.birthDateCheckDigit!, false]);
  guarded.push(['expiryDate', f.expiryDate!, f.expiryDateCheckDigit!, false]);
  if (f.optionalDataCheckDigit)
    guarded.push(['optionalData', f.optionalData!, f.optionalDataCheckDigit, true]);

  const candidatesIn = (spans: FieldSpan[], ok: (candidate: string[]) => boolean) => {
    const found: { lines: string[]; repair: Omit<Repair, 'field'> }[] = [];
    for (const where of spans) {
      for (let position = where.start; position < where.end; position++) {
        const current = lines[where.line]?.[position];
        for (const [char, probability] of alternatives[where.line]?.[position] ?? []) {
          if (char === current || probability < minProbability) continue;
          const candidate = replaced(lines, where.line, position, char);
          if (ok(candidate)) {
            found.push({
              lines: candidate,
              repair: { line: where.line, position, from: current ?? '', to: char, probability },
            });
          }
        }
      }
    }
    return found;
  };

  for (const [field, data, digit, emptyMayBe] of guarded) {
    if (passes(lines, [data], digit, emptyMayBe)) continue;
    let found = candidatesIn([data, digit], (candidate) => passes(candidate, [data], digit, emptyMayBe));
    if (found.length > 1) found = found.filter((candidate) => compositeOk(candidate.lines));
    if (found.length === 1) {
      lines = found[0]!.lines;
      repairs.push({ field, ...found[0]!.repair });
    }
  }

  // The composite alone failing: a misread in data no other digit guards, or in the composite digit.
  const fieldsOk = guarded.every(([, data, digit, emptyMayBe]) => passes(lines, [data], digit, emptyMayBe));
  if (fieldsOk && !compositeOk(lines) && f.compositeCheckDigit) {
    const unguarded = [f.optionalData, f.optionalData2].filter(
      (where): where is FieldSpan =>
        where !== undefined && !guarded.some(([, data]) => data === where) && !longNumber,
    );
    const found = candidatesIn([...unguarded, f.compositeCheckDigit], compositeOk);
    if (found.length === 1) {
      lines = found[0]!.lines;
      repairs.push({ field: 'composite', ...found[0]!.repair });
    }
  }
  return { lines, repairs };
}
