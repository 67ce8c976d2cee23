/**
 * The verification result as its own object (`GET /v1/sessions/{id}/result`): the decision (or, under
 * review, the system's recommendation), the checks, and the person and document fields the service
 * extracted, when it did. Only once the session is over: while it is active there is no result yet.
 */
import { isTerminal, type SessionStatus } from '../../core/session/lifecycle.js';
import { conflict } from '../errors.js';
import { storedExtraction } from '../mrz/session-document.js';
import type { Secrets } from '../secrets.js';
import type { SessionRow } from '../store/store.js';
import type { Check } from './decide.js';

export interface SessionResult {
  sessionId: string;
  status: string;
  flow: string;
  /** The final decision; null while under review (see `recommendation`) and for failed sessions. */
  decision: 'approved' | 'declined' | null;
  /** What the checks say: the system's decision, `review` when a person must look. */
  recommendation: string | null;
  decisionReasons: string[];
  decidedBy: 'system' | 'integrator' | null;
  checks: Check[];
  person: {
    firstName: string | null;
    lastName: string | null;
    dateOfBirth: string | null;
    nationality: string | null;
    sex: string | null;
  } | null;
  document: {
    type: string | null;
    number: string | null;
    issuingCountry: string | null;
    expiryDate: string | null;
    source: string;
    checkDigitsValid: boolean;
    confidence: number;
  } | null;
  completedAt: string | null;
  redacted: boolean;
}

const parse = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

export function sessionResult(row: SessionRow, secrets: Secrets): SessionResult {
  if (!isTerminal(row.status as SessionStatus)) {
    throw conflict(
      'result_not_ready',
      `The session is ${row.status}; its result is ready once it is completed, failed, expired or cancelled.`,
    );
  }
  const extraction = storedExtraction(row, secrets);
  const fields = extraction?.status === 'read' ? extraction.fields : null;
  const settled = row.decision === 'approved' || row.decision === 'declined' ? row.decision : null;
  return {
    sessionId: row.id,
    status: row.status,
    flow: row.flow,
    decision: settled,
    recommendation: row.decided_by === 'integrator' ? null : row.decision,
    decisionReasons: parse(row.decision_reasons, []),
    decidedBy: row.decided_by as SessionResult['decidedBy'],
    checks: parse(row.checks, []),
    person: fields
      ? {
          firstName: fields.givenNames,
          lastName: fields.surname,
          dateOfBirth: fields.birthDate,
          nationality: fields.nationality,
          sex: fields.sex,
        }
      : null,
    document:
      extraction && fields
        ? {
            type: fields.documentType,
            number: fields.documentNumber,
            issuingCountry: fields.issuingState,
            expiryDate: fields.expiryDate,
            source: extraction.source,
            checkDigitsValid: extraction.checkDigitsValid,
            confidence: extraction.confidence,
          }
        : null,
    completedAt: row.completed_at,
    redacted: row.redacted_at !== null,
  };
}
