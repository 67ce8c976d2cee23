/**
 * What the integrator API does with sessions. Routes validate and shape HTTP; this module owns the
 * rules: environment isolation, the lifecycle's compare-and-set transitions, reuse by reference, tokens.
 */
import type { Flow } from '../../core/session/flows.js';
import { isActive, isTerminal, type Decision, type SessionStatus } from '../../core/session/lifecycle.js';
import type { ApiKey } from '../auth/api-keys.js';
import type { BlobStore } from '../blobs.js';
import type { ServerConfig } from '../config.js';
import { badRequest, conflict, notFound, unprocessable } from '../errors.js';
import { documentReport, evidenceFor } from '../mrz/session-document.js';
import { recordEvent, redactEvents } from '../webhooks/events.js';
import { newId, type Secrets } from '../secrets.js';
import type { SessionRow, Store } from '../store/store.js';
import { decide, type MockBehavior } from './decide.js';
import { hostedLink, type HostedLink } from './hosted-link.js';
import { sessionResult, type SessionResult } from './result.js';
import { issueClientToken } from './tokens.js';
import { imageView, sessionView, type SessionView } from './view.js';

export interface CreateSessionInput {
  flow: Flow;
  reference?: string;
  subject?: Record<string, unknown>;
  redirectUrl?: string;
  state?: string;
  metadata?: Record<string, unknown>;
  ttl?: number;
  forceCreation?: boolean;
  locale?: string;
  mockBehavior?: MockBehavior;
  /** A backend-operated session: intake opens for the API key now (see `start`). */
  start?: boolean;
  /** With `start`: the integrator's app recorded the person's biometric consent. */
  consent?: boolean;
}

export type UpdateSessionInput = Pick<CreateSessionInput, 'subject' | 'metadata' | 'reference' | 'locale'>;

export interface CreatedSession extends SessionView, HostedLink {
  clientToken: string;
  clientTokenExpiresAt: string;
}

export interface ServiceDeps {
  store: Store;
  secrets: Secrets;
  config: ServerConfig;
  blobs: BlobStore;
  /** The origin hosted links are built on (known only once the server listens). */
  publicUrl: () => string;
  now?: () => Date;
}

const ACTIVE: SessionStatus[] = ['pending', 'capturing'];

export class SessionService {
  private readonly now: () => Date;

