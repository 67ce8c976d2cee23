/**
 * Capture credentials. A client token (`idvc_…`, in the hosted link) is single-use and short-lived; the
 * widget exchanges it for an upload token (`idvu_…`) that can do nothing but feed this one session's
 * image intake, and dies before the session does. Both are stored only as hashes.
 */
import type { ServerConfig } from '../config.js';
import { hashToken, newToken } from '../secrets.js';
import type { SessionRow, Store } from '../store/store.js';

export const CLIENT_TOKEN_PREFIX = 'idvc_';
export const UPLOAD_TOKEN_PREFIX = 'idvu_';

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

export async function issueClientToken(
  store: Store,
  config: ServerConfig,
  session: Pick<SessionRow, 'id' | 'expires_at'>,
  now: Date,
): Promise<IssuedToken> {
  const token = newToken(CLIENT_TOKEN_PREFIX);
  const expiresAt = earlier(
    new Date(now.getTime() + config.clientTokenTtlSeconds * 1000).toISOString(),
    session.expires_at,
  );
  await store.insertToken({
    hash: hashToken(token),
    session_id: session.id,
    kind: 'client',
    expires_at: expiresAt,
    used_at: null,
    created_at: now.toISOString(),
  });
  return { token, expiresAt };
}

export async function issueUploadToken(
  store: Store,
  config: ServerConfig,
  session: Pick<SessionRow, 'id' | 'expires_at'>,
  now: Date,
): Promise<IssuedToken> {
  const token = newToken(UPLOAD_TOKEN_PREFIX);
  // Shorter-lived than the session: never outlives it, and at most the configured lifetime.
  const sessionEnd = new Date(new Date(session.expires_at).getTime() - 1000).toISOString();
  const expiresAt = earlier(
    new Date(now.getTime() + config.uploadTokenTtlSeconds * 1000).toISOString(),
    sessionEnd,
  );
  await store.insertToken({
    hash: hashToken(token),
    session_id: session.id,
    kind: 'upload',
    expires_at: expiresAt,
    used_at: null,
    created_at: now.toISOString(),
  });
  return { token, expiresAt };
}
