/**
 * `Idempotency-Key` for POST requests: the same key with the same body gets the first response again
 * (for 24 hours); the same key with another body is refused. Stored responses hold client tokens, so
 * they are kept encrypted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, badRequest } from '../errors.js';
import { sha256Hex, type Secrets } from '../secrets.js';
import type { Store } from '../store/store.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface HandlerResult<T> {
  statusCode: number;
  body: T;
}

export async function withIdempotency<T>(
  deps: { store: Store; secrets: Secrets },
  request: FastifyRequest,
  reply: FastifyReply,
  apiKeyId: string,
  run: () => Promise<HandlerResult<T>>,
): Promise<T> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(reply, await run());
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255) {
    throw badRequest('parameter_invalid', 'Idempotency-Key must be 1 to 255 characters.', 'Idempotency-Key');
  }
  const requestHash = sha256Hex(
    `${request.method} ${request.routeOptions.url} ${JSON.stringify(request.body ?? null)}`,
  );
  const now = new Date();

  if (!(await deps.store.claimIdempotencyKey(apiKeyId, key, requestHash, now.toISOString()))) {
    const earlier = await deps.store.findIdempotencyKey(apiKeyId, key);
    if (earlier && Date.parse(earlier.created_at) < now.getTime() - IDEMPOTENCY_WINDOW_MS) {
      await deps.store.pruneIdempotencyKeys(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString());
      return withIdempotency(deps, request, reply, apiKeyId, run);
    }
    if (!earlier || earlier.request_hash !== requestHash) {
      throw new ApiError(
        422,
        'idempotency_error',
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request. Use a new key for a new request.',
        'Idempotency-Key',
      );
    }
    if (earlier.status_code === null || earlier.response_enc === null) {
      throw new ApiError(
        409,
        'idempotency_error',
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still running.',
      );
    }
    void reply.header('Idempotent-Replayed', 'true');
    return send(reply, {
      statusCode: earlier.status_code,
      body: JSON.parse(deps.secrets.decrypt(earlier.response_enc)) as T,
    });
  }

  let result: HandlerResult<T>;
  try {
    result = await run();
  } catch (error) {
    // Failed requests change nothing, so the integrator may retry them with the same key.
    await deps.store.releaseIdempotencyKey(apiKeyId, key);
    throw error;
  }
  await deps.store.finishIdempotencyKey(
    apiKeyId,
    key,
    result.statusCode,
    deps.secrets.encrypt(JSON.stringify(result.body)),
  );
  return send(reply, result);
}

function send<T>(reply: FastifyReply, result: HandlerResult<T>): T {
  void reply.code(result.statusCode);
  return result.body;
}
