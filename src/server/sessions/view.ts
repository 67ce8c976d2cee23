/** The session as the integrator API shows it (camelCase JSON). */
import { missingImages, type Flow, type ImageKind } from '../../core/session/flows.js';
import type { Decision, SessionStatus } from '../../core/session/lifecycle.js';
import type { Secrets } from '../secrets.js';
import type { ImageRow, SessionRow } from '../store/store.js';
import type { Check } from './decide.js';

export interface SessionView {
  sessionId: string;
  environment: string;
  status: SessionStatus;
  flow: string;
  reference: string | null;
  state: string | null;
  redirectUrl: string | null;
  locale: string | null;
  metadata: Record<string, unknown> | null;
  subject: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  consentAt: string | null;
  completedAt: string | null;
  redactedAt: string | null;
  decision: Decision | null;
  decisionReasons: string[];
  checks: Check[];
  missingImages: ImageKind[];
}

const parse = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

/** The session object of webhook events: what the API shows, less the applicant data. */
export type EventSessionView = Omit<SessionView, 'subject'>;

export function sessionView(row: SessionRow, secrets: Secrets): SessionView {
  return {
    ...eventSessionView(row),
    subject: row.subject_enc
      ? (JSON.parse(secrets.decrypt(row.subject_enc)) as Record<string, unknown>)
      : null,
  };
}

/** Built without the key: events are written inside transactions, where decrypting would only cost. */
export function eventSessionView(row: SessionRow): EventSessionView {
  return {
    sessionId: row.id,
    environment: row.environment,
    status: row.status as SessionStatus,
    flow: row.flow,
    reference: row.reference,
    state: row.state,
    redirectUrl: row.redirect_url,
    locale: row.locale,
    metadata: parse(row.metadata, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    consentAt: row.consent_at,
    completedAt: row.completed_at,
    redactedAt: row.redacted_at,
    decision: row.decision as Decision | null,
    decisionReasons: parse(row.decision_reasons, []),
    checks: parse(row.checks, []),
    missingImages: row.redacted_at
      ? []
      : missingImages(row.flow as Flow, parse<ImageKind[]>(row.accepted_kinds, [])),
  };
}

export interface ImageView {
  imageId: string;
  kind: string;
  accepted: boolean;
  feedback: unknown[];
  width: number;
  height: number;
  bytes: number;
  contentType: string;
  sha256: string;
  deviceMetrics: Record<string, unknown> | null;
  /** Who sent the image and how it was taken (null for images from before device records). */
  device: Record<string, unknown> | null;
  serverMetrics: Record<string, unknown>;
  stored: boolean;
  createdAt: string;
}

export function imageView(row: ImageRow): ImageView {
  return {
    imageId: row.id,
    kind: row.kind,
    accepted: row.accepted === 1,
    feedback: parse(row.feedback, []),
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    contentType: row.content_type,
    sha256: row.sha256,
    deviceMetrics: parse(row.metrics, null),
    device: parse(row.device ?? null, null),
    serverMetrics: parse(row.server_metrics, {}),
    stored: row.blob_key !== null,
    createdAt: row.created_at,
  };
}
