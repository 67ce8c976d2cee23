/** Client API, used only by the widget: `/v1/client/…`, authenticated by the session's own tokens. */
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServerConfig } from '../config.js';
import { badRequest } from '../errors.js';
import { grantOf, requireUploadToken } from '../http/auth.js';
import {
  DeviceMetricsSchema,
  errorResponses,
  ExchangeBody,
  IntakeQuery,
  IntakeResultSchema,
} from '../http/schemas.js';
import { widgetDevice } from '../intake/device.js';
import type { CaptureService } from '../sessions/capture.js';
import { Compile } from 'typebox/compile';

const tags = ['client'];
const security = [{ uploadToken: [] }];
const errors = errorResponses(400, 401, 409, 413, 415, 422, 429);
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];
const METRICS_HEADER = 'idv-device-metrics';
const checkMetrics = Compile(DeviceMetricsSchema);

/** On-device figures travel in a header as JSON so the body can be the raw image. */
export function deviceMetricsOf(request: FastifyRequest): Record<string, unknown> | undefined {
  const header = request.headers[METRICS_HEADER];
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('parameter_invalid', 'Idv-Device-Metrics is not valid JSON.', 'Idv-Device-Metrics');
  }
  if (!checkMetrics.Check(value)) {
    throw badRequest(
      'parameter_invalid',
      'Idv-Device-Metrics must be a flat object of at most 30 short values.',
      'Idv-Device-Metrics',
    );
  }
  return value as Record<string, unknown>;
}

export function uploadKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && (key.length === 0 || key.length > 255)) {
    throw badRequest('parameter_invalid', 'Idempotency-Key must be 1 to 255 characters.', 'Idempotency-Key');
  }
  return key;
}

export function clientRoutes(deps: { capture: CaptureService; config: ServerConfig }) {
  const { capture, config } = deps;
  const uploadToken = requireUploadToken(capture);

  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    // Raw image bodies are accepted only inside this plugin; the integrator API stays JSON-only.
    api.addContentTypeParser(
      IMAGE_TYPES,
      { parseAs: 'buffer', bodyLimit: config.maxUploadBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );

    api.post(
      '/v1/client/exchange',
      {
        schema: {
          tags,
          summary: 'Exchange the single-use client token for an upload token',
          body: ExchangeBody,
        },
      },
      async (request) => capture.exchange(request.body.clientToken),
    );

    api.get(
      '/v1/client/session',
      {
        preHandler: uploadToken,
        schema: { tags, security, summary: 'Status and requirements of the session' },
      },
      async (request) => capture.status(grantOf(request)),
    );

    api.post(
      '/v1/client/consent',
      {
        preHandler: uploadToken,
        schema: {
          tags,
          security,
          summary: 'Record biometric consent',
          response: { 200: Type.Object({ consentAt: Type.String() }), ...errors },
        },
      },
      async (request) => capture.recordConsent(grantOf(request)),
    );

    api.post(
      '/v1/client/images',
      {
        preHandler: uploadToken,
        bodyLimit: config.maxUploadBytes,
        schema: {
          tags,
          security,
          summary: 'Upload one image (raw JPEG, PNG or WebP body)',
          querystring: IntakeQuery,
          response: { 200: IntakeResultSchema, 201: IntakeResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
          throw badRequest('body_missing', 'Send the image as the raw request body.');
        }
        const deviceMetrics = deviceMetricsOf(request);
        const { replayed, result } = await capture.intake(grantOf(request), {
          kind: request.query.kind,
          body: request.body,
          uploadKey: uploadKeyOf(request),
          deviceMetrics,
          device: widgetDevice(request.headers, deviceMetrics),
        });
        void reply.code(replayed ? 200 : 201);
        return result;
      },
    );

    api.post(
      '/v1/client/complete',
      {
        preHandler: uploadToken,
        schema: {
          tags,
          security,
          summary: "Finish capture: the callback URL with session_id and the integrator's state",
          response: {
            200: Type.Object({
              redirectUrl: Type.Union([Type.String(), Type.Null()]),
              status: Type.String(),
            }),
            ...errors,
          },
        },
      },
      async (request) => capture.complete(grantOf(request)),
    );
  };
}
