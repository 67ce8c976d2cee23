/**
 * Webhook API: endpoints per environment (`/v1/webhook-endpoints`), their delivery log and redelivery,
 * and the outbox's events (`/v1/events`). Endpoints and deliveries need the `webhooks:manage` scope;
 * events are session data and need `sessions:read`.
 */
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { keyOf, requireApiKey } from '../http/auth.js';
import { normaliseBody } from '../http/normalise.js';
import { errorResponses } from '../http/schemas.js';
import { strictTypes } from '../http/strict-types.js';
import type { Store } from '../store/store.js';
import type { Deliveries } from '../webhooks/deliveries.js';
import type { WebhookEndpoints } from '../webhooks/endpoints.js';
import { EVENT_TYPES } from '../webhooks/events.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422, 429);
const tags = ['webhooks'];
const security = [{ apiKey: [] }];

const EventTypeOrAll = Type.Union([Type.Enum(EVENT_TYPES), Type.Literal('*')]);

const CreateEndpointBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    events: Type.Optional(Type.Array(EventTypeOrAll, { maxItems: EVENT_TYPES.length + 1 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const ENDPOINT_FIELDS = {
  fields: Object.keys(CreateEndpointBody.properties),
  aliases: {
    enabledEvents: 'events',
    eventTypes: 'events',
    types: 'events',
    endpoint: 'url',
    target: 'url',
  },
};

const Endpoint = Type.Object({
  id: Type.String(),
  environment: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const CreatedEndpoint = Type.Object({
  ...Endpoint.properties,
  secret: Type.String({ description: 'The signing secret, shown only in this answer' }),
});
const EndpointParams = Type.Object({ id: Type.String({ pattern: '^whe_[A-Za-z0-9_-]{22}$' }) });
const DeliveryParams = Type.Object({ id: Type.String({ pattern: '^whd_[A-Za-z0-9_-]{22}$' }) });
const EventIdPattern = '^evt_[A-Za-z0-9_-]{22}$';
const EventParams = Type.Object({ id: Type.String({ pattern: EventIdPattern }) });
const SessionIdPattern = '^ses_[A-Za-z0-9_-]{22}$';

const Attempt = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  outcome: Type.String(),
  responseCode: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
});
const Delivery = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  sessionId: Type.String(),
  status: Type.String(),
  attemptCount: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastResponseCode: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  attempts: Type.Array(Attempt),
});
const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['pending', 'succeeded', 'failed'])),
    sessionId: Type.Optional(Type.String({ pattern: SessionIdPattern })),
    eventId: Type.Optional(Type.String({ pattern: EventIdPattern })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
const EventQuery = Type.Object(
  {
    sessionId: Type.Optional(Type.String({ pattern: SessionIdPattern })),
    type: Type.Optional(Type.Enum(EVENT_TYPES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
const Event = Type.Object({
  id: Type.String(),
  type: Type.String(),
  createdAt: Type.String(),
  environment: Type.String(),
  data: Type.Object({ session: Type.Record(Type.String(), Type.Unknown()) }),
});

const endpointTypes = strictTypes(CreateEndpointBody);

export function webhookRoutes(deps: { store: Store; endpoints: WebhookEndpoints; deliveries: Deliveries }) {
  const { store, endpoints, deliveries } = deps;
  const manage = requireApiKey(store, 'webhooks:manage');
  const read = requireApiKey(store, 'sessions:read');

  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/v1/webhook-endpoints',
      {
        preHandler: manage,
        preValidation: async (request: FastifyRequest) => {
          request.body = normaliseBody(request.body, ENDPOINT_FIELDS);
          endpointTypes(request.body);
        },
        schema: {
          tags,
          security,
          summary: "Add a webhook endpoint to the key's environment; the signing secret is shown once",
          body: CreateEndpointBody,
          response: { 201: CreatedEndpoint, ...errors },
        },
      },
      async (request, reply) => {
        const created = await endpoints.create(keyOf(request).environment, request.body);
        void reply.code(201);
        return created;
      },
    );

    api.get(
      '/v1/webhook-endpoints',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: "The environment's webhook endpoints",
          response: { 200: Type.Object({ data: Type.Array(Endpoint) }), ...errors },
        },
      },
      async (request) => ({ data: await endpoints.list(keyOf(request).environment) }),
    );

    api.get(
      '/v1/webhook-endpoints/:id',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: 'A webhook endpoint',
          params: EndpointParams,
          response: { 200: Endpoint, ...errors },
        },
      },
      async (request) => endpoints.get(keyOf(request).environment, request.params.id),
    );

    api.delete(
      '/v1/webhook-endpoints/:id',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: 'Remove a webhook endpoint (its pending deliveries and log go with it)',
          params: EndpointParams,
          response: { 200: Type.Object({ id: Type.String(), deleted: Type.Boolean() }), ...errors },
        },
      },
      async (request) => {
        await endpoints.remove(keyOf(request).environment, request.params.id);
        return { id: request.params.id, deleted: true };
      },
    );

    api.get(
      '/v1/webhook-endpoints/:id/deliveries',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: "An endpoint's delivery log, newest first, with every attempt",
          params: EndpointParams,
          querystring: DeliveryQuery,
          response: { 200: Type.Object({ data: Type.Array(Delivery) }), ...errors },
        },
      },
      async (request) => {
        const { limit = 20, status, sessionId, eventId } = request.query;
        return {
          data: await deliveries.list(keyOf(request).environment, request.params.id, {
            limit,
            ...(status ? { status } : {}),
            ...(sessionId ? { sessionId } : {}),
            ...(eventId ? { eventId } : {}),
          }),
        };
      },
    );

    api.get(
      '/v1/webhook-deliveries/:id',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: 'One delivery with its attempts',
          params: DeliveryParams,
          response: { 200: Delivery, ...errors },
        },
      },
      async (request) => deliveries.get(keyOf(request).environment, request.params.id),
    );

    api.post(
      '/v1/webhook-deliveries/:id/redeliver',
      {
        preHandler: manage,
        schema: {
          tags,
          security,
          summary: 'Send a delivery again now (same event id)',
          params: DeliveryParams,
          response: { 200: Delivery, ...errors },
        },
      },
      async (request) => deliveries.redeliver(keyOf(request).environment, request.params.id),
    );

    api.get(
      '/v1/events',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'Session events of the environment, newest first',
          querystring: EventQuery,
          response: { 200: Type.Object({ data: Type.Array(Event) }), ...errors },
        },
      },
      async (request) => {
        const { limit = 20, sessionId, type } = request.query;
        return {
          data: await deliveries.events(keyOf(request).environment, {
            limit,
            ...(sessionId ? { sessionId } : {}),
            ...(type ? { type } : {}),
          }),
        };
      },
    );

    api.get(
      '/v1/events/:id',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'One event',
          params: EventParams,
          response: { 200: Event, ...errors },
        },
      },
      async (request) => deliveries.event(keyOf(request).environment, request.params.id),
    );
  };
}
