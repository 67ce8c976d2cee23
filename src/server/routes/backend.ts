/**
 * Backend-operated sessions: the integrator's server starts a session's intake and submits the images
 * its own app captured, with the API key. The images go through the widget's intake (CaptureService):
 * the same validation, feedback codes, `missingImages`, `complete` and `409`s. The body is either JSON
 * (`{image: {kind, data: base64, …}, deviceInfo}`) or the raw image with `?kind=`.
 */
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ImageKind } from '../../core/session/flows.js';
import type { ServerConfig } from '../config.js';
import { ApiError, badRequest, conflict } from '../errors.js';
import { keyOf, requireApiKey } from '../http/auth.js';
import { normaliseBody, normaliseKeys } from '../http/normalise.js';
import { strictTypes, validateBody } from '../http/strict-types.js';
import {
  BACKEND_IMAGE_FIELDS,
  BackendImageBody,
  BackendIntakeQuery,
  DeviceInfo as DeviceInfoSchema,
  errorResponses,
  IntakeResultSchema,
  SessionIdParams,
  SessionSchema,
  StartBody,
} from '../http/schemas.js';
import { backendDevice, type DeviceInfo } from '../intake/device.js';
import type { CaptureService, IntakeInput } from '../sessions/capture.js';
import type { SessionService } from '../sessions/service.js';
import type { Store } from '../store/store.js';
import { deviceMetricsOf, IMAGE_TYPES, uploadKeyOf } from './client.js';

const tags = ['sessions'];
const security = [{ apiKey: [] }];
const errors = errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429);
const startTypes = strictTypes(StartBody);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const ResultSchema = Type.Object({
  sessionId: Type.String(),
  status: Type.String(),
  flow: Type.String(),
  decision: NullableString,
  recommendation: NullableString,
  decisionReasons: Type.Array(Type.String()),
  decidedBy: NullableString,
  checks: Type.Array(Type.Unknown()),
  person: Type.Union([
    Type.Object({
      firstName: NullableString,
      lastName: NullableString,
      dateOfBirth: NullableString,
      nationality: NullableString,
      sex: NullableString,
    }),
    Type.Null(),
  ]),
  document: Type.Union([
    Type.Object({
      type: NullableString,
      number: NullableString,
      issuingCountry: NullableString,
      expiryDate: NullableString,
      source: Type.String(),
      checkDigitsValid: Type.Boolean(),
      confidence: Type.Number(),
    }),
    Type.Null(),
  ]),
  completedAt: NullableString,
  redacted: Type.Boolean(),
});

const START_FIELDS = {
  fields: ['consent'],
  aliases: { consentGiven: 'consent', biometricConsent: 'consent' },
};
const DEVICE_INFO_HEADER = 'idv-device-info';
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** The JSON body, normalised and checked here: it is parsed only for JSON requests. */
const checkImageBody = validateBody<BackendImageBody>(BackendImageBody);
const jsonImage = (body: unknown) => checkImageBody(normaliseBody(body, BACKEND_IMAGE_FIELDS));

function decodeBase64(data: string, maxBytes: number): Buffer {
  const text = data.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw badRequest('parameter_invalid', 'image.data is not base64.', 'image.data');
  }
  const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (bytes.length > maxBytes) {
    throw new ApiError(413, 'invalid_request_error', 'body_too_large', 'The image is too large.');
  }
  if (bytes.length === 0) throw badRequest('body_missing', 'image.data is empty.', 'image.data');
  return bytes;
}

/** For raw bodies: the device as JSON in a header, like the widget's metrics. */
const checkDeviceInfo = validateBody<DeviceInfo>(DeviceInfoSchema, 'Idv-Device-Info field');

function deviceInfoOf(request: FastifyRequest): DeviceInfo | undefined {
  const header = request.headers[DEVICE_INFO_HEADER];
  if (header === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Array.isArray(header) ? header.join(',') : header);
  } catch {
    throw badRequest('parameter_invalid', 'Idv-Device-Info is not valid JSON.', 'Idv-Device-Info');
  }
  return checkDeviceInfo(normaliseKeys(value, BACKEND_IMAGE_FIELDS.nested.deviceInfo));
}

