/**
 * Checks and the decision for a session whose required images are all in. Every check says where its
 * evidence came from; what the service cannot verify itself goes to `review`, never to `approved`.
 */
import type { Flow } from '../../core/session/flows.js';
import type { Decision } from '../../core/session/lifecycle.js';
import { documentCheck, type SubjectData } from '../mrz/document-check.js';
import type { DocumentExtraction } from '../mrz/extract.js';
import type { ImageRow } from '../store/store.js';

export type CheckStatus = 'passed' | 'failed' | 'review' | 'not_performed';

export interface Check {
  type: 'image_quality' | 'liveness' | 'face_match' | 'document';
  status: CheckStatus;
  score?: number;
  reasons: string[];
  /** Where the evidence came from: the service's own measures, the capture device, or nothing yet. */
  source: 'server' | 'device' | 'none';
}

/** Sandbox only: `fail` ends the session as `failed` (processing could not finish) once its images are in. */
export const MOCK_BEHAVIORS = ['approve', 'decline', 'review', 'fail'] as const;
export type MockBehavior = (typeof MOCK_BEHAVIORS)[number];

export interface Outcome {
  /** What the session becomes: `failed` only when processing could not finish (no decision then). */
  status: 'completed' | 'failed';
  checks: Check[];
  decision: Decision | null;
  decisionReasons: string[];
}

/** What the capture device reported for an image (hints only). */
interface DeviceMetrics {
  capture?: 'auto' | 'manual' | 'file';
  guidance?: string;
  faceCount?: number;
  faceScore?: number;
}

function deviceMetrics(image: ImageRow): DeviceMetrics {
  return image.metrics ? (JSON.parse(image.metrics) as DeviceMetrics) : {};
}

function imageQuality(images: ImageRow[]): Check {
  const accepted = images.filter((image) => image.accepted === 1 && image.kind !== 'liveness_frame');
  const sharpness = accepted.map(
    (image) => (JSON.parse(image.server_metrics) as { sharpness: number }).sharpness,
  );
  // A rough 0–1 score: sharpness saturates well above the intake threshold.
  const score = sharpness.length > 0 ? Math.min(1, Math.min(...sharpness) / 100) : 0;
  return {
    type: 'image_quality',
    status: 'passed',
    score: Number(score.toFixed(3)),
    reasons: [],
    source: 'server',
  };
}

function liveness(images: ImageRow[]): Check {
  const selfie = images.find((image) => image.kind === 'selfie' && image.accepted === 1);
  const metrics = selfie ? deviceMetrics(selfie) : {};
  // The service has no face model of its own yet: a live, automatic capture with exactly one face and every
  // on-device rule passing is the evidence; anything less is sent to a person.
  if (metrics.capture === 'auto' && metrics.faceCount === 1 && metrics.guidance === 'ok') {
    const check: Check = { type: 'liveness', status: 'passed', reasons: [], source: 'device' };
    if (typeof metrics.faceScore === 'number') check.score = metrics.faceScore;
    return check;
  }
  const reason = metrics.capture === 'file' ? 'selfie_uploaded_as_file' : 'liveness_not_confirmed';
  return { type: 'liveness', status: 'review', reasons: [reason], source: 'device' };
}

/** What the service knows beyond the images: the zone it read, and the integrator's subject to compare. */
export interface Evidence {
  document?: DocumentExtraction | null;
  subject?: SubjectData | null;
  now?: Date;
}

function checksFor(flow: Flow, images: ImageRow[], evidence: Evidence): Check[] {
  const checks: Check[] = [imageQuality(images)];
  if (flow !== 'document') checks.push(liveness(images));
  if (flow.includes('facematch')) {
    checks.push({
      type: 'face_match',
      status: 'not_performed',
      reasons: ['face_match_unavailable'],
      source: 'none',
    });
  }
  if (flow.includes('document')) {
    checks.push(
      evidence.document
        ? documentCheck(evidence.document, evidence.subject ?? null, evidence.now ?? new Date())
        : { type: 'document', status: 'review', reasons: ['document_not_verified'], source: 'none' },
    );
  }
  return checks;
}

function decisionOf(checks: Check[]): Decision {
  if (checks.some((check) => check.status === 'failed')) return 'declined';
  if (checks.every((check) => check.status === 'passed')) return 'approved';
  return 'review';
}

export function decide(
  flow: Flow,
  images: ImageRow[],
  mock: MockBehavior | null,
  evidence: Evidence = {},
): Outcome {
  const checks = checksFor(flow, images, evidence);
  if (mock === 'fail') return { status: 'failed', checks, decision: null, decisionReasons: ['mock_failed'] };
  if (mock) {
    // Sandbox only: a deterministic outcome for the integrator's tests, named as such in the reasons.
    const decision: Decision = mock === 'approve' ? 'approved' : mock === 'decline' ? 'declined' : 'review';
    return { status: 'completed', checks, decision, decisionReasons: [`mock_${decision}`] };
  }
  const decision = decisionOf(checks);
  const decisionReasons =
    decision === 'approved' ? [] : [...new Set(checks.flatMap((check) => check.reasons))];
  return { status: 'completed', checks, decision, decisionReasons };
}
