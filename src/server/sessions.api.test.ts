/**
 * The integrator API over real HTTP against a real server process and a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';

let server: ServerProcess;
let key: string; // sandbox, all scopes
let readOnlyKey: string;
let liveKey: string;
const ORIGIN = 'https://app.example.com';

type Session = Record<string, unknown> & {
  sessionId: string;
  status: string;
  clientToken?: string;
  hostedUrl?: string;
};

beforeAll(async () => {
  server = await startServer();
  [key, readOnlyKey, liveKey] = await Promise.all([
    createKey(server.dataDir, { origins: [ORIGIN, 'http://localhost:3000'] }),
    createKey(server.dataDir, { scopes: ['sessions:read'] }),
    createKey(server.dataDir, { env: 'live', origins: [ORIGIN] }),
  ]);
});

afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

const sessions = () => `${server.url}/v1/sessions`;
const create = (json: unknown, token = key, headers?: Record<string, string>) =>
  call<Session>(sessions(), { token, json, ...(headers ? { headers } : {}) });

describe('create', () => {
  it('creates a session with a client token, hosted link and QR code', async () => {
    const { status, body } = await create({ flow: 'liveness', redirectUrl: `${ORIGIN}/done`, state: 'abc' });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'pending',
      flow: 'liveness',
      state: 'abc',
      missingImages: ['selfie'],
      decision: null,
    });
    expect(body.sessionId).toMatch(/^ses_[A-Za-z0-9_-]{22}$/);
    // 256 random bits, base64url.
    expect(body.clientToken).toMatch(/^idvc_[A-Za-z0-9_-]{43}$/);
    expect(body.hostedUrl).toBe(`${server.url}/s/${body.sessionId}?t=${body.clientToken}`);
    expect(String(body['qrCodeDataUrl'])).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Date.parse(String(body['expiresAt'])) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
  });

  it('accepts snake_case, kebab-case, a JSON:API envelope and alias names', async () => {
    const { status, body } = await create({
      data: {
        type: 'session',
        attributes: {
          flow: 'document',
          callback_url: `${ORIGIN}/cb`,
          'ref-id': 'user-77',
          user: { first_name: 'Ada', family_name: 'Lovelace' },
          metadata: { order_id: 5 },
          ttl: 600,
        },
      },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      flow: 'document',
      redirectUrl: `${ORIGIN}/cb`,
      reference: 'user-77',
      subject: { firstName: 'Ada', lastName: 'Lovelace' },
      metadata: { order_id: 5 },
      missingImages: ['document_front', 'document_back'],
    });
  });

  it('returns and extends the active session for the same reference unless forceCreation', async () => {
    const first = await create({ flow: 'liveness', reference: 'ref-reuse', ttl: 600 });
    const again = await create({ flow: 'liveness', reference: 'ref-reuse', ttl: 3600 });
    expect(again.status).toBe(200);
    expect(again.body.sessionId).toBe(first.body.sessionId);
    expect(again.body.clientToken).not.toBe(first.body.clientToken);
    expect(Date.parse(String(again.body['expiresAt']))).toBeGreaterThan(
      Date.parse(String(first.body['expiresAt'])),
    );
    const forced = await create({ flow: 'liveness', reference: 'ref-reuse', forceCreation: true });
    expect(forced.status).toBe(201);
    expect(forced.body.sessionId).not.toBe(first.body.sessionId);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with another body', async () => {
    const headers = { 'idempotency-key': 'idem-1' };
    const first = await create({ flow: 'liveness', state: 's1' }, key, headers);
    const replay = await create({ flow: 'liveness', state: 's1' }, key, headers);
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await create({ flow: 'liveness', state: 's2' }, key, headers);
    expect(other.status).toBe(422);
    expect((other.body as unknown as ErrorShape).error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
    });
  });

  it.each([
    ['malformed JSON', '{"flow": "liveness",', 400, 'invalid_json', undefined],
    ['an unknown flow', { flow: 'telepathy' }, 400, 'parameter_invalid', 'flow'],
    ['a missing flow', { state: 'x' }, 400, 'parameter_missing', 'flow'],
    ['a wrong type', { flow: 'liveness', metadata: 'not an object' }, 400, 'parameter_invalid', 'metadata'],
    [
      'a boolean of the wrong type',
      { flow: 'liveness', forceCreation: 'perhaps' },
      400,
      'parameter_invalid',
      'forceCreation',
    ],
    ['an unknown field', { flow: 'liveness', colour: 'red' }, 400, 'parameter_unknown', 'colour'],
    ['a ttl out of range', { flow: 'liveness', ttl: 5 }, 400, 'parameter_invalid', 'ttl'],
    [
      'a redirect origin not on the list',
      { flow: 'liveness', redirectUrl: 'https://evil.example.net/x' },
      422,
      'redirect_origin_not_allowed',
      'redirectUrl',
    ],
    [
      'a relative redirect',
      { flow: 'liveness', redirectUrl: '/done' },
      400,
      'parameter_invalid',
      'redirectUrl',
    ],
    [
      'two names for one field',
      { flow: 'liveness', redirectUrl: `${ORIGIN}/a`, callback_url: `${ORIGIN}/b` },
      400,
      'parameter_duplicate',
      'redirectUrl',
    ],
  ])('refuses %s', async (_name, payload, status, code, param) => {
    const response =
      typeof payload === 'string'
        ? await call<ErrorShape>(sessions(), {
            token: key,
            body: payload,
            headers: { 'content-type': 'application/json' },
          })
        : await call<ErrorShape>(sessions(), { token: key, json: payload });
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.type).toBe('invalid_request_error');
    if (param) expect(response.body.error.param).toBe(param);
  });

  it('refuses an oversize body with 413', async () => {
    const { status, body } = await call<ErrorShape>(sessions(), {
      token: key,
      json: { flow: 'liveness', metadata: { blob: 'x'.repeat(100_000) } },
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe('body_too_large');
  });

  it('refuses a non-JSON content type with 415', async () => {
    const { status, body } = await call<ErrorShape>(sessions(), {
      token: key,
      body: 'flow=liveness',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(status).toBe(415);
    expect(body.error.code).toBe('unsupported_media_type');
  });

  it('takes mockBehavior only in sandbox', async () => {
    const { status, body } = await create({ flow: 'liveness', mockBehavior: 'approve' }, liveKey);
    expect(status).toBe(400);
    expect((body as unknown as ErrorShape).error.code).toBe('mock_behavior_sandbox_only');
  });
});

describe('authentication, scopes and environments', () => {
  it('answers 401 without a key or with an unknown one', async () => {
    const none = await call<ErrorShape>(sessions());
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: 'authentication_error', code: 'api_key_missing' });
    const bad = await call<ErrorShape>(sessions(), { token: 'svk_test_nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('api_key_invalid');
  });

  it('answers 403 naming the missing scope', async () => {
    const { status, body } = await create({ flow: 'liveness' }, readOnlyKey);
    expect(status).toBe(403);
    expect(body as unknown as ErrorShape).toMatchObject({
      error: { type: 'permission_error', code: 'missing_scope', param: 'sessions:write' },
    });
  });

  it('hides sandbox sessions from a live key with 404', async () => {
    const sandbox = await create({ flow: 'liveness' });
    const got = await call<ErrorShape>(`${sessions()}/${sandbox.body.sessionId}`, { token: liveKey });
    expect(got.status).toBe(404);
    expect(got.body.error.type).toBe('not_found_error');
    const cancel = await call<ErrorShape>(`${sessions()}/${sandbox.body.sessionId}/cancel`, {
      method: 'POST',
      token: liveKey,
    });
    expect(cancel.status).toBe(404);
    const list = await call<{ data: Session[] }>(sessions(), { token: liveKey });
    expect(list.body.data.map((session) => session.sessionId)).not.toContain(sandbox.body.sessionId);
  });
});

describe('read, list and change', () => {
  it('gets a session and validates the id', async () => {
    const created = await create({ flow: 'liveness', reference: 'get-me', forceCreation: true });
    const got = await call<Session>(`${sessions()}/${created.body.sessionId}`, { token: readOnlyKey });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ sessionId: created.body.sessionId, reference: 'get-me' });
    expect(got.body).not.toHaveProperty('clientToken');
    const malformed = await call<ErrorShape>(`${sessions()}/not-an-id`, { token: key });
    expect(malformed.status).toBe(400);
    const missing = await call<ErrorShape>(`${sessions()}/ses_AAAAAAAAAAAAAAAAAAAAAA`, { token: key });
    expect(missing.status).toBe(404);
  });

  it('lists with filters and a cursor that walks every page once', async () => {
    const reference = `list-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await create({ flow: 'liveness', reference, forceCreation: true })).body.sessionId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?reference=${reference}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call<{ data: Session[]; hasMore: boolean; nextCursor: string | null }>(
        `${sessions()}${query}`,
        { token: key },
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((session) => session.sessionId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const cancelled = await call<{ data: Session[] }>(
      `${sessions()}?status=cancelled&reference=${reference}`,
      { token: key },
    );
    expect(cancelled.body.data).toEqual([]);
    const badLimit = await call<ErrorShape>(`${sessions()}?limit=1000`, { token: key });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.param).toBe('limit');
    const badCursor = await call<ErrorShape>(`${sessions()}?cursor=garbage`, { token: key });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.param).toBe('cursor');
  });

  it('patches applicant data and metadata while active, and refuses it after', async () => {
    const created = await create({ flow: 'liveness', subject: { firstName: 'Ada' } });
    const url = `${sessions()}/${created.body.sessionId}`;
    const patched = await call<Session>(url, {
      method: 'PATCH',
      token: key,
      json: { fields: { last_name: 'Lovelace' }, metadata: { a: 1 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      subject: { firstName: 'Ada', lastName: 'Lovelace' },
      metadata: { a: 1 },
    });
    const unknown = await call<ErrorShape>(url, { method: 'PATCH', token: key, json: { flow: 'document' } });
    expect(unknown.status).toBe(400);
    await call(`${url}/cancel`, { method: 'POST', token: key });
    const late = await call<ErrorShape>(url, { method: 'PATCH', token: key, json: { metadata: { a: 2 } } });
    expect(late.status).toBe(409);
  });

  it('cancels and expires only active sessions, and a terminal session never changes', async () => {
    const a = await create({ flow: 'liveness' });
    const cancelled = await call<Session>(`${sessions()}/${a.body.sessionId}/cancel`, {
      method: 'POST',
      token: key,
    });
    expect(cancelled.body.status).toBe('cancelled');
    const again = await call<ErrorShape>(`${sessions()}/${a.body.sessionId}/expire`, {
      method: 'POST',
      token: key,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.type).toBe('conflict_error');
    const b = await create({ flow: 'liveness' });
    const expired = await call<Session>(`${sessions()}/${b.body.sessionId}/expire`, {
      method: 'POST',
      token: key,
    });
    expect(expired.body.status).toBe('expired');
    // Its client token died with it.
    const exchange = await call<ErrorShape>(`${server.url}/v1/client/exchange`, {
      json: { clientToken: b.body.clientToken },
    });
    expect(exchange.status).toBe(401);
  });

  it('re-issues a capture token for an active session', async () => {
    const created = await create({ flow: 'liveness' });
    const reissued = await call<Session>(`${sessions()}/${created.body.sessionId}/capture-token`, {
      method: 'POST',
      token: key,
    });
    expect(reissued.status).toBe(200);
    expect(reissued.body.clientToken).toMatch(/^idvc_/);
    expect(reissued.body.clientToken).not.toBe(created.body.clientToken);
    expect(reissued.body.hostedUrl).toContain(String(reissued.body.clientToken));
  });

  it('refuses a decision on a session that is not under review', async () => {
    const created = await create({ flow: 'liveness' });
    const decision = await call<ErrorShape>(`${sessions()}/${created.body.sessionId}/decision`, {
      token: key,
      json: { decision: 'approved' },
    });
    expect(decision.status).toBe(409);
    const bad = await call<ErrorShape>(`${sessions()}/${created.body.sessionId}/decision`, {
      token: key,
      json: { decision: 'maybe' },
    });
    expect(bad.status).toBe(400);
    const rerun = await call<ErrorShape>(`${sessions()}/${created.body.sessionId}/rerun`, {
      method: 'POST',
      token: key,
    });
    expect(rerun.status).toBe(409);
  });
});

describe('system routes', () => {
  it('serves an OpenAPI 3.1 document generated from the routes, and its docs page', async () => {
    const { status, body } = await call<{ openapi: string; paths: Record<string, unknown> }>(
      `${server.url}/openapi.json`,
    );
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/sessions',
      '/v1/sessions/{id}',
      '/v1/sessions/{id}/decision',
      '/v1/client/images',
      '/v1/client/exchange',
    ]) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    const docs = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers unknown routes with a typed 404', async () => {
    const { status, body } = await call<ErrorShape>(`${server.url}/v1/nothing-here`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('route_not_found');
  });
});
