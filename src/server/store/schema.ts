/**
 * Table shapes as Kysely sees them. Times are ISO-8601 UTC strings (`Date#toISOString`): they sort and
 * compare as text the same way on SQLite and PostgreSQL. JSON columns hold serialised text for the same
 * reason. Booleans are 0/1 integers.
 */

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

export interface Database {
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  images: ImagesTable;
  idempotency_keys: IdempotencyTable;
  audit_events: AuditEventsTable;
}
