/**
 * The delivery log's life: retention of settled deliveries and their events, the expiry sweep's events,
 * giving up once the retry time is over, and redelivery after that. Real server processes, real SQLite
 * files, real local receivers; retry times of seconds instead of days (IDV_WEBHOOK_*).
 */
import { expect, it } from 'vitest';
import { call } from './test-support/http.js';
import { freePort, startReceiver } from './test-support/receiver.js';
import { createKey, removeDataDir, startServer } from './test-support/server-process.js';
import type { WebhookEvent } from './webhooks/events.js';
import { verifyWebhook } from './webhooks/verify.js';

const ENV = {
  IDV_WEBHOOK_RETRY_BASE_MS: '100',
  IDV_WEBHOOK_RETRY_MAX_MS: '500',
  IDV_WEBHOOK_POLL_MS: '50',
  IDV_WEBHOOK_TIMEOUT_MS: '1000',
};

interface WebhookServer {
  readonly url: string;
  /** A key with the sessions and webhooks scopes. */
  readonly key: string;
  /** Registers a clean-up to run (last registered first) before the server is stopped. */
  defer(cleanUp: () => Promise<void>): void;
}

/** Runs `test` against a server started with `env` over ENV, then stops it and removes its data. */
async function withWebhookServer(
  env: Record<string, string>,
  test: (server: WebhookServer) => Promise<void>,
): Promise<void> {
  const server = await startServer({ env: { ...ENV, ...env } });
  const cleanUps: (() => Promise<void>)[] = [];
  try {
    const key = await createKey(server.dataDir, {
      scopes: ['sessions:read', 'sessions:write', 'webhooks:manage'],
    });
    await test({ url: server.url, key, defer: (cleanUp) => void cleanUps.unshift(cleanUp) });
  } finally {
    for (const cleanUp of cleanUps) await cleanUp();
    await server.kill();
    removeDataDir(server.dataDir);
  }
}

it('keeps events and the delivery log for the retention time, and pending deliveries for as long as they wait', async () => {
  await withWebhookServer(
    { IDV_WEBHOOK_RETENTION_SECONDS: '2', IDV_SWEEP_INTERVAL_SECONDS: '1' },
    async (short) => {
      const { key } = short;
      const up = await startReceiver();
      short.defer(() => up.close());
      const add = (url: string) =>
        call<{ id: string }>(`${short.url}/v1/webhook-endpoints`, { token: key, json: { url } });
      const delivered = await add(`${up.url}/kept`);
      const waiting = await add(`http://127.0.0.1:${await freePort()}/down`);
      await call(`${short.url}/v1/sessions`, { token: key, json: { flow: 'liveness' } });
      const log = async (endpointId: string) =>
        (
          await call<{ data: { status: string }[] }>(
            `${short.url}/v1/webhook-endpoints/${endpointId}/deliveries`,
            { token: key },
          )
        ).body.data.map((delivery) => delivery.status);
      await expect.poll(() => log(delivered.body.id), { timeout: 10_000 }).toEqual(['succeeded']);
      // Past the retention time, the settled delivery is gone; the event stays while another waits for it.
      await expect.poll(() => log(delivered.body.id), { timeout: 10_000 }).toEqual([]);
      expect(await log(waiting.body.id)).toEqual(['pending']);
      const events = await call<{ data: unknown[] }>(`${short.url}/v1/events`, { token: key });
      expect(events.body.data).toHaveLength(1);
      // Once nothing refers to it, the event goes too.
      await call(`${short.url}/v1/webhook-endpoints/${waiting.body.id}`, { method: 'DELETE', token: key });
      await expect
        .poll(
          async () => (await call<{ data: unknown[] }>(`${short.url}/v1/events`, { token: key })).body.data,
          {
            timeout: 10_000,
          },
        )
        .toEqual([]);
    },
  );
}, 60_000);

it('sends session.expired for sessions the sweep expires, with nobody reading them', async () => {
  await withWebhookServer(
    { IDV_SESSION_TTL_SECONDS: '1', IDV_SWEEP_INTERVAL_SECONDS: '1' },
    async (quick) => {
      const { key } = quick;
      const hook = await startReceiver();
      quick.defer(() => hook.close());
      const endpoint = await call<{ secret: string }>(`${quick.url}/v1/webhook-endpoints`, {
        token: key,
        json: { url: `${hook.url}/expiry`, events: ['session.expired'] },
      });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          (
            await call<{ sessionId: string }>(`${quick.url}/v1/sessions`, {
              token: key,
              json: { flow: 'liveness' },
            })
          ).body.sessionId,
        );
      }
      await hook.until((received) => received.length >= 3, 15_000);
      const expired = hook.received.map((item) =>
        verifyWebhook<WebhookEvent>(item.body, item.headers['idv-signature'], endpoint.body.secret),
      );
      expect(expired.map((event) => event.type)).toEqual([
        'session.expired',
        'session.expired',
        'session.expired',
      ]);
      expect(new Set(expired.map((event) => event.data.session.sessionId))).toEqual(new Set(ids));
      expect(expired.every((event) => event.data.session.status === 'expired')).toBe(true);
    },
  );
}, 60_000);

it('gives a delivery up once its retry time is over, and redelivers it on request', async () => {
  // The retry window is 1 s here (3 days by default): the same code path, quicker.
  await withWebhookServer({ IDV_WEBHOOK_RETRY_FOR_SECONDS: '1' }, async (brief) => {
    const { key } = brief;
    const port = await freePort();
    const endpoint = await call<{ id: string }>(`${brief.url}/v1/webhook-endpoints`, {
      token: key,
      json: { url: `http://127.0.0.1:${port}/late`, events: ['session.created'] },
    });
    await call(`${brief.url}/v1/sessions`, { token: key, json: { flow: 'liveness' } });
    type Delivery = {
      id: string;
      status: string;
      attempts: { outcome: string; responseCode: number | null; error: string }[];
    };
    const first = async () =>
      (
        await call<{ data: Delivery[] }>(`${brief.url}/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, {
          token: key,
        })
      ).body.data[0];
    await expect.poll(async () => (await first())?.status, { timeout: 15_000 }).toBe('failed');
    const failed = (await first())!;
    expect(failed.attempts.length).toBeGreaterThan(1);
    for (const attempt of failed.attempts) {
      expect(attempt).toMatchObject({ outcome: 'failed', responseCode: null });
      expect(attempt.error).toMatch(/ECONNREFUSED/);
    }

    const back = await startReceiver(port);
    brief.defer(() => back.close());
    const redelivered = await call(`${brief.url}/v1/webhook-deliveries/${failed.id}/redeliver`, {
      method: 'POST',
      token: key,
    });
    expect(redelivered.status).toBe(200);
    await expect.poll(async () => (await first())?.status, { timeout: 15_000 }).toBe('succeeded');
    expect(back.received).toHaveLength(1);
  });
}, 60_000);
