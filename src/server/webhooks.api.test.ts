/**
 * Webhooks over real HTTP: a real server process on a real SQLite file sends to a real local receiver.
 * Retries run on a schedule of milliseconds here (IDV_WEBHOOK_RETRY_*), the same code as the 3-day one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import { fixtureJpeg } from './test-support/images.js';
import { startReceiver, type Receiver } from './test-support/receiver.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';
import { EVENT_TYPES, type WebhookEvent } from './webhooks/events.js';
import type { WebhookVerificationError } from './webhooks/verify.js';
import { signWebhook, verifyWebhook } from './webhooks/verify.js';

const FAST_RETRIES = {
  IDV_WEBHOOK_RETRY_BASE_MS: '100',
  IDV_WEBHOOK_RETRY_MAX_MS: '400',
  IDV_WEBHOOK_POLL_MS: '50',
  IDV_WEBHOOK_TIMEOUT_MS: '3000',
};
const ALL_SCOPES = ['sessions:read', 'sessions:write', 'sessions:decide', 'webhooks:manage'];
const LIVE_DEVICE = JSON.stringify({ capture: 'auto', faceCount: 1, guidance: 'ok' });

let server: ServerProcess;
let key: string;
let liveKey: string;
let receiver: Receiver;

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  secret?: string;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  attempts: {
    attempt: number;
    outcome: string;
    responseCode: number | null;
    latencyMs: number;
    at: string;
  }[];
}

beforeAll(async () => {
  [server, receiver] = await Promise.all([startServer({ env: FAST_RETRIES }), startReceiver()]);
  [key, liveKey] = await Promise.all([
    createKey(server.dataDir, { scopes: ALL_SCOPES }),
    createKey(server.dataDir, { env: 'live', scopes: ALL_SCOPES }),
  ]);
});

afterAll(async () => {
  await server.kill();
  await receiver.close();
  removeDataDir(server.dataDir);
});

const api = (path: string) => `${server.url}${path}`;

async function addEndpoint(json: Record<string, unknown>, token = key) {
  return call<Endpoint & ErrorShape>(api('/v1/webhook-endpoints'), { token, json });
}

/** Successful deliveries that reached `path`, each verified with the endpoint's secret. */
function eventsAt(path: string, secret: string): WebhookEvent[] {
  return receiver.received
    .filter((item) => item.path === path && item.status === 200)
    .map((item) => verifyWebhook<WebhookEvent>(item.body, item.headers['idv-signature'], secret));
}

