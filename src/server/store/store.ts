/**
 * The one storage interface the service uses. It speaks Kysely, so the same queries run on the embedded
 * SQLite file and on PostgreSQL; only the connection (see sqlite.ts) differs.
 */
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import { GroupCommit } from './group-commit.js';
import { migrations } from './migrations.js';
import { arg, argsFor, prepare, type Prepared } from './prepared.js';
import type {
  ApiKeysTable,
  AuditEventsTable,
  Database,
  Environment,
  EventsTable,
  ImagesTable,
  SessionsTable,
  TokensTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from './schema.js';

export type ApiKeyRow = ApiKeysTable;
export type EventRow = Omit<EventsTable, 'seq'> & { seq: number };
export type NewEventRow = Omit<EventsTable, 'seq'>;
export type WebhookEndpointRow = WebhookEndpointsTable;
export type DeliveryRow = WebhookDeliveriesTable;
export type AttemptRow = WebhookAttemptsTable;

export interface DeliveryListFilter {
  endpointId: string;
  status?: DeliveryRow['status'];
  sessionId?: string;
  eventId?: string;
  limit: number;
}
export type SessionRow = SessionsTable;
export type TokenRow = TokensTable;
export type ImageRow = ImagesTable;

export interface SessionListFilter {
  environment: Environment;
  status?: string;
  reference?: string;
  createdAfter?: string;
  /** Exclusive cursor: sessions strictly older than this (created_at, id) pair. */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** The queries every request runs (authentication, session creation, intake), compiled once. */
class HotQueries {
  readonly apiKeyByHash: Prepared<{ hash: string }, ApiKeyRow>;
  readonly sessionById: Prepared<{ id: string }, SessionRow>;
  readonly tokenByHash: Prepared<{ hash: string }, TokenRow>;
  private readonly inserts = new Map<string, Prepared<object, unknown>>();

  constructor(private readonly db: Kysely<Database>) {
    this.apiKeyByHash = prepare(
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('hash', '=', arg<string>('hash'))
        .where('revoked_at', 'is', null),
    );
    this.sessionById = prepare(db.selectFrom('sessions').selectAll().where('id', '=', arg<string>('id')));
    this.tokenByHash = prepare(db.selectFrom('tokens').selectAll().where('hash', '=', arg<string>('hash')));
  }

  /** An insert of `row`, compiled once per table and set of columns (rows of one table may leave some out). */
  insert(table: keyof Database, row: object): CompiledQuery {
    const columns = Object.entries(row)
      .filter(([, value]) => value !== undefined)
      .map(([column]) => column);
    const key = `${table}(${columns.join(',')})`;
    let insert = this.inserts.get(key);
    if (!insert) {
      insert = prepare(this.db.insertInto(table).values(argsFor(columns) as never));
      this.inserts.set(key, insert);
    }
    return insert(row);
  }
}

export class Store {
  private readonly queries: HotQueries;
  /** Only on the store of the whole database; a transaction's store runs inside one group's transaction. */
  private readonly groupCommit: GroupCommit<Database> | null;

  constructor(
    private readonly db: Kysely<Database> | Transaction<Database>,
    queries?: HotQueries,
  ) {
    this.queries = queries ?? new HotQueries(db);
    this.groupCommit = db.isTransaction ? null : new GroupCommit(db);
  }

  async migrate(): Promise<void> {
    const { error } = await new Migrator({ db: this.db, provider: migrations }).migrateToLatest();
    if (error) throw error;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /**
   * Runs `work` in one transaction; everything it writes commits together or not at all, and the promise
   * settles only once that is done. Concurrent calls may share one database transaction and its commit
   * (see group-commit.ts): each still sees the writes of those before it and fails alone.
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (!this.groupCommit) throw new Error('Store.transaction: already inside a transaction');
    return this.groupCommit.run((trx) => work(new Store(trx, this.queries)));
  }

  // ── API keys ──────────────────────────────────────────────────────────────
  async insertApiKey(row: ApiKeyRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('api_keys', row));
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return (await this.db.executeQuery(this.queries.apiKeyByHash({ hash }))).rows[0];
  }

  findApiKeyById(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  countApiKeys(environment: Environment): Promise<number> {
    return this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('environment', '=', environment)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  }

  // ── Sessions ──────────────────────────────────────────────────────────────
  async insertSession(row: SessionRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('sessions', row));
  }

  getSession(id: string, environment: Environment): Promise<SessionRow | undefined> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id)
      .where('environment', '=', environment)
      .executeTakeFirst();
  }

  /** For the client API, whose tokens already name one session (no environment to match). */
  async getSessionById(id: string): Promise<SessionRow | undefined> {
    return (await this.db.executeQuery(this.queries.sessionById({ id }))).rows[0];
  }

  findActiveByReference(
    environment: Environment,
    reference: string,
    now: string,
  ): Promise<SessionRow | undefined> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('environment', '=', environment)
      .where('reference', '=', reference)
      .where('status', 'in', ['pending', 'capturing'])
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  listSessions(filter: SessionListFilter): Promise<SessionRow[]> {
    let query = this.db.selectFrom('sessions').selectAll().where('environment', '=', filter.environment);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.reference) query = query.where('reference', '=', filter.reference);
    if (filter.createdAfter) query = query.where('created_at', '>', filter.createdAfter);
    const before = filter.before;
    if (before) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /**
   * Updates a session only while its status is one of `fromStatuses`; returns whether it did. The
   * condition makes every transition a compare-and-set, so two racing requests cannot both win.
   */
  async updateSession(
    id: string,
    changes: Partial<SessionRow>,
    fromStatuses?: readonly string[],
  ): Promise<boolean> {
    let query = this.db.updateTable('sessions').set(changes).where('id', '=', id);
    if (fromStatuses) query = query.where('status', 'in', fromStatuses);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Active sessions whose time is up, for the expiry sweep (which expires each with its event). */
  listOverdue(now: string, limit: number): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('status', 'in', ['pending', 'capturing'])
      .where('expires_at', '<=', now)
      .limit(limit)
      .execute();
  }

  // ── Tokens ────────────────────────────────────────────────────────────────
  async insertToken(row: TokenRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('tokens', row));
  }

  /** Marks an unused, unexpired token as used and returns it; undefined if it was used, expired or unknown. */
  async consumeToken(hash: string, kind: TokenRow['kind'], now: string): Promise<TokenRow | undefined> {
    const result = await this.db
      .updateTable('tokens')
      .set({ used_at: now })
      .where('hash', '=', hash)
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.findToken(hash);
  }

  async findToken(hash: string): Promise<TokenRow | undefined> {
    return (await this.db.executeQuery(this.queries.tokenByHash({ hash }))).rows[0];
  }

  /** Ends every outstanding token of a session (on cancel, expiry, completion or redaction). */
  async revokeTokens(sessionId: string, now: string): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ expires_at: now })
      .where('session_id', '=', sessionId)
      .where('expires_at', '>', now)
      .execute();
  }

  // ── Images ────────────────────────────────────────────────────────────────
  async insertImage(row: ImageRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('images', row));
  }

  findImageByUploadKey(sessionId: string, uploadKey: string): Promise<ImageRow | undefined> {
    return this.db
      .selectFrom('images')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('upload_key', '=', uploadKey)
      .executeTakeFirst();
  }

  getImage(sessionId: string, imageId: string): Promise<ImageRow | undefined> {
    return this.db
      .selectFrom('images')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('id', '=', imageId)
      .executeTakeFirst();
  }

  getImageById(imageId: string): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('id', '=', imageId).executeTakeFirst();
  }

  listImages(sessionId: string): Promise<ImageRow[]> {
    return this.db
      .selectFrom('images')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async listBlobKeys(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('images')
      .select('blob_key')
      .where('blob_key', 'is not', null)
      .execute();
    return new Set(rows.map((row) => row.blob_key as string));
  }

  async deleteImages(sessionId: string): Promise<void> {
    await this.db.deleteFrom('images').where('session_id', '=', sessionId).execute();
  }

  // ── Idempotency ───────────────────────────────────────────────────────────
  /** Claims an idempotency key for a request; false if the key is already claimed. */
  async claimIdempotencyKey(
    apiKeyId: string,
    key: string,
    requestHash: string,
    now: string,
  ): Promise<boolean> {
    const result = await this.db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: apiKeyId,
        key,
        request_hash: requestHash,
        created_at: now,
        status_code: null,
        response_enc: null,
      })
      .onConflict((oc) => oc.columns(['api_key_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  findIdempotencyKey(apiKeyId: string, key: string) {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('api_key_id', '=', apiKeyId)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  async finishIdempotencyKey(
    apiKeyId: string,
    key: string,
    statusCode: number,
    responseEnc: string,
  ): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: statusCode, response_enc: responseEnc })
      .where('api_key_id', '=', apiKeyId)
      .where('key', '=', key)
      .execute();
  }

  /** Releases a claim whose request failed, so the integrator can retry with the same key. */
  async releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('api_key_id', '=', apiKeyId)
      .where('key', '=', key)
      .where('status_code', 'is', null)
      .execute();
  }

  async pruneIdempotencyKeys(olderThan: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', olderThan).execute();
  }

  // ── Audit ─────────────────────────────────────────────────────────────────
  async insertAuditEvent(row: AuditEventsTable): Promise<void> {
    await this.db.executeQuery(this.queries.insert('audit_events', row));
  }

  listAuditEvents(sessionId: string): Promise<AuditEventsTable[]> {
    return this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('at')
      .execute();
  }

  // ── Events (the outbox) ───────────────────────────────────────────────────
  async insertEvent(row: NewEventRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('events', row));
  }

  listUndispatchedEvents(limit: number): Promise<EventRow[]> {
    return this.db
      .selectFrom('events')
      .selectAll()
      .where('dispatched', '=', 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async markEventsDispatched(seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.updateTable('events').set({ dispatched: 1 }).where('seq', 'in', seqs).execute();
  }

  getEvent(id: string): Promise<EventRow | undefined> {
    return this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listEvents(filter: {
    environment: Environment;
    sessionId?: string;
    type?: string;
    limit: number;
  }): Promise<EventRow[]> {
    let query = this.db.selectFrom('events').selectAll().where('environment', '=', filter.environment);
    if (filter.sessionId) query = query.where('session_id', '=', filter.sessionId);
    if (filter.type) query = query.where('type', '=', filter.type);
    return query.orderBy('seq', 'desc').limit(filter.limit).execute();
  }

  listSessionEvents(sessionId: string): Promise<EventRow[]> {
    return this.db
      .selectFrom('events')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
  }

  async updateEventSession(seq: number, session: string): Promise<void> {
    await this.db.updateTable('events').set({ session }).where('seq', '=', seq).execute();
  }

  // ── Webhook endpoints ─────────────────────────────────────────────────────
  async insertWebhookEndpoint(row: WebhookEndpointRow): Promise<void> {
    await this.db.insertInto('webhook_endpoints').values(row).execute();
  }

  listWebhookEndpoints(environment?: Environment): Promise<WebhookEndpointRow[]> {
    let query = this.db.selectFrom('webhook_endpoints').selectAll();
    if (environment) query = query.where('environment', '=', environment);
    return query.orderBy('created_at').orderBy('id').execute();
  }

  getWebhookEndpoint(id: string, environment?: Environment): Promise<WebhookEndpointRow | undefined> {
    let query = this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id);
    if (environment) query = query.where('environment', '=', environment);
    return query.executeTakeFirst();
  }

  /** Removes an endpoint with its deliveries and their attempts; false if there was none. */
  async deleteWebhookEndpoint(id: string, environment?: Environment): Promise<boolean> {
    let query = this.db.deleteFrom('webhook_endpoints').where('id', '=', id);
    if (environment) query = query.where('environment', '=', environment);
    const result = await query.executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await this.db
      .deleteFrom('webhook_attempts')
      .where('delivery_id', 'in', (eb) =>
        eb.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id),
      )
      .execute();
    await this.db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
    return true;
  }

  // ── Webhook deliveries ────────────────────────────────────────────────────
  async insertDelivery(row: DeliveryRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('webhook_deliveries', row));
  }

  /**
   * Pending deliveries that are due, leaving out any whose session has an earlier delivery to the same
   * endpoint still pending (in flight or waiting for a retry): that is what keeps each session's order.
   */
  dueDeliveries(now: string, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .selectAll('d')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.session_id', '=', 'd.session_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.event_seq', '<', 'd.event_seq'),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.event_seq')
      .limit(limit)
      .execute();
  }

  /** Takes a due delivery for one attempt (compare-and-set on its due time); false if another took it. */
  async leaseDelivery(id: string, dueAt: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', dueAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateDelivery(id: string, changes: Partial<DeliveryRow>): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
  }

  getDelivery(id: string, environment: Environment): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .where('environment', '=', environment)
      .executeTakeFirst();
  }

  listDeliveries(filter: DeliveryListFilter): Promise<DeliveryRow[]> {
    let query = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', filter.endpointId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.sessionId) query = query.where('session_id', '=', filter.sessionId);
    if (filter.eventId) query = query.where('event_id', '=', filter.eventId);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /**
   * Retention: settled deliveries last tried before `olderThan` go with their attempts, then events
   * older than that which no delivery refers to any more. Pending deliveries and their events stay.
   * At most `limit` deliveries per call (the sweep calls again next time).
   */
  async pruneWebhookHistory(olderThan: string, limit: number): Promise<number> {
    const old = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', 'in', ['succeeded', 'failed'])
      .where('last_attempt_at', '<', olderThan)
      .limit(limit)
      .execute();
    const ids = old.map((row) => row.id);
    if (ids.length > 0) {
      await this.db.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
      await this.db.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute();
    }
    await this.db
      .deleteFrom('events')
      .where('dispatched', '=', 1)
      .where('created_at', '<', olderThan)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries')
              .select('id')
              .whereRef('webhook_deliveries.event_id', '=', 'events.id'),
          ),
        ),
      )
      .execute();
    return ids.length;
  }

  async insertAttempt(row: AttemptRow): Promise<void> {
    await this.db.executeQuery(this.queries.insert('webhook_attempts', row));
  }

  async listAttempts(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveryIds)
      .orderBy('delivery_id')
      .orderBy('attempt')
      .execute();
  }
}
