/**
 * The client API (token exchange, consent, image intake, completion) and everything that follows a
 * finished capture (decision, report, images, signed links, export, redaction), over real HTTP.
 */
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import {
  blurryJpeg,
  darkJpeg,
  fixtureJpeg,
  jpegWithExif,
  pngClaiming,
  truncatedJpeg,
} from './test-support/images.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';

let server: ServerProcess;

/**
 * Sends an image body of `size` bytes in 1 MiB pieces 20 ms apart over a plain socket, as a phone on a
 * slow link would, and returns the status line's code with how much of the body the socket took.
 */
async function slowOversizeUpload(
  uploadToken: string,
  size: number,
): Promise<{ status: number; written: number }> {
  const { hostname, port } = new URL(server.url);
  const socket = connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  const closed = once(socket, 'close');
  socket.on('error', () => undefined);
  socket.write(
    `POST /v1/client/images?kind=selfie HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${uploadToken}\r\n` +
      `Content-Type: image/jpeg\r\nContent-Length: ${size}\r\n\r\n`,
  );
  const piece = Buffer.alloc(1024 * 1024, 0xff);
  let written = 0;
  while (written < size && !socket.destroyed) {
    await new Promise<void>((resolve, reject) =>
      socket.write(piece.subarray(0, Math.min(piece.length, size - written)), (error) =>
        error ? reject(error) : resolve(),
      ),
    ).catch(() => socket.destroy());
    if (!socket.destroyed) written += Math.min(piece.length, size - written);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  socket.end();
  await closed;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), written };
}
let key: string;
let liveKey: string;
const ORIGIN = 'http://localhost:3000';
const LIVE_DEVICE = JSON.stringify({ capture: 'auto', faceCount: 1, guidance: 'ok', faceScore: 0.93 });

interface Created {
  sessionId: string;
  clientToken: string;
}
interface Intake {
  imageId: string;
  accepted: boolean;
  feedback: { code: string }[];
  missingImages: string[];
  complete: boolean;
}

beforeAll(async () => {
  // Client tokens live 2 s here so expiry can be shown without waiting 20 minutes.
  server = await startServer({ env: { IDV_CLIENT_TOKEN_TTL_SECONDS: '2' } });
  [key, liveKey] = await Promise.all([
    createKey(server.dataDir, { origins: [ORIGIN] }),
    createKey(server.dataDir, { env: 'live', origins: ['https://app.example.com'] }),
  ]);
});

afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

async function newSession(json: Record<string, unknown> = {}, token = key): Promise<Created> {
  const { status, body } = await call<Created>(`${server.url}/v1/sessions`, {
    token,
    json: { flow: 'liveness', ...json },
  });
  expect(status).toBe(201);
  return body;
}

async function exchange(clientToken: string) {
  return call<
    { uploadToken: string; requirements: { missingImages: string[]; consentRequired: boolean } } & ErrorShape
  >(`${server.url}/v1/client/exchange`, { json: { clientToken } });
}

/** A session ready for images: token exchanged and consent given. */
async function capturing(json: Record<string, unknown> = {}) {
  const session = await newSession(json);
  const { body } = await exchange(session.clientToken);
  await call(`${server.url}/v1/client/consent`, { method: 'POST', token: body.uploadToken });
  return { ...session, uploadToken: body.uploadToken };
}

function upload(uploadToken: string, image: Buffer, kind = 'selfie', headers: Record<string, string> = {}) {
  return call<Intake & ErrorShape>(`${server.url}/v1/client/images?kind=${kind}`, {
    token: uploadToken,
    body: image,
    headers: { 'content-type': 'image/jpeg', 'idv-device-metrics': LIVE_DEVICE, ...headers },
  });
}

