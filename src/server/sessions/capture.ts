/**
 * The client side of a session, used only by the widget: exchange the client token for an upload token,
 * record consent, take images, and hand back the redirect once every required image is in.
 */
import {
  acceptedKinds,
  missingImages,
  requirementsOf,
  type Flow,
  type ImageKind,
} from '../../core/session/flows.js';
import type { ImageFeedback } from '../../core/session/feedback.js';
import { isActive, type SessionStatus } from '../../core/session/lifecycle.js';
import { ApiError, conflict, unauthenticated, unprocessable } from '../errors.js';
import { decodeUpload } from '../intake/decode.js';
import type { DeviceRecord } from '../intake/device.js';
import { assessImage } from '../intake/feedback.js';
import {
  documentReadingEnabled,
  extractDocument,
  extractionSummary,
  MRZ_IMAGE_KINDS,
  type DocumentExtraction,
} from '../mrz/extract.js';
import { encryptExtraction, evidenceFor } from '../mrz/session-document.js';
import { recordEvent } from '../webhooks/events.js';
import { hashToken, newId, sha256Hex } from '../secrets.js';
import { isUniqueViolation } from '../store/sqlite.js';
import type { ImageRow, SessionRow } from '../store/store.js';
import { decide, type MockBehavior } from './decide.js';
import type { ServiceDeps, SessionService } from './service.js';
import { issueUploadToken } from './tokens.js';

export interface UploadGrant {
  sessionId: string;
  expiresAt: string;
}

export interface IntakeInput {
  kind: ImageKind;
  body: Buffer;
  /** The client's own id for this upload: a retry with the same id gets the first answer. */
  uploadKey?: string;
  deviceMetrics?: Record<string, unknown>;
  /** Who sent the image and how it was taken (kept with it, shown in the report). */
  device?: DeviceRecord;
}

export interface IntakeResult {
  imageId: string;
  kind: ImageKind;
  accepted: boolean;
  feedback: ImageFeedback[];
  missingImages: ImageKind[];
  complete: boolean;
}

const FACE_KINDS: ReadonlySet<ImageKind> = new Set(['selfie', 'liveness_frame']);

