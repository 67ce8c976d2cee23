/**
 * The extraction as the session keeps it: encrypted at rest with the service's key (as the subject is),
 * decrypted for the decision, the report and the export; redaction clears the column.
 */
import type { Secrets } from '../secrets.js';
import type { Evidence } from '../sessions/decide.js';
import type { SessionRow } from '../store/store.js';
import type { SubjectData } from './document-check.js';
import type { DocumentExtraction } from './extract.js';

export function encryptExtraction(extraction: DocumentExtraction, secrets: Secrets): string {
  return secrets.encrypt(JSON.stringify(extraction));
}

export function storedExtraction(row: SessionRow, secrets: Secrets): DocumentExtraction | null {
  return row.document_enc ? (JSON.parse(secrets.decrypt(row.document_enc)) as DocumentExtraction) : null;
}

/** The evidence for a decision: the newest extraction (this upload's, else the stored one) and the subject. */
export function evidenceFor(
  row: SessionRow,
  secrets: Secrets,
  now: Date,
  fresh?: DocumentExtraction | null,
): Evidence {
  const subject = row.subject_enc ? (JSON.parse(secrets.decrypt(row.subject_enc)) as SubjectData) : null;
  return { document: fresh ?? storedExtraction(row, secrets), subject, now };
}

/** The report's and the export's view of the extraction (without the reader's timing). */
export function documentReport(row: SessionRow, secrets: Secrets) {
  const extraction = storedExtraction(row, secrets);
  if (!extraction) return null;
  const { readMs: _readMs, ...shown } = extraction;
  return shown;
}
