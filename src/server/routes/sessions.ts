/** Integrator API: `/v1/sessions…`, authenticated with an API key and its scopes. */
import { Type, type TSchema } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { keyOf, requireApiKey } from '../http/auth.js';
import { badRequest } from '../errors.js';
import { withIdempotency } from '../http/idempotency.js';
import { normaliseBody, type NormaliseOptions } from '../http/normalise.js';
import { strictTypes } from '../http/strict-types.js';
import {
  CREATE_SESSION_FIELDS,
  CreateSessionBody,
  CreatedSessionSchema,
  DecisionBody,
  errorResponses,
  ImageParams,
  ImageSchema,
  ListQuery,
  SessionIdParams,
  SessionListSchema,
  SessionSchema,
  UpdateSessionBody,
} from '../http/schemas.js';
import type { ImageLinks } from '../sessions/image-links.js';
import type { SessionService } from '../sessions/service.js';
import type { Store } from '../store/store.js';
import type { Secrets } from '../secrets.js';

export interface SessionRoutesDeps {
  store: Store;
  secrets: Secrets;
  sessions: SessionService;
  imageLinks: ImageLinks;
}

const errors = errorResponses(400, 401, 403, 404, 409, 422, 429);
const tags = ['sessions'];
const security = [{ apiKey: [] }];

/** Normalises key case and aliases, then refuses values of the wrong JSON type (see strict-types.ts). */
function normalising(options: NormaliseOptions, schema: TSchema) {
  const types = strictTypes(schema);
  return async (request: FastifyRequest) => {
    request.body = normaliseBody(request.body, options);
    types(request.body);
  };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through to the typed error
  }
  throw badRequest('parameter_invalid', 'The cursor is not one this API returned.', 'cursor');
}

