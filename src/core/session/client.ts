/**
 * The widget's side of the client API: token exchange and, later, uploads. Framework-free and typed, so
 * the elements only render what it returns. Tokens stay inside this module's callers, never in events.
 */
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

async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new ClientApiError(0, 'network_error', 'The connection failed.');
  }
  const payload = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok) {
    throw new ClientApiError(
      response.status,
      payload?.error?.code ?? 'http_error',
      payload?.error?.message ?? `HTTP ${response.status}`,
    );
  }
  return payload as T;
}

export function exchangeClientToken(apiBase: string, clientToken: string): Promise<Exchange> {
  return postJson<Exchange>(`${apiBase}/v1/client/exchange`, { clientToken });
}
