/**
 * Two-digit years made whole. A birth date is the latest date with those digits that is not in the
 * future; an expiry date is the one within fifty years either side of today (documents are valid for ten
 * years or so, and an expired one is still read as expired, not as a date a century ahead).
 */

export type DateKind = 'birth' | 'expiry';

export type DateReason = 'invalid_date' | 'unknown_date';

export interface ResolvedDate {
  /** ISO 8601: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the zone leaves the day or month unknown (`<<`). */
  value: string | null;
  valid: boolean;
  reason?: DateReason;
}

const EXPIRY_WINDOW_YEARS = 50;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `today` as a comparable YYYYMMDD number, in UTC. */
function ymd(date: Date): number {
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/**
 * Resolves a YYMMDD field. Birth dates may leave the day, or the month and day, unknown as `<<`
 * (ICAO 9303 part 3 §4.8); expiry dates may not.
 */
export function resolveDate(raw: string, kind: DateKind, now: Date = new Date()): ResolvedDate {
  if (!/^[0-9<]{6}$/.test(raw)) return { value: null, valid: false, reason: 'invalid_date' };
  const yy = raw.slice(0, 2);
  const mm = raw.slice(2, 4);
  const dd = raw.slice(4, 6);
  if (!/^\d\d$/.test(yy)) return { value: null, valid: false, reason: 'unknown_date' };
  const monthKnown = /^\d\d$/.test(mm);
  const dayKnown = /^\d\d$/.test(dd);
  if ((!monthKnown && mm !== '<<') || (!dayKnown && dd !== '<<') || (!monthKnown && dayKnown)) {
    return { value: null, valid: false, reason: 'invalid_date' };
  }
  if ((!monthKnown || !dayKnown) && kind === 'expiry') {
    return { value: null, valid: false, reason: 'unknown_date' };
  }
  const month = monthKnown ? Number(mm) : 0;
  const day = dayKnown ? Number(dd) : 0;
  if (monthKnown && (month < 1 || month > 12)) return { value: null, valid: false, reason: 'invalid_date' };

  const two = Number(yy);
  const thisYear = now.getUTCFullYear();
  let year: number;
  if (kind === 'birth') {
    // The latest year ending in these digits whose date (unknown parts at their earliest) is not after today.
    year = thisYear - ((((thisYear - two) % 100) + 100) % 100);
    const probe = year * 10000 + (monthKnown ? month : 1) * 100 + (dayKnown ? day : 1);
    if (probe > ymd(now)) year -= 100;
  } else {
    year = thisYear - ((((thisYear - two) % 100) + 100) % 100);
    if (year < thisYear - EXPIRY_WINDOW_YEARS) year += 100;
  }
  // A day that cannot exist in that month, with the century known (29 February needs a leap year).
  if (dayKnown && (day < 1 || day > daysInMonth(year, month))) {
    return { value: null, valid: false, reason: 'invalid_date' };
  }
  const value = !monthKnown
    ? `${year}`
    : !dayKnown
      ? `${year}-${pad2(month)}`
      : `${year}-${pad2(month)}-${pad2(day)}`;
  return { value, valid: true };
}
