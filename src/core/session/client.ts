/**
 * The widget's side of the client API: token exchange, consent, completion. Framework-free and typed, so
 * the elements only render what it returns. Tokens stay inside this module's callers, never in events.
 * Image uploads, which need progress and retries, live in upload.ts.
 */
import type { ImageFeedback } from './feedback.js';
import type { Flow, ImageKind, Requirement } from './flows.js';

export interface Requirements {
  flow: Flow;
  requirements: Requirement[];
  acceptedKinds: ImageKind[];
  missingImages: ImageKind[];
  maxUploadBytes: number;
  consentRequired: boolean;
  consentGiven: boolean;
}

export interface Exchange {
  uploadToken: string;
  expiresAt: string;
  sessionId: string;
  locale: string | null;
  requirements: Requirements;
}

/** A failure the person can be told about in plain words, keyed by the service's error code. */
export class ClientApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClientApiError';
  }
}

/** What the service answers for each uploaded image. */
export interface IntakeResult {
  imageId: string;
  kind: ImageKind;
  accepted: boolean;
  feedback: ImageFeedback[];
  missingImages: ImageKind[];
  complete: boolean;
}

/** Reads the service's error envelope `{error: {code, message}}` into a ClientApiError. */
export function apiError(status: number, payload: unknown): ClientApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return new ClientApiError(
    status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : `HTTP ${status}`,
  );
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new ClientApiError(0, 'network_error', 'The connection failed.');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiError(response.status, payload);
  return payload as T;
}

export function exchangeClientToken(apiBase: string, clientToken: string): Promise<Exchange> {
  return postJson<Exchange>(`${apiBase}/v1/client/exchange`, { clientToken });
}

/** Records the person's biometric consent on the session; the service refuses face images without it. */
export function recordConsent(apiBase: string, uploadToken: string): Promise<{ consentAt: string }> {
  return postJson(`${apiBase}/v1/client/consent`, {}, uploadToken);
}

/** Ends capture; the redirect URL (callback with `session_id` and `state`) when the session has one. */
export function completeCapture(
  apiBase: string,
  uploadToken: string,
): Promise<{ redirectUrl: string | null; status: string }> {
  return postJson(`${apiBase}/v1/client/complete`, {}, uploadToken);
}
