/**
 * The `document` check from what the zone said. Reasons: `mrz_unreadable` (no zone found or read),
 * `mrz_checksum_failed` (a check digit disagrees), `mrz_invalid_field` (a field breaks its own rules),
 * `mrz_low_confidence` (read, but not surely), `document_expired`, `subject_mismatch` (a name or birth
 * date the integrator gave differs). A clear failure of a confident read fails the check; anything the
 * reader may have got wrong goes to review.
 */
import type { Check } from '../sessions/decide.js';
import type { DocumentExtraction } from './extract.js';

export interface SubjectData {
  firstName?: unknown;
  lastName?: unknown;
  middleName?: unknown;
  dateOfBirth?: unknown;
}

/** ICAO 9303 part 3 transliterations that differ from simply dropping the accent. */
const TRANSLITERATIONS: Record<string, string> = {
  Ä: 'AE',
  Ö: 'OE',
  Ü: 'UE',
  ß: 'SS',
  Å: 'AA',
  Æ: 'AE',
  Ø: 'OE',
  Œ: 'OE',
  Þ: 'TH',
  Ð: 'D',
  Ĳ: 'IJ',
};

/** A name's words as the zone could write them: with ICAO's transliteration, and with accents dropped. */
function nameForms(name: string): string[][] {
  const upper = name.toUpperCase();
  const icao = [...upper].map((c) => TRANSLITERATIONS[c] ?? c).join('');
  const words = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Z]+/g, ' ')
      .trim()
      .split(' ')
      .filter(Boolean);
  return [words(icao), words(upper)];
}

/**
 * True when the integrator's name fits the zone's: the same words in the same order, allowing the zone
 * to cut the last word short (names longer than the field are truncated) and to carry more given names
 * than the integrator sent.
 */
function nameFits(given: string, zone: string, truncatable: boolean): boolean {
  const zoneWords = zone.split(' ').filter(Boolean);
  return nameForms(given).some((words) => {
    if (words.length === 0) return true;
    const joined = words.join(' ');
    const zoneJoined = zoneWords.join(' ');
    if (zoneJoined === joined) return true;
    if (zoneJoined.startsWith(joined + ' ')) return true; // more given names in the zone
    return truncatable && joined.startsWith(zoneJoined) && zoneJoined.length > 0;
  });
}

/** Differences between the subject and the zone, as field names. */
export function subjectMismatches(extraction: DocumentExtraction, subject: SubjectData | null): string[] {
  const fields = extraction.fields;
  if (!fields || !subject) return [];
  const mismatches: string[] = [];
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
  const lastName = text(subject.lastName);
  if (lastName && fields.surname !== null && !nameFits(lastName, fields.surname, true)) {
    mismatches.push('lastName');
  }
  const first = [text(subject.firstName), text(subject.middleName)].filter(Boolean).join(' ');
  if (first && fields.givenNames !== null && !nameFits(first, fields.givenNames, true)) {
    mismatches.push('firstName');
  }
  const birth = text(subject.dateOfBirth);
  // The zone may leave the day or month of birth unknown: compare what it gives.
  if (birth && fields.birthDate !== null && !birth.startsWith(fields.birthDate)) {
    mismatches.push('dateOfBirth');
  }
  return mismatches;
}

export function documentCheck(extraction: DocumentExtraction, subject: SubjectData | null, now: Date): Check {
  if (extraction.status === 'unavailable') {
    return { type: 'document', status: 'review', reasons: ['document_not_verified'], source: 'none' };
  }
  if (extraction.status !== 'read' || !extraction.fields) {
    return { type: 'document', status: 'review', score: 0, reasons: ['mrz_unreadable'], source: 'server' };
  }
  const reasons: string[] = [];
  let failed = false;
  const sure = !extraction.doubtful;
  if (!extraction.checkDigitsValid) reasons.push('mrz_checksum_failed');
  if (extraction.problems.some((problem) => problem.reason !== 'check_digit_mismatch')) {
    reasons.push('mrz_invalid_field');
  }
  const expiry = extraction.fields.expiryDate;
  if (expiry && expiry < now.toISOString().slice(0, 10)) {
    reasons.push('document_expired');
    failed ||= sure;
  }
  if (subjectMismatches(extraction, subject).length > 0) {
    reasons.push('subject_mismatch');
    failed ||= sure;
  }
  if (extraction.doubtful && reasons.length === 0) reasons.push('mrz_low_confidence');
  const status = failed ? 'failed' : reasons.length > 0 ? 'review' : 'passed';
  return { type: 'document', status, score: extraction.confidence, reasons, source: 'server' };
}
