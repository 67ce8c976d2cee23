/**
 * Parses a machine-readable zone (ICAO 9303: TD1, TD2, TD3, MRV-A, MRV-B) into typed fields, each with
 * its validity and the reason when it is not valid. Never throws: bad input gives a result that says
 * what is wrong with it.
 */
import { checkDigit, isMrzText } from './check-digit.js';
import { resolveDate, type DateKind } from './dates.js';
import { formatOf, LAYOUTS, type FieldSpan, type FormatLayout, type MrzFormat } from './formats.js';
import { isIcaoStateCode } from './states.js';

export type MrzFieldReason =
  | 'illegal_character'
  | 'check_digit_mismatch'
  | 'unknown_state_code'
  | 'invalid_document_code'
  | 'invalid_date'
  | 'unknown_date'
  | 'invalid_sex'
  | 'missing_name'
  | 'invalid_name'
  | 'invalid_document_number';

export interface MrzField {
  /** The characters as they stand in the zone (for a long document number: both of its parts). */
  raw: string;
  /** The value without fillers: names with spaces, dates as ISO 8601; null when it cannot be read. */
  value: string | null;
  valid: boolean;
  reason?: MrzFieldReason;
  /** A name that fills its field to the last position may have been cut short by the issuer. */
  truncated?: boolean;
}

export interface MrzFields {
  documentCode: MrzField;
  issuingState: MrzField;
  surname: MrzField;
  givenNames: MrzField;
  documentNumber: MrzField;
  nationality: MrzField;
  birthDate: MrzField;
  sex: MrzField;
  expiryDate: MrzField;
  optionalData: MrzField;
  /** TD1's second optional data element (line 2). */
  optionalData2?: MrzField;
}

export type MrzCheckName = 'documentNumber' | 'birthDate' | 'expiryDate' | 'optionalData' | 'composite';

export interface MrzCheck {
  name: MrzCheckName;
  /** The check digit as it stands in the zone. */
  actual: string;
  /** The check digit computed from the field; null when the field holds an illegal character. */
  expected: number | null;
  valid: boolean;
}

export interface MrzProblem {
  field: keyof MrzFields | 'zone' | 'composite';
  reason: MrzFieldReason | 'unrecognised_format';
}

export interface MrzParseResult {
  format: MrzFormat | null;
  /** The zone's lines after trimming. */
  lines: string[];
  /** Every field valid and every check digit right. */
  valid: boolean;
  /** Every check digit (the composite included) agrees with its field. */
  checkDigitsValid: boolean;
  /** The document number runs on into the optional data (TD1 and TD2, numbers over nine characters). */
  documentNumberExtended: boolean;
  fields: MrzFields | null;
  checks: MrzCheck[];
  problems: MrzProblem[];
}

export interface ParseOptions {
  /** Today, for resolving two-digit years (defaults to the current date). */
  now?: Date;
  /**
   * Accept `UTO` (Utopia), the state of ICAO's specimens and of test documents. Off by default: no real
   * document carries it.
   */
  specimen?: boolean;
}

/** Splits and trims the input: a string with one line per row, or the rows themselves. */
export function zoneLines(input: string | readonly string[]): string[] {
  const rows = typeof input === 'string' ? input.split(/\r?\n/) : Array.isArray(input) ? input : [];
  return rows
    .filter((row): row is string => typeof row === 'string')
    .map((row) => row.trim())
    .filter((row) => row.length > 0);
}

export function parseMrz(input: string | readonly string[], options: ParseOptions = {}): MrzParseResult {
  const lines = zoneLines(input);
  const format = formatOf(lines);
  if (!format) {
    return {
      format: null,
      lines,
      valid: false,
      checkDigitsValid: false,
      documentNumberExtended: false,
      fields: null,
      checks: [],
      problems: [{ field: 'zone', reason: 'unrecognised_format' }],
    };
  }
  return new ZoneParser(LAYOUTS[format], lines, options.now ?? new Date(), options.specimen ?? false).parse();
}

const invalid = (raw: string, reason: MrzFieldReason, value: string | null = null): MrzField => ({
  raw,
  value,
  valid: false,
  reason,
});

const ALLOWED_FIRST: Record<MrzFormat, string> = {
  TD1: 'ACI',
  TD2: 'ACI',
  TD3: 'P',
  MRVA: 'V',
  MRVB: 'V',
};

class ZoneParser {
  private readonly checks: MrzCheck[] = [];
  private extended = false;