export class CaptureService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionService,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  async exchange(clientToken: string) {
    const now = this.now();
    const { store, config } = this.deps;
    const hash = hashToken(clientToken);
    const token = await store.consumeToken(hash, 'client', now.toISOString());
    if (!token) throw await this.clientTokenError(hash, now);
    const session = await this.activeSession(token.session_id);
    const upload = await store.transaction(async (tx) => {
      const at = now.toISOString();
      if (await tx.updateSession(session.id, { status: 'capturing', updated_at: at }, ['pending'])) {
        await recordEvent(tx, 'session.capturing', { ...session, status: 'capturing', updated_at: at }, at);
      }
      return issueUploadToken(tx, config, session, now);
    });
    return {
      uploadToken: upload.token,
      expiresAt: upload.expiresAt,
      sessionId: session.id,
      locale: session.locale,
      requirements: this.requirements(session),
    };
  }

  private async clientTokenError(hash: string, now: Date): Promise<ApiError> {
    const known = await this.deps.store.findToken(hash);
    if (!known || known.kind !== 'client') {
      return unauthenticated('client_token_invalid', 'This capture link is not valid.');
    }
    if (known.used_at) {
      return unauthenticated(
        'client_token_used',
        'This capture link has already been used. Ask for a new one.',
      );
    }
    if (known.expires_at <= now.toISOString()) {
      return unauthenticated('client_token_expired', 'This capture link has expired. Ask for a new one.');
    }
    return unauthenticated('client_token_invalid', 'This capture link is not valid.');
  }

  private requirements(session: SessionRow) {
    const flow = session.flow as Flow;
    return {
      flow,
      requirements: requirementsOf(flow),
      acceptedKinds: acceptedKinds(flow),
      missingImages: missingImages(flow, acceptedKindsOf(session)),
      maxUploadBytes: this.deps.config.maxUploadBytes,
      consentRequired: flow !== 'document',
      consentGiven: session.consent_at !== null,
    };
  }

  /** Who holds an upload token: the one session it feeds. */
  async authorizeUpload(uploadToken: string): Promise<UploadGrant> {
    const token = await this.deps.store.findToken(hashToken(uploadToken));
    if (!token || token.kind !== 'upload')
      throw unauthenticated('upload_token_invalid', 'The upload token is not valid.');
    if (token.expires_at <= this.now().toISOString()) {
      throw unauthenticated(
        'upload_token_expired',
        'The upload token has expired. Open the capture link again.',
      );
    }
    return { sessionId: token.session_id, expiresAt: token.expires_at };
  }

  async status(grant: UploadGrant) {
    const session = await this.sessions.expireIfOverdue(await this.sessionOf(grant.sessionId));
    return { sessionId: session.id, status: session.status, requirements: this.requirements(session) };
  }

  /** Biometric consent, recorded before any face image is taken. */
  async recordConsent(grant: UploadGrant): Promise<{ consentAt: string }> {
    const session = await this.activeSession(grant.sessionId);
    const consentAt = session.consent_at ?? this.now().toISOString();
    if (!session.consent_at) {
      await this.deps.store.updateSession(session.id, { consent_at: consentAt, updated_at: consentAt }, [
        'pending',
        'capturing',
      ]);
    }
    return { consentAt };
  }

  async intake(grant: UploadGrant, input: IntakeInput): Promise<{ replayed: boolean; result: IntakeResult }> {
    const { store, blobs, config } = this.deps;
    if (input.uploadKey) {
      const earlier = await store.findImageByUploadKey(grant.sessionId, input.uploadKey);
      if (earlier) return { replayed: true, result: await this.resultOf(earlier) };
    }
    const session = await this.activeSession(grant.sessionId);
    const flow = session.flow as Flow;
    if (!acceptedKinds(flow).includes(input.kind)) {
      throw unprocessable('kind_not_accepted', `A ${flow} session takes no ${input.kind} image.`, 'kind');
    }
    if (missingImages(flow, acceptedKindsOf(session)).length === 0) {
      throw conflict('images_complete', 'Every required image is already in.');
    }
    if (FACE_KINDS.has(input.kind) && !session.consent_at) {
      throw conflict('consent_required', 'Biometric consent must be recorded before a face image is taken.');
    }

    const decoded = await decodeUpload(input.body, config.maxImagePixels);
    const feedback = assessImage(input.kind, decoded.width, decoded.height, decoded.measures);
    const accepted = !feedback.some((item) => item.severity === 'error');
    const imageId = newId('img_');
    const blobKey = accepted ? `${session.id}/${imageId}.jpg` : null;
    if (blobKey) await blobs.put(blobKey, decoded.jpeg);
    // Automatic extraction (issue 6): the zone of an ID-card back or a passport page is read before the
    // transaction that records the image; its fields go to the session, encrypted.
    const extraction =
      accepted && MRZ_IMAGE_KINDS.has(input.kind) && documentReadingEnabled()
        ? await extractDocument(decoded.jpeg, { imageId, kind: input.kind }, { now: this.now() })
        : null;

    const row: ImageRow = {
      id: imageId,
      session_id: session.id,
      kind: input.kind,
      upload_key: input.uploadKey ?? null,
      accepted: accepted ? 1 : 0,
      feedback: JSON.stringify(feedback),
      width: decoded.width,
      height: decoded.height,
      bytes: accepted ? decoded.jpeg.length : input.body.length,
      content_type: accepted ? 'image/jpeg' : `image/${decoded.format}`,
      sha256: sha256Hex(accepted ? decoded.jpeg : input.body),
      metrics: input.deviceMetrics ? JSON.stringify(input.deviceMetrics) : null,
      device: input.device ? JSON.stringify(input.device) : null,
      server_metrics: JSON.stringify({
        brightness: round(decoded.measures.brightness),
        sharpness: round(decoded.measures.sharpness),
        originalFormat: decoded.format,
        originalBytes: input.body.length,
        ...(extraction ? { mrz: extractionSummary(extraction) } : {}),
      }),
      blob_key: blobKey,
      created_at: this.now().toISOString(),
    };
    try {
      await this.record(row, extraction);
    } catch (error) {
      if (blobKey) await blobs.delete(blobKey);
      // A concurrent retry of the same upload won the race: answer with its result.
      if (input.uploadKey && isUniqueViolation(error)) {
        const winner = await store.findImageByUploadKey(grant.sessionId, input.uploadKey);
        if (winner) return { replayed: true, result: await this.resultOf(winner) };
      }
      throw error;
    }
    return { replayed: false, result: await this.resultOf(row) };
  }

  /** Writes the image row and moves the session on, in one transaction; decides once nothing is missing. */
  private async record(image: ImageRow, extraction: DocumentExtraction | null = null): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      // Re-read inside the transaction: concurrent uploads to one session must not lose each other's kinds.
      const session = await tx.getSessionById(image.session_id);
      if (!session || !isActive(session.status as SessionStatus)) {
        throw conflict('session_not_active', `The session is ${session?.status ?? 'gone'}.`);
      }
      await tx.insertImage(image);
      const now = this.now().toISOString();
      const kinds = new Set(acceptedKindsOf(session));
      if (image.accepted === 1 && image.kind !== 'liveness_frame') kinds.add(image.kind as ImageKind);
      const changes: Partial<SessionRow> = { accepted_kinds: JSON.stringify([...kinds]), updated_at: now };
      if (extraction) changes.document_enc = encryptExtraction(extraction, this.deps.secrets);
      const flow = session.flow as Flow;
      if (missingImages(flow, kinds).length === 0) {
        const images = await tx.listImages(session.id);
        const outcome = decide(
          flow,
          images,
          session.mock_behavior as MockBehavior | null,
          evidenceFor(session, this.deps.secrets, this.now(), extraction),
        );
        Object.assign(changes, {
          status: outcome.status,
          checks: JSON.stringify(outcome.checks),
          decision: outcome.decision,
          decision_reasons: JSON.stringify(outcome.decisionReasons),
          decided_by: outcome.decision ? 'system' : null,
          completed_at: now,
        } satisfies Partial<SessionRow>);
      } else {
        changes.status = 'capturing';
      }
      await tx.updateSession(session.id, changes, ['pending', 'capturing']);
      const after = { ...session, ...changes };
      if (session.status === 'pending') await recordEvent(tx, 'session.capturing', after, now);
      if (after.status !== 'capturing') {
        await recordEvent(tx, 'session.images_complete', after, now);
        await recordEvent(tx, after.status === 'failed' ? 'session.failed' : 'session.completed', after, now);
      }
    });
  }

  private async resultOf(image: ImageRow): Promise<IntakeResult> {
    const session = await this.sessionOf(image.session_id);
    const missing = missingImages(session.flow as Flow, acceptedKindsOf(session));
    return {
      imageId: image.id,
      kind: image.kind as ImageKind,
      accepted: image.accepted === 1,
      feedback: JSON.parse(image.feedback) as ImageFeedback[],
      missingImages: missing,
      complete: missing.length === 0,
    };
  }

  /** Where the person goes when capture is done: the callback with `session_id` and the exact `state`. */
  async complete(grant: UploadGrant): Promise<{ redirectUrl: string | null; status: string }> {
    const session = await this.sessions.expireIfOverdue(await this.sessionOf(grant.sessionId));
    const missing = missingImages(session.flow as Flow, acceptedKindsOf(session));
    if (session.status !== 'completed' || missing.length > 0) {
      throw conflict(
        'images_missing',
        missing.length > 0 ? `Still missing: ${missing.join(', ')}.` : `The session is ${session.status}.`,
      );
    }
    if (!session.redirect_url) return { redirectUrl: null, status: session.status };
    const key = await this.deps.store.findApiKeyById(session.api_key_id);
    const url = new URL(session.redirect_url);
    // Checked again here: the key's allow-list may have shrunk since the session was created.
    if (!key || !(JSON.parse(key.redirect_origins) as string[]).includes(url.origin)) {
      throw new ApiError(
        403,
        'permission_error',
        'redirect_origin_not_allowed',
        'The callback origin is no longer allowed for this integration.',
      );
    }
    url.searchParams.set('session_id', session.id);
    if (session.state !== null) url.searchParams.set('state', session.state);
    return { redirectUrl: url.toString(), status: session.status };
  }

  private async sessionOf(sessionId: string): Promise<SessionRow> {
    const session = await this.deps.store.getSessionById(sessionId);
    if (!session)
      throw unauthenticated('upload_token_invalid', 'The session of this token no longer exists.');
    return session;
  }

  private async activeSession(sessionId: string): Promise<SessionRow> {
    const session = await this.sessions.expireIfOverdue(await this.sessionOf(sessionId));
    if (session.status === 'completed')
      throw conflict('images_complete', 'Every required image is already in.');
    if (!isActive(session.status as SessionStatus)) {
      throw conflict('session_not_active', `This verification is ${session.status}.`);
    }
    return session;
  }
}

function acceptedKindsOf(session: SessionRow): ImageKind[] {
  return JSON.parse(session.accepted_kinds) as ImageKind[];
}

const round = (value: number) => Math.round(value * 100) / 100;
