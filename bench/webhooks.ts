/**
 * The webhook parts of `npm run bench -- server`:
 *   - delivery throughput: sessions created over HTTP with one endpoint registered, each `session.created`
 *     delivered, signed, to a local receiver that verifies it; deliveries per second end to end and
 *     event-to-receipt latency;
 *   - the outbox's added cost on session creation: the same SessionService.create in-process on a fresh
 *     SQLite file, with the event row written and with its insert left out, alternated.
 */
import { mkdtempSync } from 'node:fs';
import autocannon from 'autocannon';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/server/app.js';
import { createApiKey, findApiKey } from '../src/server/auth/api-keys.js';
import { BlobStore } from '../src/server/blobs.js';
import { loadConfig } from '../src/server/config.js';
import { loadAppKey, newId, Secrets } from '../src/server/secrets.js';
import { SessionService } from '../src/server/sessions/service.js';
import { eventSessionView } from '../src/server/sessions/view.js';
import type { SessionRow, Store } from '../src/server/store/store.js';
import { call } from '../src/server/test-support/http.js';
import { startReceiver } from '../src/server/test-support/receiver.js';
import { createKey, removeDataDir } from '../src/server/test-support/server-process.js';
import type { WebhookEvent } from '../src/server/webhooks/events.js';
import { recordEvent } from '../src/server/webhooks/events.js';
import { verifyWebhook } from '../src/server/webhooks/verify.js';
import { quantile } from './support.js';

const DELIVERY_SESSIONS = 3000;
const IDLE_SAMPLES = 30;

export async function webhookDelivery(serverUrl: string, dataDir: string) {
  const receiver = await startReceiver();
  const key = await createKey(dataDir, { scopes: ['sessions:write', 'webhooks:manage'] });
  const endpoint = await call<{ id: string; secret: string }>(`${serverUrl}/v1/webhook-endpoints`, {
    token: key,
    json: { url: `${receiver.url}/bench`, events: ['session.created'] },
  });
  if (endpoint.status !== 201) throw new Error(`endpoint: ${JSON.stringify(endpoint.body)}`);
  let invalid = 0;
  const latencies: number[] = [];
  receiver.respond = ({ headers, body }) => {
    try {
      const event = verifyWebhook<WebhookEvent>(body, headers['idv-signature'], endpoint.body.secret);
      latencies.push(Date.now() - Date.parse(event.createdAt));
    } catch {
      invalid++;
    }
    return 200;
  };
  try {
    // The sessions are created as fast as the server takes them; the worker delivers alongside and then
    // drains what is left, so the drain rate is the worker's own.
    const started = performance.now();
    const creation = await autocannon({
      url: `${serverUrl}/v1/sessions`,
      method: 'POST',
      connections: 32,
      amount: DELIVERY_SESSIONS,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ flow: 'liveness' }),
    });
    const created = performance.now();
    const deliveredAtCreationEnd = receiver.received.length;
    await receiver.until((received) => received.length >= DELIVERY_SESSIONS, 300_000);
    const done = performance.now();
    const seconds = (done - started) / 1000;

    const underLoad = [...latencies];
    // Idle: one creation at a time, from the creation request to the signed delivery's arrival.
    const idle: number[] = [];
    for (let i = 0; i < IDLE_SAMPLES; i++) {
      const count = receiver.received.length;
      const sent = Date.now();
      await call(`${serverUrl}/v1/sessions`, { token: key, json: { flow: 'liveness' } });
      await receiver.until((received) => received.length > count, 10_000);
      idle.push(receiver.received[count]!.at - sent);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      events: DELIVERY_SESSIONS,
      creationNon2xx: creation.non2xx,
      creationSeconds: Number(((created - started) / 1000).toFixed(2)),
      deliveredWhileCreating: deliveredAtCreationEnd,
      allDeliveredSeconds: Number(seconds.toFixed(2)),
      deliveriesPerSecond: Math.round(DELIVERY_SESSIONS / seconds),
      drainDeliveriesPerSecond: Math.round(
        (DELIVERY_SESSIONS - deliveredAtCreationEnd) / ((done - created) / 1000),
      ),
      eventToReceiptMs: { p50: quantile(underLoad, 0.5), p99: quantile(underLoad, 0.99) },
      idleRequestToReceiptMs: { samples: IDLE_SAMPLES, p50: quantile(idle, 0.5), p90: quantile(idle, 0.9) },
      duplicates:
        receiver.received.length - new Set(receiver.received.map((r) => r.headers['idv-event-id'])).size,
      invalidSignatures: invalid,
    };
  } finally {
    await receiver.close();
  }
}

/**
 * CPU µs per creation (the process's user + system time, so other jobs on the machine count less than in
 * wall time), `count` creations 64 at a time (they share group commits, as under load).
 */
