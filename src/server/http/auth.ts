/**
 * Request authentication, as small preHandler factories: `requireApiKey(scope)` for the integrator API,
 * `requireUploadToken` for the widget's intake. Each validates its options when it is created.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { environmentOfKey, findApiKey, type ApiKey } from '../auth/api-keys.js';
import { isScope, type Scope } from '../auth/scopes.js';
import { forbidden, unauthenticated } from '../errors.js';
import type { CaptureService, UploadGrant } from '../sessions/capture.js';
import type { Store } from '../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null;
    uploadGrant: UploadGrant | null;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function requireApiKey(store: Store, scope: Scope) {
  if (!isScope(scope)) throw new Error(`requireApiKey: unknown scope ${String(scope)}`);
  return async function apiKeyAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const secret = bearerToken(request);
    if (!secret) {
      throw unauthenticated('api_key_missing', 'Send your API key as "Authorization: Bearer svk_…".');
    }
    const key = environmentOfKey(secret) ? await findApiKey(store, secret) : undefined;
    if (!key) throw unauthenticated('api_key_invalid', 'The API key is not valid.');
    if (!key.scopes.includes(scope)) {
      throw forbidden('missing_scope', `This API key lacks the "${scope}" scope.`, scope);
    }
    request.apiKey = key;
  };
}

export function requireUploadToken(capture: CaptureService) {
  return async function uploadTokenAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request);
    if (!token)
      throw unauthenticated(
        'upload_token_missing',
        'Send the upload token as "Authorization: Bearer idvu_…".',
      );
    request.uploadGrant = await capture.authorizeUpload(token);
  };
}

/** The authenticated key of a request that passed `requireApiKey`. */
export function keyOf(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw unauthenticated('api_key_missing', 'This route needs an API key.');
  return request.apiKey;
}

export function grantOf(request: FastifyRequest): UploadGrant {
  if (!request.uploadGrant)
    throw unauthenticated('upload_token_missing', 'This route needs an upload token.');
  return request.uploadGrant;
}