describe('token exchange', () => {
  it('exchanges a client token once for an upload token with the requirements', async () => {
    const session = await newSession();
    const first = await exchange(session.clientToken);
    expect(first.status).toBe(200);
    expect(first.body.uploadToken).toMatch(/^idvu_[A-Za-z0-9_-]{43}$/);
    expect(first.body.requirements).toMatchObject({ missingImages: ['selfie'], consentRequired: true });
    const got = await call<{ status: string }>(`${server.url}/v1/sessions/${session.sessionId}`, {
      token: key,
    });
    expect(got.body.status).toBe('capturing');

    const reused = await exchange(session.clientToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('client_token_used');
  });

  it('refuses an expired client token, an unknown one, and an API key in its place', async () => {
    const session = await newSession();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const expired = await exchange(session.clientToken);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('client_token_expired');
    const unknown = await exchange('idvc_thisTokenWasNeverIssuedByTheService123456789');
    expect(unknown.body.error.code).toBe('client_token_invalid');
    const apiKey = await exchange(key);
    expect(apiKey.status).toBe(401);
  });

  it('does not take a client token of another environment as an API key, nor the reverse', async () => {
    const live = await newSession({}, liveKey);
    const asKey = await call<ErrorShape>(`${server.url}/v1/sessions`, { token: live.clientToken });
    expect(asKey.status).toBe(401);
    const uploadWithKey = await call<ErrorShape>(`${server.url}/v1/client/images?kind=selfie`, {
      token: liveKey,
      body: await fixtureJpeg(),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(uploadWithKey.status).toBe(401);
    expect(uploadWithKey.body.error.code).toBe('upload_token_invalid');
  });
});

describe('image intake', () => {
  it('needs consent before a face image', async () => {
    const session = await newSession();
    const { body } = await exchange(session.clientToken);
    const refused = await upload(body.uploadToken, await fixtureJpeg());
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('consent_required');
  });

  it.each([
    [
      'a file with a JPEG name but other bytes',
      () => Buffer.from('GIF89a this is not a jpeg at all'),
      415,
      'unsupported_media_type',
    ],
    ['a truncated JPEG', truncatedJpeg, 422, 'image_corrupt'],
    ['a PNG whose header claims 30000×30000', () => pngClaiming(30000, 30000), 422, 'image_too_many_pixels'],
  ])('refuses %s', async (_name, make, status, code) => {
    const session = await capturing();
    const response = await upload(session.uploadToken, await make(), 'selfie', {
      'content-type': 'application/octet-stream',
    });
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    const images = await call<{ data: unknown[] }>(`${server.url}/v1/sessions/${session.sessionId}/images`, {
      token: key,
    });
    expect(images.body.data).toEqual([]);
  });

  it('refuses an oversize body with 413 and a kind the flow does not take with 422', async () => {
    const session = await capturing();
    const big = await upload(session.uploadToken, Buffer.alloc(11 * 1024 * 1024, 0xff));
    expect(big.status).toBe(413);
    const wrongKind = await upload(session.uploadToken, await fixtureJpeg(), 'passport');
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.error.param).toBe('kind');
    const unknownKind = await upload(session.uploadToken, await fixtureJpeg(), 'hologram');
    expect(unknownKind.status).toBe(400);
    const badMetrics = await upload(session.uploadToken, await fixtureJpeg(), 'selfie', {
      'idv-device-metrics': '{nope',
    });
    expect(badMetrics.status).toBe(400);
  });

  it('lets a slow client finish sending an oversize body, so that it reads the 413 rather than a reset', async () => {
    const session = await capturing();
    const { status, written } = await slowOversizeUpload(session.uploadToken, 11 * 1024 * 1024);
    expect(written).toBe(11 * 1024 * 1024);
    expect(status).toBe(413);
  });

  it('answers a dark or blurry picture with feedback, and keeps asking for the selfie', async () => {
    const session = await capturing();
    const dark = await upload(session.uploadToken, await darkJpeg());
    expect(dark.status).toBe(201);
    expect(dark.body).toMatchObject({ accepted: false, missingImages: ['selfie'], complete: false });
    expect(dark.body.feedback.map((item) => item.code)).toContain('too_dark');
    const blurry = await upload(session.uploadToken, await blurryJpeg());
    expect(blurry.body.accepted).toBe(false);
    expect(blurry.body.feedback.map((item) => item.code)).toContain('blurry');
  });

  it('accepts a good selfie, strips its metadata, completes, decides, and answers 409 after', async () => {
    const session = await capturing({ redirectUrl: `${ORIGIN}/done?x=1`, state: 'opaque state/ü&=' });
    const accepted = await upload(session.uploadToken, await jpegWithExif(), 'selfie', {
      'idempotency-key': 'up-1',
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ accepted: true, feedback: [], missingImages: [], complete: true });

    // A client retry of the same upload gets the first answer and stores nothing new.
    const retry = await upload(session.uploadToken, await jpegWithExif(), 'selfie', {
      'idempotency-key': 'up-1',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.imageId).toBe(accepted.body.imageId);

    const more = await upload(session.uploadToken, await fixtureJpeg());
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('images_complete');

    const content = await fetch(
      `${server.url}/v1/sessions/${session.sessionId}/images/${accepted.body.imageId}/content`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    );
    expect(content.headers.get('content-type')).toBe('image/jpeg');
    const stored = Buffer.from(await content.arrayBuffer());
    const metadata = await sharp(stored).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.width).toBe(640);
    expect(readdirSync(join(server.dataDir, 'images', session.sessionId))).toHaveLength(1);

    const done = await call<{ redirectUrl: string }>(`${server.url}/v1/client/complete`, {
      method: 'POST',
      token: session.uploadToken,
    });
    expect(done.status).toBe(200);
    const redirect = new URL(done.body.redirectUrl);
    expect(redirect.origin).toBe(ORIGIN);
    expect(redirect.pathname).toBe('/done');
    expect(redirect.searchParams.get('x')).toBe('1');
    expect(redirect.searchParams.get('session_id')).toBe(session.sessionId);
    expect(redirect.searchParams.get('state')).toBe('opaque state/ü&=');

    const got = await call<{ status: string; decision: string; checks: { type: string; status: string }[] }>(
      `${server.url}/v1/sessions/${session.sessionId}`,
      { token: key },
    );
    expect(got.body).toMatchObject({ status: 'completed', decision: 'approved' });
    expect(got.body.checks.map((check) => [check.type, check.status])).toEqual([
      ['image_quality', 'passed'],
      ['liveness', 'passed'],
    ]);
  });

  it('does not complete before every image is in', async () => {
    const session = await capturing({ redirectUrl: `${ORIGIN}/done` });
    const early = await call<ErrorShape>(`${server.url}/v1/client/complete`, {
      method: 'POST',
      token: session.uploadToken,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('images_missing');
  });
});

describe('after capture', () => {
  async function completed(json: Record<string, unknown>) {
    const session = await capturing(json);
    const result = await upload(session.uploadToken, await fixtureJpeg());
    expect(result.body.complete).toBe(true);
    return { ...session, imageId: result.body.imageId };
  }

  it.each([
    ['approve', 'approved'],
    ['decline', 'declined'],
    ['review', 'review'],
  ])('mockBehavior %s decides %s deterministically', async (mockBehavior, decision) => {
    const session = await completed({ mockBehavior });
    const got = await call<{ decision: string; decisionReasons: string[] }>(
      `${server.url}/v1/sessions/${session.sessionId}`,
      { token: key },
    );
    expect(got.body.decision).toBe(decision);
    expect(got.body.decisionReasons).toEqual([`mock_${decision}`]);
  });

  it('settles a review once through /decision, and never changes a decided session', async () => {
    const session = await completed({ mockBehavior: 'review' });
    const url = `${server.url}/v1/sessions/${session.sessionId}`;
    const readOnly = await createKey(server.dataDir, {
      scopes: ['sessions:read', 'sessions:write'],
      origins: [ORIGIN],
    });
    const noScope = await call<ErrorShape>(`${url}/decision`, {
      token: readOnly,
      json: { decision: 'approved' },
    });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.param).toBe('sessions:decide');
    const rerun = await call<{ decision: string }>(`${url}/rerun`, { method: 'POST', token: key });
    expect(rerun.body.decision).toBe('review');
    const settled = await call<{ decision: string; status: string }>(`${url}/decision`, {
      token: key,
      json: { decision: 'declined', reasons: ['manual_review'] },
    });
    expect(settled.body).toMatchObject({ status: 'completed', decision: 'declined' });
    const again = await call<ErrorShape>(`${url}/decision`, { token: key, json: { decision: 'approved' } });
    expect(again.status).toBe(409);
    const cancel = await call<ErrorShape>(`${url}/cancel`, { method: 'POST', token: key });
    expect(cancel.status).toBe(409);
  });

  it('reports checks and image metadata, and signs 5-minute image links', async () => {
    const session = await completed({});
    const base = `${server.url}/v1/sessions/${session.sessionId}`;
    const report = await call<{
      checks: { type: string }[];
      images: { kind: string; serverMetrics: { sharpness: number } }[];
    }>(`${base}/report`, { token: key });
    expect(report.body.checks.map((check) => check.type)).toEqual(['image_quality', 'liveness']);
    expect(report.body.images[0]?.serverMetrics.sharpness).toBeGreaterThan(10);

    const images = await call<{
      data: { imageId: string; kind: string; accepted: boolean; sha256: string }[];
    }>(`${base}/images`, { token: key });
    expect(images.body.data).toHaveLength(1);
    expect(images.body.data[0]).toMatchObject({ imageId: session.imageId, kind: 'selfie', accepted: true });

    const link = await call<{ url: string; expiresAt: string }>(`${base}/images/${session.imageId}`, {
      token: key,
    });
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const viaLink = await fetch(link.body.url);
    expect(viaLink.status).toBe(200);
    expect(viaLink.headers.get('content-type')).toBe('image/jpeg');
    // Another first character of the signature (one in 64 signatures already starts with any given one).
    const tampered = await fetch(
      link.body.url.replace(/signature=(.)/, (_, first: string) => `signature=${first === 'A' ? 'B' : 'A'}`),
    );
    expect(tampered.status).toBe(403);
    const expired = new URL(link.body.url);
    expired.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 10));
    expect((await fetch(expired)).status).toBe(403);
  });

  it('exports everything with an audit entry, then redacts for good and keeps a tombstone', async () => {
    const session = await completed({
      subject: { firstName: 'Grace', lastName: 'Hopper' },
      metadata: { plan: 'gold' },
    });
    const base = `${server.url}/v1/sessions/${session.sessionId}`;
    const exported = await call<{
      session: { subject: unknown };
      images: unknown[];
      auditEvents: { action: string }[];
    }>(`${base}/export`, {
      token: key,
    });
    expect(exported.status).toBe(200);
    expect(exported.body.session.subject).toEqual({ firstName: 'Grace', lastName: 'Hopper' });
    expect(exported.body.images).toHaveLength(1);
    expect(exported.body.auditEvents.map((event) => event.action)).toContain('session.exported');

    const redacted = await call<{ subject: unknown; metadata: unknown; redactedAt: string; status: string }>(
      base,
      {
        method: 'DELETE',
        token: key,
      },
    );
    expect(redacted.status).toBe(200);
    expect(redacted.body).toMatchObject({ subject: null, metadata: null, status: 'completed' });
    expect(redacted.body.redactedAt).toBeTruthy();
    const images = await call<{ data: unknown[] }>(`${base}/images`, { token: key });
    expect(images.body.data).toEqual([]);
    const content = await call<ErrorShape>(`${base}/images/${session.imageId}/content`, { token: key });
    expect(content.status).toBe(404);
    expect(() => readdirSync(join(server.dataDir, 'images', session.sessionId))).toThrow();
  });
});
