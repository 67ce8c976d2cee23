/**
 * Table shapes as Kysely sees them. Times are ISO-8601 UTC strings (`Date#toISOString`): they sort and
 * compare as text the same way on SQLite and PostgreSQL. JSON columns hold serialised text for the same
 * reason. Booleans are 0/1 integers.
 */

import type { Generated } from 'kysely';

export type Environment = 'sandbox' | 'live';

export interface ApiKeysTable {
  id: string;
  environment: Environment;
  hash: string;
  prefix: string;
  scopes: string; // JSON string[]
  redirect_origins: string; // JSON string[]
  created_at: string;
  revoked_at: string | null;
}

export interface SessionsTable {
  id: string;
  environment: Environment;
  api_key_id: string;
  flow: string;
  status: string;
  reference: string | null;
  subject_enc: string | null; // encrypted JSON
  metadata: string | null; // JSON object
  redirect_url: string | null;
  state: string | null;
  locale: string | null;
  mock_behavior: string | null;
  ttl_seconds: number;
  expires_at: string;
  created_at: string;
  updated_at: string;
  consent_at: string | null;
  decision: string | null;
  decision_reasons: string | null; // JSON string[]
  checks: string | null; // JSON Check[]
  accepted_kinds: string; // JSON ImageKind[]: kinds with an accepted image, for missingImages
  decided_by: string | null; // 'system' | 'integrator'
  completed_at: string | null;
  redacted_at: string | null;
  /** Encrypted JSON: what the document's machine-readable zone said (issue 6); absent before migration 0002. */
  document_enc?: string | null;
}

export interface TokensTable {
  hash: string;
  session_id: string;
  kind: 'client' | 'upload';
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface ImagesTable {
  id: string;
  session_id: string;
  kind: string;
  upload_key: string | null;
  accepted: number;
  feedback: string; // JSON ImageFeedback[]
  width: number;
  height: number;
  bytes: number;
  content_type: string;
  sha256: string;
  metrics: string | null; // JSON object from the device
  /** JSON DeviceRecord: who sent the image and how it was taken (absent before migration 0003). */
  device?: string | null;
  server_metrics: string; // JSON object measured here
  blob_key: string | null; // null once redacted or for refused images
  created_at: string;
}

export interface IdempotencyTable {
  api_key_id: string;
  key: string;
  request_hash: string;
  status_code: number | null; // null while the first request is still running
  response_enc: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  session_id: string;
  environment: string;
  api_key_id: string | null;
  action: string;
  details: string | null;
  at: string;
}

/** Integrator webhook endpoints, per environment. The secret signs deliveries, so it is kept encrypted. */
export interface WebhookEndpointsTable {
  id: string;
  environment: Environment;
  url: string;
  events: string; // JSON string[]: the event types wanted, or ['*']
  description: string | null;
  secret_enc: string;
  created_at: string;
}

/**
 * The transactional outbox: one row per session change, written in the change's own transaction. `seq`
 * is the commit order (all writes go through one connection), which is the order a session's events are
 * delivered in. `dispatched` turns 1 once the worker has made a delivery row for each endpoint.
 */
export interface EventsTable {
  seq: Generated<number>;
  id: string;
  environment: Environment;
  session_id: string;
  type: string;
  session: string; // JSON: the session object at the time of the change (no applicant data)
  created_at: string;
  dispatched: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  event_seq: number;
  session_id: string;
  environment: Environment;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  /** When the next attempt is due; while one is in flight, when its lease runs out. Null once settled. */
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_response_code: number | null;
  created_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: string;
  outcome: 'succeeded' | 'failed' | 'refused';
  response_code: number | null;
  latency_ms: number;
  error: string | null;
}

export interface Database {
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  images: ImagesTable;
  idempotency_keys: IdempotencyTable;
  audit_events: AuditEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