async function timeCreations(
  sessions: SessionService,
  key: Parameters<SessionService['create']>[0],
  count: number,
) {
  const concurrency = 64;
  const cpu = process.cpuUsage();
  for (let done = 0; done < count; done += concurrency) {
    await Promise.all(
      Array.from({ length: concurrency }, () =>
        sessions.create(key, { flow: 'liveness', state: 'bench', metadata: { source: 'bench' } }),
      ),
    );
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / count;
}

/** CPU µs to build one event row (the session snapshot as JSON, an id) without writing it. */
function eventRowMicros(row: SessionRow): number {
  const rounds = 20_000;
  const cpu = process.cpuUsage();
  let size = 0;
  for (let i = 0; i < rounds; i++)
    size += JSON.stringify(eventSessionView(row)).length + newId('evt_').length;
  const used = process.cpuUsage(cpu);
  if (size === 0) throw new Error('unreachable');
  return (used.user + used.system) / rounds;
}

/**
 * CPU µs of the event insert alone: 64 concurrent transactions (one group commit, as under load) each
 * writing one event row, against the same transactions writing nothing, alternated.
 */
async function eventInsertMicros(store: Store, row: SessionRow): Promise<number> {
  const batches = 150;
  const run = async (write: boolean) => {
    const cpu = process.cpuUsage();
    for (let b = 0; b < batches; b++) {
      await Promise.all(
        Array.from({ length: 64 }, () =>
          store.transaction(async (tx) => {
            if (write) await recordEvent(tx, 'session.created', row, row.created_at);
          }),
        ),
      );
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / (batches * 64);
  };
  const withInsert: number[] = [];
  const without: number[] = [];
  for (let round = 0; round < 8; round++) {
    without.push(await run(false));
    withInsert.push(await run(true));
  }
  return quantile(withInsert, 0.5) - quantile(without, 0.5);
}

export async function outboxCost() {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-bench-outbox-'));
  const store: Store = openStore(dataDir, { backgroundCheckpoints: true });
  try {
    await store.migrate();
    const config = loadConfig({ dataDir });
    const secrets = new Secrets(loadAppKey(dataDir));
    const blobs = new BlobStore(join(dataDir, 'images'));
    await blobs.init();
    const sessions = new SessionService({
      store,
      secrets,
      config,
      blobs,
      publicUrl: () => 'http://127.0.0.1:8787',
    });
    const { secret } = await createApiKey(store, {
      environment: 'sandbox',
      scopes: ['sessions:write'],
      redirectOrigins: [],
    });
    const key = (await findApiKey(store, secret))!;
    // Without: the outbox insert is skipped on this instance only; building the row is measured apart.
    const realInsert = store.insertEvent.bind(store);
    const skipInsert = async () => undefined;
    const withOutbox: number[] = [];
    const without: number[] = [];
    await timeCreations(sessions, key, 2000); // warm-up
    for (let round = 0; round < 10; round++) {
      store.insertEvent = skipInsert;
      without.push(await timeCreations(sessions, key, 2000));
      store.insertEvent = realInsert;
      withOutbox.push(await timeCreations(sessions, key, 2000));
    }
    const created = await sessions.create(key, {
      flow: 'liveness',
      state: 'bench',
      metadata: { source: 'bench' },
    });
    const row = (await store.getSessionById(created.session.sessionId))!;
    const build = eventRowMicros(row);
    const isolated = await eventInsertMicros(store, row);
    const med = (values: number[]) => quantile(values, 0.5);
    // Each round's pair ran back to back under the same conditions: the median of the paired differences
    // is steadier than the difference of the medians.
    const insert = med(withOutbox.map((value, i) => value - without[i]!));
    const added = insert + build;
    return {
      method:
        'SessionService.create in-process, 64 at a time, 10 alternating rounds of 2000, with and without the event insert; median CPU µs per creation, insert cost as the median of paired round differences; building the event row timed on its own',
      creationCpuMicros: med(withOutbox),
      creationWithoutEventCpuMicros: Number((med(without) - build).toFixed(1)),
      eventInsertCpuMicros: Number(insert.toFixed(1)),
      eventRowBuildCpuMicros: Number(build.toFixed(1)),
      addedCpuMicros: Number(added.toFixed(1)),
      addedPercent: Number(((added / (med(withOutbox) - added)) * 100).toFixed(1)),
      // recordEvent (build + insert) inside group-committed transactions, against empty ones: the
      // steadier figure, since the creation rounds vary by more than the insert costs.
      recordEventIsolatedCpuMicros: Number(isolated.toFixed(1)),
      recordEventIsolatedPercent: Number(((isolated / med(withOutbox)) * 100).toFixed(1)),
      roundsWithMicros: withOutbox.map((value) => Math.round(value)),
      roundsWithoutMicros: without.map((value) => Math.round(value)),
    };
  } finally {
    await store.close();
    removeDataDir(dataDir);
  }
}
