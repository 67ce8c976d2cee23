/**
 * Automatic extraction: what the machine-readable zone of an accepted `document_back` or `passport`
 * image says, as the session keeps it (encrypted at rest, like the subject), and the summary the image's
 * server metrics may carry (no personal data).
 */
import type { MrzFormat } from '../../core/mrz/formats.js';
import type { MrzProblem } from '../../core/mrz/parse.js';
import { readMrz, type MrzRead, type ReadOptions } from './read.js';

export const MRZ_IMAGE_KINDS: ReadonlySet<string> = new Set(['document_back', 'passport']);

export interface ExtractedFields {
  surname: string | null;
  givenNames: string | null;
  documentNumber: string | null;
  /** The document code: P, PD, I, ID, AC … */
  documentType: string | null;
  issuingState: string | null;
  nationality: string | null;
  /** ISO 8601 (YYYY-MM-DD, or shorter when the document leaves the day or month unknown). */
  birthDate: string | null;
  expiryDate: string | null;
  /** M, F or X (unspecified). */
  sex: string | null;
}

export interface DocumentExtraction {
  source: 'mrz';
  imageId: string;
  imageKind: string;
  /** `unavailable`: the reader could not run (its models did not load). */
  status: 'read' | 'not_found' | 'unavailable';
  format: MrzFormat | null;
  /** The zone as read. */
  zone: string[];
  fields: ExtractedFields | null;
  /** Each check digit of the zone and whether it agreed. */
  checkDigits: { name: string; valid: boolean }[];
  checkDigitsValid: boolean;
  /** Fields that did not pass their own rules (unknown state code, impossible date …). */
  problems: MrzProblem[];
  /** 0–1; see `readMrz`. */
  confidence: number;
  /** A person should look before this is relied on. */
  doubtful: boolean;
  readAt: string;
  readMs: number;
}

/** The part of an extraction an image's server metrics may show: no personal data. */
export function extractionSummary(extraction: DocumentExtraction) {
  return {
    status: extraction.status,
    format: extraction.format,
    checkDigitsValid: extraction.checkDigitsValid,
    confidence: extraction.confidence,
    doubtful: extraction.doubtful,
    readMs: Math.round(extraction.readMs),
  };
}

function fieldsOf(read: MrzRead): ExtractedFields | null {
  const fields = read.parsed?.fields;
  if (!fields) return null;
  return {
    surname: fields.surname.value,
    givenNames: fields.givenNames.value,
    documentNumber: fields.documentNumber.value,
    documentType: fields.documentCode.value,
    issuingState: fields.issuingState.value,
    nationality: fields.nationality.value,
    birthDate: fields.birthDate.value,
    expiryDate: fields.expiryDate.value,
    sex: fields.sex.value,
  };
}

/** One read at a time: the models use every core, and two at once would only take twice as long each. */
let queue: Promise<unknown> = Promise.resolve();

function serialised<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

export async function extractDocument(
  imageBytes: Uint8Array,
  image: { imageId: string; kind: string },
  options: ReadOptions = {},
): Promise<DocumentExtraction> {
  const started = performance.now();
  const base = {
    source: 'mrz' as const,
    imageId: image.imageId,
    imageKind: image.kind,
    readAt: (options.now ?? new Date()).toISOString(),
  };
  let read: MrzRead;
  try {
    read = await serialised(() => readMrz(imageBytes, options));
  } catch {
    return {
      ...base,
      status: 'unavailable',
      format: null,
      zone: [],
      fields: null,
      checkDigits: [],
      checkDigitsValid: false,
      problems: [],
      confidence: 0,
      doubtful: true,
      readMs: performance.now() - started,
    };
  }
  return {
    ...base,
    status: read.status,
    format: read.format,
    zone: read.lines,
    fields: fieldsOf(read),
    checkDigits: (read.parsed?.checks ?? []).map((check) => ({ name: check.name, valid: check.valid })),
    checkDigitsValid: read.parsed?.checkDigitsValid ?? false,
    problems: read.parsed?.problems ?? [],
    confidence: read.confidence,
    doubtful: read.doubtful,
    readMs: performance.now() - started,
  };
}

/** Whether the service reads zones at all (`IDV_DOCUMENT_READING=off` turns it off). */
export function documentReadingEnabled(): boolean {
  return (process.env['IDV_DOCUMENT_READING'] ?? 'on') !== 'off';
}