  constructor(
    private readonly layout: FormatLayout,
    private readonly lines: string[],
    private readonly now: Date,
    private readonly specimen: boolean,
  ) {}

  private text(where: FieldSpan | undefined): string {
    if (!where) return '';
    return (this.lines[where.line] ?? '').slice(where.start, where.end);
  }

  private field(name: keyof FormatLayout['fields']): string {
    return this.text(this.layout.fields[name]);
  }

  /** Records a check digit and says whether it matched; `emptyMayBe` lists what an empty field may carry. */
  private check(name: MrzCheckName, data: string, actual: string, emptyMayBe: string[] = []): boolean {
    const expected = checkDigit(data);
    let valid = expected !== null && actual === String(expected);
    if (!valid && /^<*$/.test(data) && emptyMayBe.includes(actual)) valid = true;
    this.checks.push({ name, actual, expected, valid });
    return valid;
  }

  parse(): MrzParseResult {
    const { layout } = this;
    const documentNumber = this.documentNumber();
    const fields: MrzFields = {
      documentCode: this.documentCode(),
      issuingState: this.stateCode(this.field('issuingState')),
      ...this.names(),
      documentNumber: documentNumber.field,
      nationality: this.stateCode(this.field('nationality')),
      birthDate: this.date('birthDate', 'birthDateCheckDigit', 'birth'),
      sex: this.sex(),
      expiryDate: this.date('expiryDate', 'expiryDateCheckDigit', 'expiry'),
      optionalData: this.optionalData(documentNumber.optionalRest),
    };
    if (layout.fields.optionalData2) fields.optionalData2 = plain(this.field('optionalData2'));

    const problems: MrzProblem[] = [];
    for (const [name, field] of Object.entries(fields) as [keyof MrzFields, MrzField][]) {
      if (!field.valid && field.reason) problems.push({ field: name, reason: field.reason });
    }
    if (layout.composite.length > 0) {
      const data = layout.composite.map((where) => this.text(where)).join('');
      const actual = this.field('compositeCheckDigit');
      if (!this.check('composite', data, actual)) {
        problems.push({
          field: 'composite',
          reason: isMrzText(data + actual) ? 'check_digit_mismatch' : 'illegal_character',
        });
      }
    }
    return {
      format: layout.format,
      lines: this.lines,
      valid: problems.length === 0,
      checkDigitsValid: this.checks.every((check) => check.valid),
      documentNumberExtended: this.extended,
      fields,
      checks: this.checks,
      problems,
    };
  }

  private documentCode(): MrzField {
    const raw = this.field('documentCode');
    if (!isMrzText(raw)) return invalid(raw, 'illegal_character');
    const value = raw.replace(/<+$/, '');
    const ok = ALLOWED_FIRST[this.layout.format].includes(raw[0] ?? '') && /^[A-Z][A-Z<]$/.test(raw);
    return ok ? { raw, value, valid: true } : invalid(raw, 'invalid_document_code', value || null);
  }

  private stateCode(raw: string): MrzField {
    if (!isMrzText(raw)) return invalid(raw, 'illegal_character');
    const value = raw.replace(/<+$/, '');
    const known = isIcaoStateCode(value) || (this.specimen && value === 'UTO');
    return known && /^[A-Z]+<*$/.test(raw)
      ? { raw, value, valid: true }
      : invalid(raw, 'unknown_state_code', value || null);
  }

  /** Primary identifier before the first `<<`, secondary after it; single fillers separate words. */
  private names(): { surname: MrzField; givenNames: MrzField } {
    const raw = this.field('name');
    const truncated = raw.length > 0 && !raw.endsWith('<');
    if (!isMrzText(raw)) {
      return { surname: invalid(raw, 'illegal_character'), givenNames: invalid(raw, 'illegal_character') };
    }
    const trimmed = raw.replace(/<+$/, '');
    const cut = trimmed.indexOf('<<');
    const primary = cut < 0 ? trimmed : trimmed.slice(0, cut);
    const secondary = cut < 0 ? '' : trimmed.slice(cut + 2).replace(/^<+/, '');
    const words = (part: string) => part.split(/<+/).filter(Boolean).join(' ');
    const withTruncation = (field: MrzField, last: boolean): MrzField =>
      truncated && last ? { ...field, truncated: true } : field;
    let surname: MrzField;
    if (/\d/.test(primary)) surname = invalid(primary, 'invalid_name', words(primary));
    else if (words(primary) === '') surname = invalid(primary, 'missing_name');
    else surname = { raw: primary, value: words(primary), valid: true };
    const givenNames: MrzField = /\d/.test(secondary)
      ? invalid(secondary, 'invalid_name', words(secondary))
      : { raw: secondary, value: words(secondary), valid: true };
    return {
      surname: withTruncation(surname, cut < 0),
      givenNames: withTruncation(givenNames, cut >= 0),
    };
  }

