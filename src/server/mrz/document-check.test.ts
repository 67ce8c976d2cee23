import { describe, expect, it } from 'vitest';
import { decide } from '../sessions/decide.js';
import type { ImageRow } from '../store/store.js';
import { documentCheck, subjectMismatches } from './document-check.js';
import type { DocumentExtraction } from './extract.js';

const now = new Date('2026-03-10T12:00:00Z');

function extraction(over: Partial<DocumentExtraction> = {}, fields = {}): DocumentExtraction {
  return {
    source: 'mrz',
    imageId: 'img_1',
    imageKind: 'passport',
    status: 'read',
    format: 'TD3',
    zone: [],
    fields: {
      surname: 'MUELLER SCHMIDT',
      givenNames: 'ANNA MARIA',
      documentNumber: 'C01X00T47',
      documentType: 'P',
      issuingState: 'D',
      nationality: 'D',
      birthDate: '1984-08-12',
      expiryDate: '2030-04-15',
      sex: 'F',
      ...fields,
    },
    checkDigits: [],
    checkDigitsValid: true,
    problems: [],
    confidence: 0.93,
    doubtful: false,
    readAt: now.toISOString(),
    readMs: 400,
    ...over,
  };
}

describe('the document check', () => {
  it('passes a confident, consistent, valid read, with its confidence as the score', () => {
    expect(documentCheck(extraction(), null, now)).toEqual({
      type: 'document',
      status: 'passed',
      score: 0.93,
      reasons: [],
      source: 'server',
    });
  });

  it('sends an unreadable zone to review, and says when no reader ran', () => {
    const missing = documentCheck(extraction({ status: 'not_found', fields: null }), null, now);
    expect(missing).toMatchObject({ status: 'review', reasons: ['mrz_unreadable'], source: 'server' });
    const off = documentCheck(extraction({ status: 'unavailable', fields: null }), null, now);
    expect(off).toMatchObject({ status: 'review', reasons: ['document_not_verified'], source: 'none' });
  });

  it('sends a failed check digit to review (a misread is as likely as a forgery)', () => {
    const check = documentCheck(extraction({ checkDigitsValid: false, doubtful: true }), null, now);
    expect(check).toMatchObject({ status: 'review', reasons: ['mrz_checksum_failed'] });
  });

  it('fails an expired document read with confidence, reviews one read without', () => {
    const expired = extraction({}, { expiryDate: '2026-03-09' });
    expect(documentCheck(expired, null, now)).toMatchObject({
      status: 'failed',
      reasons: ['document_expired'],
    });
    const unsure = extraction({ doubtful: true }, { expiryDate: '2026-03-09' });
    expect(documentCheck(unsure, null, now)).toMatchObject({
      status: 'review',
      reasons: ['document_expired'],
    });
    // Valid through its expiry day.
    expect(documentCheck(extraction({}, { expiryDate: '2026-03-10' }), null, now).status).toBe('passed');
  });

  it('reviews a doubtful read that is otherwise fine', () => {
    const check = documentCheck(extraction({ doubtful: true, confidence: 0.3 }), null, now);
    expect(check).toMatchObject({ status: 'review', reasons: ['mrz_low_confidence'], score: 0.3 });
  });

  it('names a field that breaks its own rules', () => {
    const check = documentCheck(
      extraction({ doubtful: true, problems: [{ field: 'nationality', reason: 'unknown_state_code' }] }),
      null,
      now,
    );
    expect(check).toMatchObject({ status: 'review', reasons: ['mrz_invalid_field'] });
  });
});

describe('comparing the subject with the zone', () => {
  const read = extraction();
  it('accepts the same person written as the zone writes names', () => {
    const subjects = [
      { lastName: 'Müller-Schmidt', firstName: 'Anna', dateOfBirth: '1984-08-12' },
      { lastName: 'mueller schmidt', firstName: 'Anna Maria' },
      { lastName: 'Müller Schmidt', firstName: 'Anna', middleName: 'María' },
      { dateOfBirth: '1984-08-12' },
      {},
    ];
    for (const subject of subjects)
      expect(subjectMismatches(read, subject), JSON.stringify(subject)).toEqual([]);
  });

  it('allows the zone to cut a long name short', () => {
    const truncated = extraction({}, { surname: 'WOLFESCHLEGELSTEINHAUSENBERGERDOR' });
    expect(subjectMismatches(truncated, { lastName: 'Wolfeschlegelsteinhausenbergerdorff' })).toEqual([]);
  });

  it('finds a different name or birth date, and fails the check when the read is sure', () => {
    expect(subjectMismatches(read, { lastName: 'Schmidt' })).toEqual(['lastName']);
    expect(subjectMismatches(read, { firstName: 'Maria' })).toEqual(['firstName']);
    expect(subjectMismatches(read, { dateOfBirth: '1984-08-13' })).toEqual(['dateOfBirth']);
    const check = documentCheck(read, { lastName: 'Schmidt' }, now);
    expect(check).toMatchObject({ status: 'failed', reasons: ['subject_mismatch'] });
    expect(documentCheck(extraction({ doubtful: true }), { lastName: 'Schmidt' }, now).status).toBe('review');
  });

  it('compares only the part of a birth date the zone gives', () => {
    const partial = extraction({}, { birthDate: '1984-08' });
    expect(subjectMismatches(partial, { dateOfBirth: '1984-08-31' })).toEqual([]);
    expect(subjectMismatches(partial, { dateOfBirth: '1984-09-01' })).toEqual(['dateOfBirth']);
  });
});

describe('decide with a document read', () => {
  const image = {
    accepted: 1,
    kind: 'passport',
    server_metrics: JSON.stringify({ sharpness: 150 }),
    metrics: null,
  } as unknown as ImageRow;

  it('approves a document flow whose zone passed, declines an expired document, reviews without a read', () => {
    expect(decide('document', [image], null, { document: extraction(), now }).decision).toBe('approved');
    const expired = decide('document', [image], null, {
      document: extraction({}, { expiryDate: '2020-01-01' }),
      now,
    });
    expect(expired).toMatchObject({ decision: 'declined', decisionReasons: ['document_expired'] });
    expect(decide('document', [image], null).decisionReasons).toEqual(['document_not_verified']);
  });
});
