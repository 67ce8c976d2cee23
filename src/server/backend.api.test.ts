/**
 * Backend-operated sessions over real HTTP: the integrator's server starts intake and submits images
 * with its API key, as JSON with base64 or as the raw image, and gets the widget intake's answers.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import { blurryJpeg, darkJpeg, fixtureJpeg, pngClaiming, truncatedJpeg } from './test-support/images.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';

let server: ServerProcess;
let key: string;
let readOnlyKey: string;
let liveKey: string;
const APP_DEVICE = { userAgent: 'AcmeBank/5.2 (iPhone; iOS 17.4)', capture: 'live', model: 'iPhone15,2' };

interface Intake {
  imageId: string;
  accepted: boolean;
  feedback: { code: string }[];
  missingImages: string[];
  complete: boolean;
}

beforeAll(async () => {
  server = await startServer();
  [key, readOnlyKey, liveKey] = await Promise.all([
    createKey(server.dataDir),
    createKey(server.dataDir, { scopes: ['sessions:read'] }),
    createKey(server.dataDir, { env: 'live' }),
  ]);
});

afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

const api = (path: string) => `${server.url}${path}`;

async function started(json: Record<string, unknown> = {}) {
  const { status, body } = await call<{ sessionId: string; status: string; consentAt: string | null }>(
    api('/v1/sessions'),
    { token: key, json: { flow: 'liveness', start: true, consent: true, ...json } },
  );
  expect(status).toBe(201);
  expect(body.status).toBe('capturing');
  return body.sessionId;
}

function sendJson(sessionId: string, image: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return call<Intake & ErrorShape>(api(`/v1/sessions/${sessionId}/images`), {
    token: key,
    json: { image, deviceInfo: APP_DEVICE, ...extra },
  });
}

function sendRaw(sessionId: string, bytes: Buffer, kind = 'selfie', headers: Record<string, string> = {}) {
  return call<Intake & ErrorShape>(api(`/v1/sessions/${sessionId}/images?kind=${kind}`), {
    token: key,
    body: bytes,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
}

describe('starting', () => {
  it('starts at creation or through /start, and only active sessions', async () => {
    const created = await call<{ sessionId: string; status: string }>(api('/v1/sessions'), {
      token: key,
      json: { flow: 'liveness' },
    });
    expect(created.body.status).toBe('pending');
    const early = await sendJson(created.body.sessionId, { kind: 'selfie', data: 'AAAA' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('session_not_started');

    const start = await call<{ status: string; consentAt: string | null }>(
      api(`/v1/sessions/${created.body.sessionId}/start`),
      { method: 'POST', token: key },
    );
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ status: 'capturing', consentAt: null });
    const withConsent = await call<{ consentAt: string | null }>(
      api(`/v1/sessions/${created.body.sessionId}/start`),
      { token: key, json: { consent_given: true } },
    );
    expect(withConsent.body.consentAt).toBeTruthy();

    await call(api(`/v1/sessions/${created.body.sessionId}/cancel`), { method: 'POST', token: key });
    const late = await call<ErrorShape>(api(`/v1/sessions/${created.body.sessionId}/start`), {
      method: 'POST',
      token: key,
    });
    expect(late.status).toBe(409);
    const badConsent = await call<ErrorShape>(api('/v1/sessions'), {
      token: key,
      json: { flow: 'liveness', consent: true },
    });
    expect(badConsent.body.error.code).toBe('consent_requires_start');
  });
});

describe("intake: the widget intake's answers to the same bad inputs", () => {
  it.each([
    [
      'bytes that are no image',
      () => Buffer.from('GIF89a this is not a jpeg at all'),
      415,
      'unsupported_media_type',
    ],
    ['a truncated JPEG', truncatedJpeg, 422, 'image_corrupt'],
    ['a PNG whose header claims 30000×30000', () => pngClaiming(30000, 30000), 422, 'image_too_many_pixels'],
  ])('refuses %s, as JSON and as a raw body', async (_name, make, status, code) => {
    const sessionId = await started();
    const bytes = await make();
    const json = await sendJson(sessionId, { kind: 'selfie', data: bytes.toString('base64') });
    expect(json.status).toBe(status);
    expect(json.body.error.code).toBe(code);
    const raw = await sendRaw(sessionId, bytes);
    expect(raw.status).toBe(status);
    expect(raw.body.error.code).toBe(code);
    const images = await call<{ data: unknown[] }>(api(`/v1/sessions/${sessionId}/images`), { token: key });
    expect(images.body.data).toEqual([]);
  });

  it('refuses oversize, wrong or unknown kinds, bad metrics, bad base64 and unknown fields', async () => {
    const sessionId = await started();
    const jpeg = await fixtureJpeg();
    const big = Buffer.alloc(11 * 1024 * 1024, 0xff);
    expect((await sendRaw(sessionId, big)).status).toBe(413);
    // Just over the upload limit once decoded, and within the JSON limit (4/3 of it plus 16 KiB), so the
    // server reads the whole body before it answers (no reset while the client is still sending).
    const overBy = Buffer.alloc(10 * 1024 * 1024 + 3000, 0xff).toString('base64');
    expect((await sendJson(sessionId, { kind: 'selfie', data: overBy })).status).toBe(413);

    const wrongKind = await sendJson(sessionId, { kind: 'passport', data: jpeg.toString('base64') });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.error).toMatchObject({ code: 'kind_not_accepted', param: 'kind' });
    expect((await sendRaw(sessionId, jpeg, 'passport')).body.error.code).toBe('kind_not_accepted');
    expect((await sendRaw(sessionId, jpeg, 'hologram')).status).toBe(400);
    const unknownKind = await sendJson(sessionId, { kind: 'hologram', data: jpeg.toString('base64') });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.error.param).toBe('image.kind');
    const noKind = await call<ErrorShape>(api(`/v1/sessions/${sessionId}/images`), {
      token: key,
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(noKind.body.error).toMatchObject({ code: 'parameter_missing', param: 'kind' });

    expect((await sendRaw(sessionId, jpeg, 'selfie', { 'idv-device-metrics': '{nope' })).status).toBe(400);
    const badMetrics = await sendJson(sessionId, {
      kind: 'selfie',
      data: jpeg.toString('base64'),
      metrics: { nested: { no: 1 } },
    });
    expect(badMetrics.status).toBe(400);
    const notBase64 = await sendJson(sessionId, { kind: 'selfie', data: '%%% not base64 %%%' });
    expect(notBase64.body.error).toMatchObject({ code: 'parameter_invalid', param: 'image.data' });
    const unknownField = await sendJson(sessionId, {
      kind: 'selfie',
      data: jpeg.toString('base64'),
      colour: 1,
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toMatchObject({ code: 'parameter_unknown', param: 'image.colour' });
    const noData = await sendJson(sessionId, { kind: 'selfie' });
    expect(noData.body.error).toMatchObject({ code: 'parameter_missing', param: 'image.data' });
    const badHeader = await sendRaw(sessionId, jpeg, 'selfie', { 'idv-device-info': '{"shoe_size":42}' });
    expect(badHeader.body.error).toMatchObject({ code: 'parameter_unknown', param: 'shoeSize' });
    const badDevice = await sendJson(
      sessionId,
      { kind: 'selfie', data: 'AAAA' },
      { deviceInfo: { capture: 'maybe' } },
    );
    expect(badDevice.status).toBe(400);
  });

  it('needs consent before a face image, the write scope, and the right environment', async () => {
    const noConsent = await started({ consent: false });
    const jpeg = await fixtureJpeg();
    const refused = await sendJson(noConsent, { kind: 'selfie', data: jpeg.toString('base64') });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('consent_required');
    const readOnly = await call<ErrorShape>(api(`/v1/sessions/${noConsent}/images?kind=selfie`), {
      token: readOnlyKey,
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(readOnly.status).toBe(403);
    const live = await call<ErrorShape>(api(`/v1/sessions/${noConsent}/images?kind=selfie`), {
      token: liveKey,
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(live.status).toBe(404);
  });

  it('answers a dark or blurry picture with feedback and keeps asking', async () => {
    const sessionId = await started();
    const dark = await sendJson(sessionId, { kind: 'selfie', data: (await darkJpeg()).toString('base64') });
    expect(dark.status).toBe(201);
    expect(dark.body).toMatchObject({ accepted: false, missingImages: ['selfie'], complete: false });
    expect(dark.body.feedback.map((item) => item.code)).toContain('too_dark');
    const blurry = await sendRaw(sessionId, await blurryJpeg());
    expect(blurry.body.accepted).toBe(false);
    expect(blurry.body.feedback.map((item) => item.code)).toContain('blurry');
  });
});

describe('a backend-operated session end to end', () => {
  it('takes images, completes, streams them back, records the device, and gives the result', async () => {
    const sessionId = await started({ flow: 'liveness+facematch+document', mockBehavior: 'review' });
    const pending = await call<ErrorShape>(api(`/v1/sessions/${sessionId}/result`), { token: key });
    expect(pending.status).toBe(409);
    expect(pending.body.error.code).toBe('result_not_ready');

    const selfie = await fixtureJpeg();
    const first = await sendJson(sessionId, {
      kind: 'selfie',
      data: `data:image/jpeg;base64,${selfie.toString('base64')}`,
      upload_key: 'app-upload-1',
      metrics: { faceCount: 1 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      accepted: true,
      complete: false,
      missingImages: ['document_front', 'document_back'],
    });
    const retry = await sendJson(sessionId, {
      kind: 'selfie',
      data: selfie.toString('base64'),
      uploadKey: 'app-upload-1',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.imageId).toBe(first.body.imageId);

    const card = await fixtureJpeg('coffee', 1280, 800);
    const device = JSON.stringify({ user_agent: 'acme-backend/1.0', platform: 'Android', capture: 'file' });
    const front = await sendRaw(sessionId, card, 'document_front', { 'idv-device-info': device });
    expect(front.body).toMatchObject({ accepted: true, missingImages: ['document_back'] });
    const back = await sendRaw(sessionId, card, 'document_back', { 'idempotency-key': 'back-1' });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ accepted: true, missingImages: [], complete: true });
    const more = await sendRaw(sessionId, card, 'document_back');
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('images_complete');

    // The stored image, to a key with sessions:read.
    const meta = await call<{ data: { imageId: string; sha256: string }[] }>(
      api(`/v1/sessions/${sessionId}/images`),
      {
        token: readOnlyKey,
      },
    );
    const stored = meta.body.data.find((image) => image.imageId === first.body.imageId)!;
    const content = await fetch(api(`/v1/sessions/${sessionId}/images/${first.body.imageId}/content`), {
      headers: { authorization: `Bearer ${readOnlyKey}` },
    });
    expect(content.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);

    const report = await call<{
      images: { kind: string; device: Record<string, unknown> }[];
      devices: Record<string, unknown>[];
    }>(api(`/v1/sessions/${sessionId}/report`), { token: key });
    expect(report.body.images.find((image) => image.kind === 'selfie')?.device).toEqual({
      source: 'backend',
      userAgent: APP_DEVICE.userAgent,
      platform: 'iOS',
      capture: 'live',
      model: 'iPhone15,2',
    });
    expect(report.body.images.find((image) => image.kind === 'document_front')?.device).toEqual({
      source: 'backend',
      userAgent: 'acme-backend/1.0',
      platform: 'Android',
      capture: 'file',
    });
    expect(report.body.devices.length).toBe(3);

    const result = await call<Record<string, unknown>>(api(`/v1/sessions/${sessionId}/result`), {
      token: readOnlyKey,
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      sessionId,
      status: 'completed',
      decision: null,
      recommendation: 'review',
      decidedBy: 'system',
      decisionReasons: ['mock_review'],
    });
    expect((result.body['checks'] as unknown[]).length).toBeGreaterThan(0);
    await call(api(`/v1/sessions/${sessionId}/decision`), { token: key, json: { decision: 'declined' } });
    const settled = await call<Record<string, unknown>>(api(`/v1/sessions/${sessionId}/result`), {
      token: key,
    });
    expect(settled.body).toMatchObject({
      decision: 'declined',
      recommendation: null,
      decidedBy: 'integrator',
    });
  });

  it('records the widget device too (user agent, platform, live capture)', async () => {
    const created = await call<{ sessionId: string; clientToken: string }>(api('/v1/sessions'), {
      token: key,
      json: { flow: 'liveness' },
    });
    const exchanged = await call<{ uploadToken: string }>(api('/v1/client/exchange'), {
      json: { clientToken: created.body.clientToken },
    });
    await call(api('/v1/client/consent'), { method: 'POST', token: exchanged.body.uploadToken });
    const ua =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36';
    await call(api('/v1/client/images?kind=selfie'), {
      token: exchanged.body.uploadToken,
      body: await fixtureJpeg(),
      headers: { 'content-type': 'image/jpeg', 'user-agent': ua, 'idv-device-metrics': '{"capture":"auto"}' },
    });
    const report = await call<{ devices: Record<string, unknown>[] }>(
      api(`/v1/sessions/${created.body.sessionId}/report`),
      { token: key },
    );
    expect(report.body.devices).toEqual([
      { source: 'widget', userAgent: ua, platform: 'Android', capture: 'live' },
    ]);
  });
});
