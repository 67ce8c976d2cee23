/**
 * Schema migrations, written with Kysely's schema builder so the same steps run on SQLite and PostgreSQL.
 * Append new migrations; never edit one that has shipped.
 */
import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('redirect_origins', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('api_key_id', 'text', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('subject_enc', 'text')
      .addColumn('metadata', 'text')
      .addColumn('redirect_url', 'text')
      .addColumn('state', 'text')
      .addColumn('locale', 'text')
      .addColumn('mock_behavior', 'text')
      .addColumn('ttl_seconds', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('consent_at', 'text')
      .addColumn('decision', 'text')
      .addColumn('decision_reasons', 'text')
      .addColumn('checks', 'text')
      .addColumn('accepted_kinds', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('decided_by', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('redacted_at', 'text')
      .execute();
    await db.schema
      .createIndex('sessions_env_created')
      .on('sessions')
      .columns(['environment', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('sessions_env_reference')
      .on('sessions')
      .columns(['environment', 'reference', 'status'])
      .execute();
    await db.schema
      .createIndex('sessions_status_expires')
      .on('sessions')
      .columns(['status', 'expires_at'])
      .execute();

    await db.schema
      .createTable('tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tokens_session').on('tokens').column('session_id').execute();

    await db.schema
      .createTable('images')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('upload_key', 'text')
      .addColumn('accepted', 'integer', (c) => c.notNull())
      .addColumn('feedback', 'text', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('metrics', 'text')
      .addColumn('server_metrics', 'text', (c) => c.notNull())
      .addColumn('blob_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('images_session')
      .on('images')
      .columns(['session_id', 'created_at'])
      .execute();
    // A client retry of the same upload must find the first result, never store a second image.
    await db.schema
      .createIndex('images_session_upload_key')
      .on('images')
      .columns(['session_id', 'upload_key'])
      .unique()
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('api_key_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response_enc', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'key'])
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('api_key_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_session').on('audit_events').column('session_id').execute();
  },
};

/** Automatic extraction from the document's machine-readable zone, encrypted like the subject. */
const documentExtraction: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sessions').addColumn('document_enc', 'text').execute();
  },
};

/** Webhooks (issue 7): endpoints, the outbox of session events, deliveries and their attempts; devices. */
const webhooks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('session', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('dispatched', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_dispatch').on('events').columns(['dispatched', 'seq']).execute();
    await db.schema.createIndex('events_session').on('events').columns(['session_id', 'seq']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('endpoint_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'integer', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_response_code', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    // Per-session order: the worker looks for an earlier pending delivery of the same session.
    await db.schema
      .createIndex('deliveries_session_order')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'session_id', 'status', 'event_seq'])
      .execute();
    await db.schema
      .createIndex('deliveries_endpoint_created')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('deliveries_event_endpoint')
      .on('webhook_deliveries')
      .columns(['event_id', 'endpoint_id'])
      .unique()
      .execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('response_code', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('attempts_delivery')
      .on('webhook_attempts')
      .columns(['delivery_id', 'attempt'])
      .execute();

    await db.schema.alterTable('images').addColumn('device', 'text').execute();
  },
};

export const migrations: MigrationProvider = {
  async getMigrations() {
    return {
      '0001_initial': initial,
      '0002_document_extraction': documentExtraction,
      '0003_webhooks': webhooks,
    };
  },
};