describe('webhook endpoints', () => {
  it('creates an endpoint with a secret shown once, lists and removes it, per environment', async () => {
    const created = await addEndpoint({ url: `${receiver.url}/a`, enabled_events: ['session.completed'] });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^whe_/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.body.events).toEqual(['session.completed']);

    const listed = await call<{ data: Endpoint[] }>(api('/v1/webhook-endpoints'), { token: key });
    const shown = listed.body.data.find((endpoint) => endpoint.id === created.body.id);
    expect(shown).toMatchObject({ url: `${receiver.url}/a`, events: ['session.completed'] });
    expect(shown).not.toHaveProperty('secret');
    const got = await call<Endpoint>(api(`/v1/webhook-endpoints/${created.body.id}`), { token: key });
    expect(got.body).not.toHaveProperty('secret');

    // The other environment does not see it.
    const fromLive = await call<ErrorShape>(api(`/v1/webhook-endpoints/${created.body.id}`), {
      token: liveKey,
    });
    expect(fromLive.status).toBe(404);
    const liveList = await call<{ data: Endpoint[] }>(api('/v1/webhook-endpoints'), { token: liveKey });
    expect(liveList.body.data.map((endpoint) => endpoint.id)).not.toContain(created.body.id);

    const removed = await call(api(`/v1/webhook-endpoints/${created.body.id}`), {
      method: 'DELETE',
      token: key,
    });
    expect(removed.status).toBe(200);
    const again = await call(api(`/v1/webhook-endpoints/${created.body.id}`), {
      method: 'DELETE',
      token: key,
    });
    expect(again.status).toBe(404);
  });

  it.each([
    ['a relative URL', { url: '/hook' }, 422, 'webhook_url_invalid'],
    ['a non-http scheme', { url: 'ftp://example.com/hook' }, 422, 'webhook_url_invalid'],
    ['credentials in the URL', { url: 'https://user:pw@example.com/hook' }, 422, 'webhook_url_invalid'],
    [
      'an unknown event type',
      { url: 'https://example.com/h', events: ['session.exploded'] },
      400,
      'parameter_invalid',
    ],
    ['an unknown field', { url: 'https://example.com/h', colour: 'red' }, 400, 'parameter_unknown'],
    ['a missing URL', { events: ['*'] }, 400, 'parameter_missing'],
  ])('refuses %s', async (_name, json, status, code) => {
    const response = await addEndpoint(json);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('refuses live endpoints on loopback, private or link-local addresses, and plain http', async () => {
    for (const url of [
      'https://127.0.0.1:8443/hook',
      'https://localhost/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
    ]) {
      const response = await addEndpoint({ url }, liveKey);
      expect(response.status, url).toBe(422);
      expect(response.body.error.code, url).toBe('webhook_url_forbidden');
    }
    // A public address (TEST-NET-3, RFC 5737, never routed), refused for its scheme before any connection.
    const plain = await addEndpoint({ url: 'http://203.0.113.10/hook' }, liveKey);
    expect(plain.body.error.code).toBe('webhook_url_invalid');
    // Sandbox is for local development: loopback is fine there.
    const sandbox = await addEndpoint({ url: 'http://127.0.0.1:9/hook' });
    expect(sandbox.status).toBe(201);
    await call(api(`/v1/webhook-endpoints/${sandbox.body.id}`), { method: 'DELETE', token: key });
  });

  it('needs the webhooks:manage scope', async () => {
    const sessionsOnly = await createKey(server.dataDir, { scopes: ['sessions:read', 'sessions:write'] });
    const response = await addEndpoint({ url: `${receiver.url}/x` }, sessionsOnly);
    expect(response.status).toBe(403);
    expect(response.body.error.param).toBe('webhooks:manage');
  });
});

async function newSession(json: Record<string, unknown> = {}) {
  const { status, body } = await call<{ sessionId: string; clientToken: string }>(api('/v1/sessions'), {
    token: key,
    json: { flow: 'liveness', ...json },
  });
  expect(status).toBe(201);
  return body;
}

/** A session through the widget's path: exchange, consent, one good selfie. */
async function captured(json: Record<string, unknown> = {}) {
  const session = await newSession(json);
  const exchanged = await call<{ uploadToken: string }>(api('/v1/client/exchange'), {
    json: { clientToken: session.clientToken },
  });
  const uploadToken = exchanged.body.uploadToken;
  await call(api('/v1/client/consent'), { method: 'POST', token: uploadToken });
  const upload = await call<{ complete: boolean }>(api('/v1/client/images?kind=selfie'), {
    token: uploadToken,
    body: await fixtureJpeg(),
    headers: { 'content-type': 'image/jpeg', 'idv-device-metrics': LIVE_DEVICE },
  });
  expect(upload.body.complete).toBe(true);
  return session.sessionId;
}

describe('deliveries', () => {
  it('delivers every event type, signed, in each session order, matching the events API', async () => {
    const path = '/all-events';
    const endpoint = await addEndpoint({ url: `${receiver.url}${path}` });
    const secret = endpoint.body.secret!;

    // created, capturing, images_complete, completed
    const completed = await captured({
      mockBehavior: 'review',
      reference: 'ref-redact',
      metadata: { plan: 'gold' },
    });
    await call(api(`/v1/sessions/${completed}/decision`), { token: key, json: { decision: 'approved' } }); // decided
    // Redact only once those are delivered (in order, so the decision last), to see both sides of it.
    await receiver.until(() => eventsAt(path, secret).some((event) => event.type === 'session.decided'));
    await call(api(`/v1/sessions/${completed}`), { method: 'DELETE', token: key }); // redacted
    const failed = await captured({ mockBehavior: 'fail' }); // … failed
    const expired = (await newSession()).sessionId;
    await call(api(`/v1/sessions/${expired}/expire`), { method: 'POST', token: key }); // expired
    const cancelled = (await newSession()).sessionId;
    await call(api(`/v1/sessions/${cancelled}/cancel`), { method: 'POST', token: key }); // cancelled

    const expected: Record<string, string[]> = {
      [completed]: [
        'session.created',
        'session.capturing',
        'session.images_complete',
        'session.completed',
        'session.decided',
        'session.redacted',
      ],
      [failed]: ['session.created', 'session.capturing', 'session.images_complete', 'session.failed'],
      [expired]: ['session.created', 'session.expired'],
      [cancelled]: ['session.created', 'session.cancelled'],
    };
    const total = Object.values(expected).flat().length;
    await receiver.until(() => eventsAt(path, secret).length >= total);
    const events = eventsAt(path, secret);
    expect(events).toHaveLength(total);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(EVENT_TYPES));
    for (const [sessionId, types] of Object.entries(expected)) {
      const ofSession = events.filter((event) => event.data.session.sessionId === sessionId);
      expect(
        ofSession.map((event) => event.type),
        sessionId,
      ).toEqual(types);
    }
    // Each event carries an id, a type, a time and the session object, never applicant data or tokens.
    const complete = events.find((event) => event.type === 'session.completed')!;
    expect(complete).toMatchObject({ environment: 'sandbox', data: { session: { status: 'completed' } } });
    expect(complete.id).toMatch(/^evt_/);
    expect(Date.parse(complete.createdAt)).not.toBeNaN();
    expect(complete.data.session).not.toHaveProperty('subject');
    expect(JSON.stringify(events)).not.toMatch(/idvc_|idvu_|svk_/);
    const decided = events.find((event) => event.type === 'session.decided')!;
    expect(decided.data.session).toMatchObject({ decision: 'approved' });

    // Delivered before the redaction, the first events carried the reference and metadata; the stored
    // snapshots no longer do.
    expect(
      events.find((event) => event.type === 'session.created' && event.data.session.sessionId === completed),
    ).toMatchObject({ data: { session: { reference: 'ref-redact', metadata: { plan: 'gold' } } } });
    const afterRedaction = await call<{ data: WebhookEvent[] }>(api(`/v1/events?sessionId=${completed}`), {
      token: key,
    });
    expect(afterRedaction.body.data).toHaveLength(6);
    for (const event of afterRedaction.body.data) {
      expect(event.data.session).toMatchObject({ reference: null, metadata: null, state: null });
    }

    // The same events, by id, through the API.
    const listed = await call<{ data: WebhookEvent[] }>(api(`/v1/events?sessionId=${failed}`), {
      token: key,
    });
    expect(listed.body.data.map((event) => event.type).reverse()).toEqual(expected[failed]);
    const delivered = new Set(events.map((event) => event.id));
    for (const event of listed.body.data) expect(delivered.has(event.id)).toBe(true);
    await call(api(`/v1/webhook-endpoints/${endpoint.body.id}`), { method: 'DELETE', token: key });
  });

  it('retries a receiver that answers 500 three times, succeeds once, and logs every attempt', async () => {
    const path = '/flaky';
    const endpoint = await addEndpoint({ url: `${receiver.url}${path}`, events: ['session.created'] });
    const secret = endpoint.body.secret!;
    let failures = 0;
    receiver.respond = (request) => (request.path === path && failures++ < 3 ? 500 : 200);
    try {
      const session = await newSession();
      await receiver.until(() => eventsAt(path, secret).length >= 1);
      // Nothing more arrives once it succeeded.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const atPath = receiver.received.filter((item) => item.path === path);
      expect(atPath.map((item) => item.status)).toEqual([500, 500, 500, 200]);
      const ids = atPath.map((item) => item.headers['idv-event-id']);
      expect(new Set(ids).size).toBe(1); // retries carry the same event id
      expect(atPath.map((item) => item.headers['idv-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
      expect(eventsAt(path, secret)).toHaveLength(1);
      expect(eventsAt(path, secret)[0]!.data.session.sessionId).toBe(session.sessionId);

      const log = await call<{ data: Delivery[] }>(
        api(`/v1/webhook-endpoints/${endpoint.body.id}/deliveries`),
        {
          token: key,
        },
      );
      expect(log.body.data).toHaveLength(1);
      const delivery = log.body.data[0]!;
      expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 4, eventType: 'session.created' });
      expect(delivery.attempts.map((attempt) => [attempt.outcome, attempt.responseCode])).toEqual([
        ['failed', 500],
        ['failed', 500],
        ['failed', 500],
        ['succeeded', 200],
      ]);
      for (const attempt of delivery.attempts) {
        expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
        expect(Date.parse(attempt.at)).not.toBeNaN();
      }
      // Back-off: each wait at least half its step (100, 200, 400 ms).
      const times = delivery.attempts.map((attempt) => Date.parse(attempt.at));
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(50);
      expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(200);

      // Redelivery sends the same event again, now.
      const redelivered = await call<Delivery>(api(`/v1/webhook-deliveries/${delivery.id}/redeliver`), {
        method: 'POST',
        token: key,
      });
      expect(redelivered.status).toBe(200);
      await receiver.until(() => eventsAt(path, secret).length >= 2);
      expect(eventsAt(path, secret)[1]!.id).toBe(delivery.eventId);
      const after = await call<Delivery>(api(`/v1/webhook-deliveries/${delivery.id}`), { token: key });
      await expect
        .poll(
          async () =>
            (await call<Delivery>(api(`/v1/webhook-deliveries/${delivery.id}`), { token: key })).body,
        )
        .toMatchObject({ status: 'succeeded', attemptCount: 5 });
      expect(after.status).toBe(200);
    } finally {
      receiver.respond = () => 200;
      await call(api(`/v1/webhook-endpoints/${endpoint.body.id}`), { method: 'DELETE', token: key });
    }
  });

  it("holds a session's later events until its earlier one is delivered, and not other sessions'", async () => {
    const path = '/ordered';
    const endpoint = await addEndpoint({ url: `${receiver.url}${path}` });
    const secret = endpoint.body.secret!;
    let refusals = 0;
    // The held session's creation is refused ten times (at least about 1.7 s of back-off) before it goes
    // through; it is told apart by its reference, set before the session exists.
    receiver.respond = (request) =>
      request.path === path && request.body.includes('"reference":"held"') && refusals++ < 10 ? 503 : 200;
    const held = await newSession({ reference: 'held' });
    try {
      await call(api(`/v1/sessions/${held.sessionId}/cancel`), { method: 'POST', token: key });
      const other = await newSession();
      await receiver.until(() => eventsAt(path, secret).length >= 3);
      const attempts = receiver.received
        .filter((item) => item.path === path)
        .map((item) => JSON.parse(item.body) as WebhookEvent)
        .map(
          (event) => `${event.data.session.sessionId === held.sessionId ? 'held' : 'other'} ${event.type}`,
        );
      // The cancellation was not even tried before the creation succeeded; the other session did not wait.
      const createdOk = attempts.lastIndexOf('held session.created');
      expect(attempts.indexOf('held session.cancelled')).toBeGreaterThan(createdOk);
      expect(attempts.indexOf('other session.created')).toBeLessThan(createdOk);
      expect(attempts.filter((attempt) => attempt === 'held session.created')).toHaveLength(11);
      expect(other.sessionId).not.toBe(held.sessionId);
    } finally {
      receiver.respond = () => 200;
      await call(api(`/v1/webhook-endpoints/${endpoint.body.id}`), { method: 'DELETE', token: key });
    }
  });

  it('fails verification for a tampered body, an old timestamp or another secret', async () => {
    const path = '/verify';
    const endpoint = await addEndpoint({ url: `${receiver.url}${path}`, events: ['session.created'] });
    const secret = endpoint.body.secret!;
    await newSession();
    await receiver.until((received) => received.some((item) => item.path === path));
    const delivery = receiver.received.find((item) => item.path === path)!;
    const header = String(delivery.headers['idv-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(delivery.body, header, secret)).toMatchObject({ type: 'session.created' });

    const failure = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as WebhookVerificationError).code;
      }
      return 'verified';
    };
    const tampered = delivery.body.replace('"sandbox"', '"live"');
    expect(tampered).not.toBe(delivery.body);
    expect(failure(() => verifyWebhook(tampered, header, secret))).toBe('signature_mismatch');
    expect(failure(() => verifyWebhook(delivery.body, header, `${secret}x`))).toBe('signature_mismatch');
    // A captured delivery replayed 301 s later is refused; a fresh signature of an old time is too.
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(failure(() => verifyWebhook(delivery.body, header, secret, { now: t + 301 }))).toBe(
      'timestamp_outside_tolerance',
    );
    const old = signWebhook(secret, delivery.body, Math.floor(Date.now() / 1000) - 600);
    expect(failure(() => verifyWebhook(delivery.body, old, secret))).toBe('timestamp_outside_tolerance');
    expect(failure(() => verifyWebhook(delivery.body, undefined, secret))).toBe('signature_missing');
    expect(failure(() => verifyWebhook(delivery.body, 't=abc', secret))).toBe('signature_malformed');
    await call(api(`/v1/webhook-endpoints/${endpoint.body.id}`), { method: 'DELETE', token: key });
  });
});
