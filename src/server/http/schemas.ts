/**
 * Request and response schemas. They validate input, serialise output, and are the single source the
 * OpenAPI document at /openapi.json is generated from.
 */
import { Type, type Static } from 'typebox';
import { FLOWS, IMAGE_KINDS } from '../../core/session/flows.js';
import { DECISIONS, SESSION_STATUSES } from '../../core/session/lifecycle.js';
import { MOCK_BEHAVIORS } from '../sessions/decide.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      type: Type.String(),
      code: Type.String(),
      message: Type.String(),
      param: Type.Optional(Type.String()),
    }),
  },
  { $id: 'Error' },
);

/** The error answers a group of routes can give, every one in the same error envelope. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema])) as Record<S, typeof ErrorSchema>;
}

const Subject = Type.Object(
  {
    firstName: Type.Optional(Type.String({ maxLength: 200 })),
    lastName: Type.Optional(Type.String({ maxLength: 200 })),
    middleName: Type.Optional(Type.String({ maxLength: 200 })),
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    idNumber: Type.Optional(Type.String({ maxLength: 100 })),
    nationality: Type.Optional(Type.String({ maxLength: 3 })),
    address: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 300 }))),
  },
  { additionalProperties: false },
);

export const SUBJECT_FIELDS = Object.keys(Subject.properties);

const Metadata = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 });

export const CreateSessionBody = Type.Object(
  {
    flow: Type.Enum(FLOWS),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    subject: Type.Optional(Subject),
    redirectUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 2048 })),
    metadata: Type.Optional(Metadata),
    ttl: Type.Optional(
      Type.Integer({ minimum: 300, maximum: 7 * 24 * 3600, description: 'Lifetime in seconds' }),
    ),
    forceCreation: Type.Optional(Type.Boolean()),
    locale: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', maxLength: 35 })),
    mockBehavior: Type.Optional(Type.Enum(MOCK_BEHAVIORS)),
    start: Type.Optional(
      Type.Boolean({
        description: "Open intake for the integrator's backend now (a backend-operated session)",
      }),
    ),
    consent: Type.Optional(
      Type.Boolean({
        description: 'With start: the person gave biometric consent in your app (needed before face images)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSessionBody = Static<typeof CreateSessionBody>;

/** Field names and their alternatives, for the normaliser that runs before validation. */
export const CREATE_SESSION_FIELDS = {
  fields: Object.keys(CreateSessionBody.properties),
  aliases: {
    callbackUrl: 'redirectUrl',
    returnUrl: 'redirectUrl',
    redirectUri: 'redirectUrl',
    refId: 'reference',
    referenceId: 'reference',
    externalId: 'reference',
    user: 'subject',
    fields: 'subject',
    applicant: 'subject',
    mockBehaviour: 'mockBehavior',
    ttlSeconds: 'ttl',
    language: 'locale',
    consentGiven: 'consent',
    biometricConsent: 'consent',
  },
  nested: {
    subject: {
      fields: SUBJECT_FIELDS,
      aliases: {
        givenName: 'firstName',
        familyName: 'lastName',
        surname: 'lastName',
        dob: 'dateOfBirth',
        birthDate: 'dateOfBirth',
      },
    },
  },
};

export const UpdateSessionBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    metadata: Type.Optional(Metadata),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locale: Type.Optional(CreateSessionBody.properties.locale),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSessionBody = Static<typeof UpdateSessionBody>;