  constructor(private readonly deps: ServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  // ── Reading ───────────────────────────────────────────────────────────────

  /** A session of the key's environment (404 for the other one), marked expired if its time is up. */
  async load(key: ApiKey, id: string): Promise<SessionRow> {
    const row = await this.deps.store.getSession(id, key.environment);
    if (!row) throw notFound('session', 'sessionId');
    return this.expireIfOverdue(row);
  }

  async expireIfOverdue(row: SessionRow): Promise<SessionRow> {
    const now = this.now().toISOString();
    if (!isActive(row.status as SessionStatus) || row.expires_at > now) return row;
    await this.deps.store.transaction(async (store) => {
      if (await store.updateSession(row.id, { status: 'expired', updated_at: now }, ACTIVE)) {
        await store.revokeTokens(row.id, now);
        await recordEvent(store, 'session.expired', { ...row, status: 'expired', updated_at: now }, now);
      }
    });
    return (await this.deps.store.getSessionById(row.id)) ?? row;
  }

  /** The sweep: every active session past its time is expired, each with its event. */
  async expireOverdue(): Promise<number> {
    const overdue = await this.deps.store.listOverdue(this.now().toISOString(), 500);
    await Promise.all(overdue.map((row) => this.expireIfOverdue(row)));
    return overdue.length;
  }

  view(row: SessionRow): SessionView {
    return sessionView(row, this.deps.secrets);
  }

  async get(key: ApiKey, id: string): Promise<SessionView> {
    return this.view(await this.load(key, id));
  }

  // ── Creating ──────────────────────────────────────────────────────────────

  async create(
    key: ApiKey,
    input: CreateSessionInput,
  ): Promise<{ created: boolean; session: CreatedSession }> {
    this.checkRedirectUrl(key, input.redirectUrl);
    if (input.mockBehavior && key.environment !== 'sandbox') {
      throw badRequest(
        'mock_behavior_sandbox_only',
        'mockBehavior is only accepted with a sandbox key.',
        'mockBehavior',
      );
    }
    if (input.consent && !input.start) {
      throw badRequest(
        'consent_requires_start',
        'consent is given with start: true; a hosted session asks the person itself.',
        'consent',
      );
    }
    const now = this.now();
    const ttl = input.ttl ?? this.deps.config.defaultSessionTtlSeconds;
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();

    const { created, row, token } = await this.deps.store.transaction(async (store) => {
      if (input.reference && !input.forceCreation) {
        const active = await store.findActiveByReference(key.environment, input.reference, now.toISOString());
        if (active && active.flow === input.flow) {
          // The person may already be part-way through: keep their progress, give them more time and a new link.
          await store.updateSession(
            active.id,
            { expires_at: expiresAt, updated_at: now.toISOString() },
            ACTIVE,
          );
          let extended = { ...active, expires_at: expiresAt, updated_at: now.toISOString() };
          if (input.start) extended = await this.startIn(store, extended, input.consent, now.toISOString());
          const token = await issueClientToken(store, this.deps.config, extended, now);
          return { created: false, row: extended, token };
        }
      }
      const row: SessionRow = {
        id: newId('ses_'),
        environment: key.environment,
        api_key_id: key.id,
        flow: input.flow,
        status: input.start ? 'capturing' : 'pending',
        reference: input.reference ?? null,
        subject_enc: input.subject ? this.deps.secrets.encrypt(JSON.stringify(input.subject)) : null,
        metadata: input.metadata ? JSON.stringify(input.metadata) : null,
        redirect_url: input.redirectUrl ?? null,
        state: input.state ?? null,
        locale: input.locale ?? null,
        mock_behavior: input.mockBehavior ?? null,
        ttl_seconds: ttl,
        expires_at: expiresAt,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        consent_at: input.start && input.consent ? now.toISOString() : null,
        decision: null,
        decision_reasons: null,
        checks: null,
        accepted_kinds: '[]',
        decided_by: null,
        completed_at: null,
        redacted_at: null,
      };
      await store.insertSession(row);
      if (input.start) {
        // Created, then started: two events, the first showing the session as it was created.
        await recordEvent(store, 'session.created', { ...row, status: 'pending' }, row.created_at);
        await recordEvent(store, 'session.capturing', row, row.created_at);
      } else {
        await recordEvent(store, 'session.created', row, row.created_at);
      }
      const token = await issueClientToken(store, this.deps.config, row, now);
      return { created: true, row, token };
    });
    // The link and its QR code need nothing from the database: made after the commit, not inside it.
    return { created, session: this.withLink(row, token.token, token.expiresAt) };
  }

  /**
   * Opens a session's intake to the integrator's backend (`POST /v1/sessions/{id}/start`): pending →
   * capturing, and consent recorded when the integrator says its app took it. Starting a session that
   * already captures only adds the consent.
   */
  async start(key: ApiKey, id: string, consent: boolean | undefined): Promise<SessionView> {
    const row = await this.load(key, id);
    if (!isActive(row.status as SessionStatus)) {
      throw conflict('session_not_active', `The session is ${row.status}; it cannot be started.`);
    }
    const now = this.now().toISOString();
    await this.deps.store.transaction(async (store) => {
      const current = (await store.getSessionById(id)) ?? row;
      await this.startIn(store, current, consent, now);
    });
    return this.get(key, id);
  }

  private async startIn(
    store: Store,
    row: SessionRow,
    consent: boolean | undefined,
    now: string,
  ): Promise<SessionRow> {
    const changes: Partial<SessionRow> = { status: 'capturing', updated_at: now };
    if (consent && !row.consent_at) changes.consent_at = now;
    if (!(await store.updateSession(row.id, changes, ACTIVE))) {
      throw conflict('session_not_active', 'The session stopped being active while it was being started.');
    }
    const started = { ...row, ...changes };
    if (row.status === 'pending') await recordEvent(store, 'session.capturing', started, now);
    return started;
  }

  private withLink(row: SessionRow, clientToken: string, tokenExpiresAt: string): CreatedSession {
    const link = hostedLink(this.deps.publicUrl(), row.id, clientToken);
    return { ...this.view(row), ...link, clientToken, clientTokenExpiresAt: tokenExpiresAt };
  }

  /** The callback must lie on an origin allow-listed on the key, so a leaked key cannot redirect anywhere. */
  private checkRedirectUrl(key: ApiKey, redirectUrl: string | undefined): void {
    if (redirectUrl === undefined) return;
    let url: URL;
    try {
      url = new URL(redirectUrl);
    } catch {
      throw badRequest('parameter_invalid', 'redirectUrl is not an absolute URL.', 'redirectUrl');
    }
    if (!key.redirectOrigins.includes(url.origin)) {
      throw unprocessable(
        'redirect_origin_not_allowed',
        `The origin ${url.origin} is not on this API key's list of redirect origins.`,
        'redirectUrl',
      );
    }
  }

  // ── Changing ──────────────────────────────────────────────────────────────

  async update(key: ApiKey, id: string, input: UpdateSessionInput): Promise<SessionView> {
    const row = await this.load(key, id);
    if (!isActive(row.status as SessionStatus)) {
      throw conflict(
        'session_not_active',
        `The session is ${row.status}; only an active session can be changed.`,
      );
    }
    const changes: Partial<SessionRow> = { updated_at: this.now().toISOString() };
    if (input.subject !== undefined) {
      const merged = { ...(this.view(row).subject ?? {}), ...input.subject };
      changes.subject_enc = this.deps.secrets.encrypt(JSON.stringify(merged));
    }
    if (input.metadata !== undefined) changes.metadata = JSON.stringify(input.metadata);
    if (input.reference !== undefined) changes.reference = input.reference;
    if (input.locale !== undefined) changes.locale = input.locale;
    if (!(await this.deps.store.updateSession(id, changes, ACTIVE))) {
      throw conflict('session_not_active', 'The session stopped being active while it was being changed.');
    }
    return this.get(key, id);
  }

  /** cancel or expire: active sessions only; every outstanding token dies with the session. */
  async end(key: ApiKey, id: string, status: 'cancelled' | 'expired'): Promise<SessionView> {
    const row = await this.load(key, id);
    const now = this.now().toISOString();
    const ended = await this.deps.store.transaction(async (store) => {
      const changed = await store.updateSession(row.id, { status, updated_at: now }, ACTIVE);
      if (changed) {
        await store.revokeTokens(row.id, now);
        await recordEvent(store, `session.${status}`, { ...row, status, updated_at: now }, now);
      }
      return changed;
    });
    if (!ended) throw conflict('session_not_active', `The session is already ${row.status}.`);
    return this.get(key, id);
  }

  /** A new client token for an active session; images already accepted stay accepted. */
  async reissueCaptureToken(key: ApiKey, id: string): Promise<CreatedSession> {
    const row = await this.load(key, id);
    if (!isActive(row.status as SessionStatus)) {
      throw conflict('session_not_active', `The session is ${row.status}; capture is over.`);
    }
    const token = await issueClientToken(this.deps.store, this.deps.config, row, this.now());
    return this.withLink(row, token.token, token.expiresAt);
  }

  /** The integrator's own decision. A terminal session changes only to settle a `review`. */
  async setDecision(
    key: ApiKey,
    id: string,
    decision: Exclude<Decision, 'review'>,
    reasons: string[],
  ): Promise<SessionView> {
    const row = await this.load(key, id);
    if (row.status !== 'completed' || row.decision !== 'review') {
      throw conflict(
        'decision_not_open',
        row.status === 'completed'
          ? `The session is already decided (${row.decision}); only a review can be settled.`
          : `The session is ${row.status}; a decision can be set once it is completed and under review.`,
      );
    }
    const changes = {
      decision,
      decision_reasons: JSON.stringify(reasons),
      decided_by: 'integrator',
      updated_at: this.now().toISOString(),
    } satisfies Partial<SessionRow>;
    const changed = await this.deps.store.transaction(async (store) => {
      if (!(await store.updateSession(id, changes, ['completed']))) return false;
      await recordEvent(store, 'session.decided', { ...row, ...changes }, changes.updated_at);
      return true;
    });
    if (!changed)
      throw conflict('decision_not_open', 'The session changed while the decision was being set.');
    return this.get(key, id);
  }

  /** Re-runs the checks on the stored images: for a session under review, after its data was corrected. */
  async rerun(key: ApiKey, id: string): Promise<SessionView> {
    const row = await this.load(key, id);
    if (row.status !== 'completed' || row.decision !== 'review' || row.decided_by === 'integrator') {
      throw conflict(
        'rerun_not_allowed',
        'Checks can be re-run only on a completed session still under review.',
      );
    }
    const images = await this.deps.store.listImages(id);
    const outcome = decide(
      row.flow as Flow,
      images,
      row.mock_behavior as MockBehavior | null,
      evidenceFor(row, this.deps.secrets, this.now()),
    );
    const changes = {
      checks: JSON.stringify(outcome.checks),
      decision: outcome.decision,
      decision_reasons: JSON.stringify(outcome.decisionReasons),
      updated_at: this.now().toISOString(),
    } satisfies Partial<SessionRow>;
    await this.deps.store.transaction(async (store) => {
      const changed = await store.updateSession(id, changes, ['completed']);
      // Only a new decision is news: a re-run that lands where it was sends nothing.
      if (changed && outcome.decision !== row.decision) {
        await recordEvent(store, 'session.decided', { ...row, ...changes }, changes.updated_at);
      }
    });
    return this.get(key, id);
  }

  // ── Reports, images, export, redaction ────────────────────────────────────

  async report(key: ApiKey, id: string) {
    const row = await this.load(key, id);
    const session = this.view(row);
    const images = (await this.deps.store.listImages(id)).map(imageView);
    return {
      sessionId: session.sessionId,
      status: session.status,
      flow: session.flow,
      decision: session.decision,
      decisionReasons: session.decisionReasons,
      checks: session.checks,
      missingImages: session.missingImages,
      images: images.map(
        ({ imageId, kind, accepted, feedback, width, height, serverMetrics, deviceMetrics, device }) => ({
          imageId,
          kind,
          accepted,
          feedback,
          width,
          height,
          serverMetrics,
          deviceMetrics,
          device,
        }),
      ),
      // The devices the images came from (widget or backend; user agent, platform, live or file).
      devices: distinct(images.flatMap((image) => (image.device ? [image.device] : []))),
      completedAt: session.completedAt,
      // What the document's machine-readable zone said (automatic extraction), or null.
      document: documentReport(row, this.deps.secrets),
    };
  }

  async result(key: ApiKey, id: string): Promise<SessionResult> {
    return sessionResult(await this.load(key, id), this.deps.secrets);
  }

  async images(key: ApiKey, id: string) {
    await this.load(key, id);
    return (await this.deps.store.listImages(id)).map(imageView);
  }

  async audit(id: string, key: ApiKey, action: string, details?: Record<string, unknown>): Promise<void> {
    await this.deps.store.insertAuditEvent({
      id: newId('aud_'),
      session_id: id,
      environment: key.environment,
      api_key_id: key.id,
      action,
      details: details ? JSON.stringify(details) : null,
      at: this.now().toISOString(),
    });
  }

  /** Redaction: applicant data, metadata and image files go for good; a tombstone row stays. */
  async redact(key: ApiKey, id: string): Promise<SessionView> {
    const row = await this.load(key, id);
    const now = this.now().toISOString();
    const changes = {
      status: isTerminal(row.status as SessionStatus) ? row.status : 'cancelled',
      subject_enc: null,
      document_enc: null,
      metadata: null,
      reference: null,
      state: null,
      redirect_url: null,
      redacted_at: row.redacted_at ?? now,
      updated_at: now,
    } satisfies Partial<SessionRow>;
    await this.deps.store.transaction(async (store) => {
      await store.updateSession(id, changes);
      await store.revokeTokens(id, now);
      await store.deleteImages(id);
      // Past events keep no more of the session than the session itself now does.
      await redactEvents(store, id);
      const redacted = { ...row, ...changes };
      if (changes.status !== row.status) await recordEvent(store, 'session.cancelled', redacted, now);
      if (!row.redacted_at) await recordEvent(store, 'session.redacted', redacted, now);
    });
    // Files after the rows: a crash in between leaves files with no row, which the start-up sweep removes.
    await this.deps.blobs.deletePrefix(id);
    await this.audit(id, key, 'session.redacted');
    return this.get(key, id);
  }
}

function distinct<T>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(JSON.stringify(item), item);
  return [...seen.values()];
}