  /**
   * The document number and its check digit. In TD1 and TD2, a filler in the check digit's place says
   * the number runs on into the optional data, which then holds the rest, the check digit, and a filler.
   */
  private documentNumber(): { field: MrzField; optionalRest: string | null } {
    const principal = this.field('documentNumber');
    const digit = this.field('documentNumberCheckDigit');
    const format = this.layout.format;
    const mayExtend = format === 'TD1' || format === 'TD2';
    if (mayExtend && digit === '<' && /^[A-Z0-9]{9}$/.test(principal)) {
      this.extended = true;
      const optional = this.field('optionalData');
      const end = optional.indexOf('<');
      const run = end < 0 ? optional : optional.slice(0, end);
      const rest = end < 0 ? '' : optional.slice(end + 1);
      const raw = principal + digit + run;
      if (run.length < 2 || !isMrzText(run)) {
        this.checks.push({ name: 'documentNumber', actual: run.slice(-1), expected: null, valid: false });
        return {
          field: invalid(raw, isMrzText(run) ? 'invalid_document_number' : 'illegal_character'),
          optionalRest: rest,
        };
      }
      const number = principal + run.slice(0, -1);
      const ok = this.check('documentNumber', number, run.slice(-1));
      return {
        field: ok ? { raw, value: number, valid: true } : invalid(raw, 'check_digit_mismatch', number),
        optionalRest: rest,
      };
    }
    const value = principal.replace(/<+$/, '');
    const legal = isMrzText(principal);
    const ok = this.check('documentNumber', principal, digit);
    if (!legal) return { field: invalid(principal, 'illegal_character'), optionalRest: null };
    if (value === '' || value.includes('<')) {
      return { field: invalid(principal, 'invalid_document_number', value || null), optionalRest: null };
    }
    return {
      field: ok ? { raw: principal, value, valid: true } : invalid(principal, 'check_digit_mismatch', value),
      optionalRest: null,
    };
  }

  private date(
    name: 'birthDate' | 'expiryDate',
    digitName: 'birthDateCheckDigit' | 'expiryDateCheckDigit',
    kind: DateKind,
  ): MrzField {
    const raw = this.field(name);
    const ok = this.check(name, raw, this.field(digitName));
    if (!isMrzText(raw)) return invalid(raw, 'illegal_character');
    const resolved = resolveDate(raw, kind, this.now);
    if (!resolved.valid) return invalid(raw, resolved.reason ?? 'invalid_date');
    return ok
      ? { raw, value: resolved.value, valid: true }
      : invalid(raw, 'check_digit_mismatch', resolved.value);
  }

  /** M, F, or unspecified (`<`, and the `X` some states print), given as M, F or X. */
  private sex(): MrzField {
    const raw = this.field('sex');
    if (raw === 'M' || raw === 'F') return { raw, value: raw, valid: true };
    if (raw === '<' || raw === 'X') return { raw, value: 'X', valid: true };
    return invalid(raw, isMrzText(raw) ? 'invalid_sex' : 'illegal_character');
  }

  /** The optional data; TD3's carries its own check digit (a filler or 0 when it is empty). */
  private optionalData(restAfterLongNumber: string | null): MrzField {
    const raw = this.field('optionalData');
    const digitSpan = this.layout.fields.optionalDataCheckDigit;
    let ok = true;
    if (digitSpan) ok = this.check('optionalData', raw, this.text(digitSpan), ['<', '0']);
    const field = plain(restAfterLongNumber ?? raw);
    if (!field.valid) return field;
    return ok ? field : invalid(field.raw, 'check_digit_mismatch', field.value);
  }
}

/** A field with no rule beyond the alphabet: the value loses its trailing fillers. */
function plain(raw: string): MrzField {
  if (!isMrzText(raw)) return invalid(raw, 'illegal_character');
  return { raw, value: raw.replace(/<+$/, ''), valid: true };
}