export function sessionRoutes(deps: SessionRoutesDeps) {
  const { store, sessions } = deps;
  const read = requireApiKey(store, 'sessions:read');
  const write = requireApiKey(store, 'sessions:write');
  const decideScope = requireApiKey(store, 'sessions:decide');

  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    api.addSchema(SessionSchema);
    api.addSchema(ImageSchema);

    api.post(
      '/v1/sessions',
      {
        preHandler: write,
        preValidation: normalising(CREATE_SESSION_FIELDS, CreateSessionBody),
        schema: {
          tags,
          security,
          summary: 'Create a verification session (or return the active one for the same reference)',
          body: CreateSessionBody,
          response: { 200: CreatedSessionSchema, 201: CreatedSessionSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = keyOf(request);
        return withIdempotency(deps, request, reply, key.id, async () => {
          const { created, session } = await sessions.create(key, request.body);
          return { statusCode: created ? 201 : 200, body: session };
        });
      },
    );

    api.get(
      '/v1/sessions',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'List sessions, newest first',
          querystring: ListQuery,
          response: { 200: SessionListSchema, ...errors },
        },
      },
      async (request) => {
        const { limit = 20, cursor, status, reference, createdAfter } = request.query;
        const rows = await store.listSessions({
          environment: keyOf(request).environment,
          ...(status ? { status } : {}),
          ...(reference ? { reference } : {}),
          ...(createdAfter ? { createdAfter: new Date(createdAfter).toISOString() } : {}),
          ...(cursor ? { before: decodeCursor(cursor) } : {}),
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        const hasMore = rows.length > limit;
        return {
          data: await Promise.all(
            page.map(async (row) => sessions.view(await sessions.expireIfOverdue(row))),
          ),
          hasMore,
          nextCursor: hasMore && last ? encodeCursor(last.created_at, last.id) : null,
        };
      },
    );

    api.get(
      '/v1/sessions/:id',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'Get a session',
          params: SessionIdParams,
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => sessions.get(keyOf(request), request.params.id),
    );

    api.patch(
      '/v1/sessions/:id',
      {
        preHandler: write,
        preValidation: normalising(
          {
            fields: Object.keys(UpdateSessionBody.properties),
            aliases: CREATE_SESSION_FIELDS.aliases,
            nested: CREATE_SESSION_FIELDS.nested,
          },
          UpdateSessionBody,
        ),
        schema: {
          tags,
          security,
          summary: 'Set applicant data or metadata while the session is active',
          params: SessionIdParams,
          body: UpdateSessionBody,
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => sessions.update(keyOf(request), request.params.id, request.body),
    );

    for (const [action, status] of [
      ['cancel', 'cancelled'],
      ['expire', 'expired'],
    ] as const) {
      api.post(
        `/v1/sessions/:id/${action}`,
        {
          preHandler: write,
          schema: {
            tags,
            security,
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} an active session`,
            params: SessionIdParams,
            response: { 200: SessionSchema, ...errors },
          },
        },
        async (request) => sessions.end(keyOf(request), request.params.id, status),
      );
    }

    api.post(
      '/v1/sessions/:id/capture-token',
      {
        preHandler: write,
        schema: {
          tags,
          security,
          summary: 'Issue a new client token and hosted link; progress is kept',
          params: SessionIdParams,
          response: { 200: CreatedSessionSchema, ...errors },
        },
      },
      async (request) => sessions.reissueCaptureToken(keyOf(request), request.params.id),
    );

    api.post(
      '/v1/sessions/:id/decision',
      {
        preHandler: decideScope,
        schema: {
          tags,
          security,
          summary: 'Settle a session under review',
          params: SessionIdParams,
          body: DecisionBody,
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => {
        const key = keyOf(request);
        const { decision, reasons = [] } = request.body;
        const session = await sessions.setDecision(key, request.params.id, decision, reasons);
        await sessions.audit(session.sessionId, key, 'session.decided', { decision });
        return session;
      },
    );

    api.post(
      '/v1/sessions/:id/rerun',
      {
        preHandler: write,
        schema: {
          tags,
          security,
          summary: 'Re-run the checks of a session under review',
          params: SessionIdParams,
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => sessions.rerun(keyOf(request), request.params.id),
    );

    api.get(
      '/v1/sessions/:id/report',
      {
        preHandler: read,
        schema: { tags, security, summary: 'Per-check breakdown of a session', params: SessionIdParams },
      },
      async (request) => sessions.report(keyOf(request), request.params.id),
    );

    api.get(
      '/v1/sessions/:id/images',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: "Metadata of a session's images",
          params: SessionIdParams,
          response: { 200: Type.Object({ data: Type.Array(Type.Ref('Image')) }), ...errors },
        },
      },
      async (request) => ({ data: await sessions.images(keyOf(request), request.params.id) }),
    );

    api.get(
      '/v1/sessions/:id/images/:imageId',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'A short-lived signed URL for one stored image',
          params: ImageParams,
          response: {
            200: Type.Object({ imageId: Type.String(), url: Type.String(), expiresAt: Type.String() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const image = await deps.imageLinks.storedImage(
          keyOf(request),
          request.params.id,
          request.params.imageId,
        );
        return deps.imageLinks.sign(image.id);
      },
    );

    api.get(
      '/v1/sessions/:id/images/:imageId/content',
      {
        preHandler: read,
        schema: { tags, security, summary: 'The stored image bytes (JPEG)', params: ImageParams },
      },
      async (request, reply) => {
        const image = await deps.imageLinks.storedImage(
          keyOf(request),
          request.params.id,
          request.params.imageId,
        );
        return deps.imageLinks.sendContent(reply, image);
      },
    );

    api.get(
      '/v1/sessions/:id/export',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'Everything held about a session (audit-logged)',
          params: SessionIdParams,
        },
      },
      async (request) => {
        const key = keyOf(request);
        const session = await sessions.get(key, request.params.id);
        const report = await sessions.report(key, request.params.id);
        const images = await Promise.all(
          (await sessions.images(key, request.params.id)).map(async (image) => ({
            ...image,
            download: image.stored ? deps.imageLinks.sign(image.imageId) : null,
          })),
        );
        await sessions.audit(session.sessionId, key, 'session.exported');
        const auditEvents = (await store.listAuditEvents(session.sessionId)).map((event) => ({
          action: event.action,
          at: event.at,
          apiKeyId: event.api_key_id,
          details: event.details ? (JSON.parse(event.details) as unknown) : null,
        }));
        return { exportedAt: new Date().toISOString(), session, report, images, auditEvents };
      },
    );

    api.delete(
      '/v1/sessions/:id',
      {
        preHandler: write,
        schema: {
          tags,
          security,
          summary: 'Redact a session: applicant data and images are deleted for good',
          params: SessionIdParams,
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => sessions.redact(keyOf(request), request.params.id),
    );
  };
}
