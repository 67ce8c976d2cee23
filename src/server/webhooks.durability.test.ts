/**
 * The outbox across a crash: while the receiver is down, sessions are created and cancelled and the
 * server is killed with SIGKILL in the middle of it. After a restart on the same data directory, with
 * the receiver back, every event of every change the API acknowledged arrives, each exactly once, and
 * no event arrives for a change that did not commit.
 */
import { afterAll, expect, it } from 'vitest';
import { call } from './test-support/http.js';
import { freePort, startReceiver, type Receiver } from './test-support/receiver.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';
import type { WebhookEvent } from './webhooks/events.js';
import { verifyWebhook } from './webhooks/verify.js';

const SESSIONS = 40;
const ENV = {
  IDV_WEBHOOK_RETRY_BASE_MS: '100',
  IDV_WEBHOOK_RETRY_MAX_MS: '500',
  IDV_WEBHOOK_POLL_MS: '50',
  IDV_WEBHOOK_TIMEOUT_MS: '1000',
};

let server: ServerProcess | undefined;
let receiver: Receiver | undefined;
afterAll(async () => {
  await receiver?.close();
  if (server) {
    await server.kill();
    removeDataDir(server.dataDir);
  }
});

it('delivers every event of committed changes exactly once across SIGKILL and restart', async () => {
  const port = await freePort(); // the receiver's address, with nothing listening yet
  server = await startServer({ env: ENV });
  const key = await createKey(server.dataDir, {
    scopes: ['sessions:read', 'sessions:write', 'webhooks:manage'],
  });
  const endpoint = await call<{ id: string; secret: string }>(`${server.url}/v1/webhook-endpoints`, {
    token: key,
    json: { url: `http://127.0.0.1:${port}/hook` },
  });
  expect(endpoint.status).toBe(201);

  // Changes the API acknowledged: each must reach the receiver as an event.
  const acknowledged: { sessionId: string; type: string }[] = [];
  const firstUrl = server.url;
  const work = Array.from({ length: SESSIONS }, async (_, i) => {
    try {
      const created = await call<{ sessionId: string }>(`${firstUrl}/v1/sessions`, {
        token: key,
        json: { flow: 'liveness', reference: `crash-${i}` },
      });
      if (created.status !== 201) return;
      acknowledged.push({ sessionId: created.body.sessionId, type: 'session.created' });
      if (i % 2 === 0) {
        const cancelled = await call(`${firstUrl}/v1/sessions/${created.body.sessionId}/cancel`, {
          method: 'POST',
          token: key,
        });
        if (cancelled.status === 200)
          acknowledged.push({ sessionId: created.body.sessionId, type: 'session.cancelled' });
      }
    } catch {
      // the connection died with the server
    }
  });
  while (acknowledged.length < 10) await new Promise((resolve) => setTimeout(resolve, 2));
  await server.kill('SIGKILL');
  await Promise.all(work);
  expect(acknowledged.length).toBeLessThan(SESSIONS + SESSIONS / 2); // the crash really cut work off

  server = await server.restart();
  receiver = await startReceiver(port);

  // Everything the outbox holds, read back through the API after the restart.
  const outbox = await call<{ data: WebhookEvent[] }>(`${server.url}/v1/events?limit=100`, { token: key });
  const stored = outbox.body.data;
  const ok = () => receiver!.received.filter((item) => item.status === 200);
  await receiver.until(() => new Set(ok().map((item) => item.headers['idv-event-id'])).size >= stored.length);
  // A little longer: anything sent twice would show up now.
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const delivered = ok().map((item) =>
    verifyWebhook<WebhookEvent>(item.body, item.headers['idv-signature'], endpoint.body.secret),
  );
  const ids = delivered.map((event) => event.id);
  expect(new Set(ids).size).toBe(ids.length); // exactly once: no event id twice
  expect(new Set(ids)).toEqual(new Set(stored.map((event) => event.id))); // all of them, none other
  const changes = delivered.map((event) => `${event.data.session.sessionId} ${event.type}`);
  expect(new Set(changes).size).toBe(changes.length); // no change described by two events
  for (const change of acknowledged) expect(changes).toContain(`${change.sessionId} ${change.type}`);

  // No event for a change that did not commit: each one agrees with the session as it is stored.
  for (const event of delivered) {
    const session = await call<{ status: string }>(
      `${server.url}/v1/sessions/${event.data.session.sessionId}`,
      { token: key },
    );
    expect(session.status).toBe(200);
    if (event.type === 'session.cancelled') expect(session.body.status).toBe('cancelled');
  }
  // Each session's events came in order: created before cancelled.
  for (const sessionId of new Set(delivered.map((event) => event.data.session.sessionId))) {
    const types = delivered.filter((event) => event.data.session.sessionId === sessionId).map((e) => e.type);
    expect(types[0]).toBe('session.created');
  }
}, 60_000);

it('sends again, with the same event id, what was in flight when the server was killed', async () => {
  const dying = await startServer({ env: { ...ENV, IDV_WEBHOOK_TIMEOUT_MS: '3000' } });
  const slow = await startReceiver();
  slow.delayMs = 2000; // under the 3 s attempt limit: each delivery is in flight for a while
  try {
    const key = await createKey(dying.dataDir, {
      scopes: ['sessions:read', 'sessions:write', 'webhooks:manage'],
    });
    const endpoint = await call<{ id: string; secret: string }>(`${dying.url}/v1/webhook-endpoints`, {
      token: key,
      json: { url: `${slow.url}/slow`, events: ['session.created'] },
    });
    for (let i = 0; i < 12; i++) {
      await call(`${dying.url}/v1/sessions`, { token: key, json: { flow: 'liveness' } });
    }
    await slow.until((received) => received.length >= 4); // some requests arrived, not yet answered
    await dying.kill('SIGKILL');
    slow.delayMs = 0;

    const revived = await dying.restart();
    try {
      const outbox = await call<{ data: WebhookEvent[] }>(`${revived.url}/v1/events?limit=100`, {
        token: key,
      });
      expect(outbox.body.data).toHaveLength(12);
      // Deliveries in flight at the crash wait out their lease (attempt limit + 5 s), then go again; the
      // log says when every one has succeeded.
      const succeeded = async () =>
        (
          await call<{ data: unknown[] }>(
            `${revived.url}/v1/webhook-endpoints/${endpoint.body.id}/deliveries?status=succeeded&limit=100`,
            { token: key },
          )
        ).body.data.length;
      await expect.poll(succeeded, { timeout: 30_000, interval: 200 }).toBe(12);

      const events = slow.received.map((item) =>
        verifyWebhook<WebhookEvent>(item.body, item.headers['idv-signature'], endpoint.body.secret),
      );
      expect(new Set(events.map((event) => event.id))).toEqual(new Set(outbox.body.data.map((e) => e.id)));
      // Some events came twice (sent before the crash, sent again after it), and every repeat is the
      // same event: same id, same session, same body.
      expect(events.length).toBeGreaterThan(12);
      const bodies = new Map<string, string>();
      for (const item of slow.received) {
        const id = String(item.headers['idv-event-id']);
        const seen = bodies.get(id);
        if (seen !== undefined) expect(item.body).toBe(seen);
        bodies.set(id, item.body);
      }
      const changes = new Set(events.map((event) => `${event.data.session.sessionId} ${event.type}`));
      expect(changes.size).toBe(12);
    } finally {
      await revived.kill();
    }
  } finally {
    await slow.close();
    removeDataDir(dying.dataDir);
  }
}, 60_000);