export const DecisionBody = Type.Object(
  {
    decision: Type.Enum(['approved', 'declined']),
    reasons: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const SessionIdParams = Type.Object({ id: Type.String({ pattern: '^ses_[A-Za-z0-9_-]{22}$' }) });
export const ImageParams = Type.Object({
  id: SessionIdParams.properties.id,
  imageId: Type.String({ pattern: '^img_[A-Za-z0-9_-]{22}$' }),
});

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(SESSION_STATUSES)),
    reference: Type.Optional(Type.String({ maxLength: 200 })),
    createdAfter: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

const Check = Type.Object({
  type: Type.String(),
  status: Type.String(),
  score: Type.Optional(Type.Number()),
  reasons: Type.Array(Type.String()),
  source: Type.String(),
});

const ImageKindSchema = Type.Enum(IMAGE_KINDS);

export const SessionSchema = Type.Object(
  {
    sessionId: Type.String(),
    environment: Type.String(),
    status: Type.Enum(SESSION_STATUSES),
    flow: Type.String(),
    reference: Nullable(Type.String()),
    state: Nullable(Type.String()),
    redirectUrl: Nullable(Type.String()),
    locale: Nullable(Type.String()),
    metadata: Nullable(Type.Record(Type.String(), Type.Unknown())),
    subject: Nullable(Type.Record(Type.String(), Type.Unknown())),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    expiresAt: Type.String(),
    consentAt: Nullable(Type.String()),
    completedAt: Nullable(Type.String()),
    redactedAt: Nullable(Type.String()),
    decision: Nullable(Type.Enum(DECISIONS)),
    decisionReasons: Type.Array(Type.String()),
    checks: Type.Array(Check),
    missingImages: Type.Array(ImageKindSchema),
  },
  { $id: 'Session' },
);

export const CreatedSessionSchema = Type.Object(
  {
    ...SessionSchema.properties,
    clientToken: Type.String(),
    clientTokenExpiresAt: Type.String(),
    hostedUrl: Type.String(),
    qrCodeDataUrl: Type.String(),
  },
  { $id: 'CreatedSession' },
);

export const SessionListSchema = Type.Object({
  data: Type.Array(Type.Ref('Session')),
  hasMore: Type.Boolean(),
  nextCursor: Nullable(Type.String()),
});

const Feedback = Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() });

export const ImageSchema = Type.Object(
  {
    imageId: Type.String(),
    kind: Type.String(),
    accepted: Type.Boolean(),
    feedback: Type.Array(Feedback),
    width: Type.Integer(),
    height: Type.Integer(),
    bytes: Type.Integer(),
    contentType: Type.String(),
    sha256: Type.String(),
    deviceMetrics: Nullable(Type.Record(Type.String(), Type.Unknown())),
    device: Nullable(Type.Record(Type.String(), Type.Unknown())),
    serverMetrics: Type.Record(Type.String(), Type.Unknown()),
    stored: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'Image' },
);

export const IntakeQuery = Type.Object({ kind: ImageKindSchema }, { additionalProperties: false });

export const IntakeResultSchema = Type.Object({
  imageId: Type.String(),
  kind: ImageKindSchema,
  accepted: Type.Boolean(),
  feedback: Type.Array(Feedback),
  missingImages: Type.Array(ImageKindSchema),
  complete: Type.Boolean(),
});

/** What the device may report with an image: flat, small, hints only. */
export const DeviceMetricsSchema = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String({ maxLength: 100 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 30 },
);

export const StartBody = Type.Object(
  { consent: CreateSessionBody.properties.consent },
  { additionalProperties: false },
);
export type StartBody = Static<typeof StartBody>;

export const DeviceInfo = Type.Object(
  {
    userAgent: Type.Optional(Type.String({ maxLength: 300 })),
    platform: Type.Optional(Type.String({ maxLength: 40 })),
    capture: Type.Optional(Type.Enum(['live', 'file'])),
    model: Type.Optional(Type.String({ maxLength: 100 })),
    osVersion: Type.Optional(Type.String({ maxLength: 40 })),
    appVersion: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** The backend's JSON upload: the image as base64 with its kind, and the device it was taken on. */
export const BackendImageBody = Type.Object(
  {
    image: Type.Object(
      {
        kind: ImageKindSchema,
        data: Type.String({
          minLength: 1,
          description: 'The image bytes, base64 (a data: URL prefix is allowed)',
        }),
        uploadKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        metrics: Type.Optional(DeviceMetricsSchema),
      },
      { additionalProperties: false },
    ),
    deviceInfo: Type.Optional(DeviceInfo),
  },
  { additionalProperties: false },
);
export type BackendImageBody = Static<typeof BackendImageBody>;

export const BACKEND_IMAGE_FIELDS = {
  fields: Object.keys(BackendImageBody.properties),
  aliases: { device: 'deviceInfo', deviceInformation: 'deviceInfo' },
  nested: {
    image: {
      fields: ['kind', 'data', 'uploadKey', 'metrics'],
      aliases: {
        content: 'data',
        base64: 'data',
        type: 'kind',
        idempotencyKey: 'uploadKey',
        id: 'uploadKey',
      },
    },
    deviceInfo: {
      fields: Object.keys(DeviceInfo.properties),
      aliases: { os: 'platform', captureMode: 'capture', deviceModel: 'model' },
    },
  },
};

export const BackendIntakeQuery = Type.Object(
  { kind: Type.Optional(ImageKindSchema) },
  { additionalProperties: false },
);

export const ExchangeBody = Type.Object(
  { clientToken: Type.String({ minLength: 10, maxLength: 200 }) },
  { additionalProperties: false },
);