export function backendRoutes(deps: {
  store: Store;
  sessions: SessionService;
  capture: CaptureService;
  config: ServerConfig;
}) {
  const { store, sessions, capture, config } = deps;
  const write = requireApiKey(store, 'sessions:write');
  const read = requireApiKey(store, 'sessions:read');
  // base64 is 4/3 of the bytes, plus room for the rest of the JSON.
  const jsonLimit = Math.ceil((config.maxUploadBytes * 4) / 3) + 16 * 1024;

  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    // Raw images only in this plugin's routes, as in the client API.
    api.addContentTypeParser(
      IMAGE_TYPES,
      { parseAs: 'buffer', bodyLimit: config.maxUploadBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );

    api.post(
      '/v1/sessions/:id/start',
      {
        preHandler: write,
        preValidation: async (request: FastifyRequest) => {
          if (request.body === undefined) return;
          request.body = normaliseBody(request.body, START_FIELDS);
          startTypes(request.body);
        },
        schema: {
          tags,
          security,
          summary: "Open a session's intake to your backend (pending → capturing)",
          params: SessionIdParams,
          body: { ...StartBody, nullable: true },
          response: { 200: SessionSchema, ...errors },
        },
      },
      async (request) => sessions.start(keyOf(request), request.params.id, request.body?.consent),
    );

    api.post(
      '/v1/sessions/:id/images',
      {
        preHandler: write,
        bodyLimit: jsonLimit,
        schema: {
          tags,
          security,
          summary: 'Submit one image from your backend (JSON with base64, or the raw image with ?kind=)',
          params: SessionIdParams,
          querystring: BackendIntakeQuery,
          response: { 200: IntakeResultSchema, 201: IntakeResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = keyOf(request);
        let input: IntakeInput;
        if (Buffer.isBuffer(request.body)) {
          if (request.body.length === 0) throw badRequest('body_missing', 'Send the image as the body.');
          // The route's limit is the JSON one (base64 is larger); a raw image has the upload limit.
          if (request.body.length > config.maxUploadBytes) {
            throw new ApiError(413, 'invalid_request_error', 'body_too_large', 'The image is too large.');
          }
          if (!request.query.kind) {
            throw badRequest('parameter_missing', 'Missing required query parameter "kind".', 'kind');
          }
          const deviceMetrics = deviceMetricsOf(request);
          input = {
            kind: request.query.kind,
            body: request.body,
            uploadKey: uploadKeyOf(request),
            deviceMetrics,
            device: backendDevice(deviceInfoOf(request), deviceMetrics),
          };
        } else {
          const { image, deviceInfo } = jsonImage(request.body);
          if (request.query.kind && request.query.kind !== image.kind) {
            throw badRequest('parameter_duplicate', 'The query and the body name different kinds.', 'kind');
          }
          input = {
            kind: image.kind as ImageKind,
            body: decodeBase64(image.data, config.maxUploadBytes),
            uploadKey: image.uploadKey ?? uploadKeyOf(request),
            deviceMetrics: image.metrics,
            device: backendDevice(deviceInfo as DeviceInfo | undefined, image.metrics),
          };
        }
        const session = await sessions.load(key, request.params.id);
        if (session.status === 'pending') {
          throw conflict(
            'session_not_started',
            'Start the session first (POST /v1/sessions/{id}/start, or start: true at creation).',
          );
        }
        const { replayed, result } = await capture.intake(
          { sessionId: session.id, expiresAt: session.expires_at },
          input,
        );
        void reply.code(replayed ? 200 : 201);
        return result;
      },
    );

    api.get(
      '/v1/sessions/:id/result',
      {
        preHandler: read,
        schema: {
          tags,
          security,
          summary: 'The verification result (decision, checks, extracted fields) once the session is over',
          params: SessionIdParams,
          response: { 200: ResultSchema, ...errors },
        },
      },
      async (request) => sessions.result(keyOf(request), request.params.id),
    );
  };
}
