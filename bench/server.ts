/**
 * Session service throughput, against the same framework's bare route in the same run:
 *   - session creations per second and p99 latency at 64 connections vs `GET /healthz`;
 *   - image intake rate for 1280×800 JPEGs vs sharp re-encoding the same JPEG alone.
 *   - webhook delivery throughput to a local receiver, and the outbox's added cost on creation
 *     (bench/webhooks.ts).
 * Targets: creation ≥ 35% of the bare rate with p99 < 25 ms; intake ≥ 70% of sharp's own rate.
 */
import autocannon from 'autocannon';
import sharp from 'sharp';
import { call } from '../src/server/test-support/http.js';
import { fixtureJpeg } from '../src/server/test-support/images.js';
import { createKey, removeDataDir, startServer } from '../src/server/test-support/server-process.js';
import { outboxCost, webhookDelivery } from './webhooks.js';

const CONNECTIONS = 64;
const DURATION_S = 10;
const INTAKE_CONCURRENCY = 4;
const INTAKE_DURATION_MS = 10_000;

async function load(options: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Runs `task` with `concurrency` workers for `durationMs`; returns completions per second. */
async function rate(task: () => Promise<void>, concurrency: number, durationMs: number): Promise<number> {
  let done = 0;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await task();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function runServerBench(): Promise<Record<string, unknown>> {
  const server = await startServer({
    env: { IDV_RATE_LIMIT_PER_MINUTE: '100000000', IDV_LOG_LEVEL: 'warn' },
  });
  try {
    const key = await createKey(server.dataDir);
    await load({ url: `${server.url}/healthz`, duration: 2 }); // warm-up
    const bare = await load({ url: `${server.url}/healthz` });
    const creation = await load({
      url: `${server.url}/v1/sessions`,
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ flow: 'liveness', state: 'bench', metadata: { source: 'bench' } }),
    });

    // Intake: liveness frames (the one kind a session takes many of), 1280×800 JPEG, spread over sessions.
    const jpeg = await fixtureJpeg('astronaut', 1280, 800);
    const tokens: string[] = [];
    for (let i = 0; i < INTAKE_CONCURRENCY; i++) {
      const created = await call<{ clientToken: string }>(`${server.url}/v1/sessions`, {
        token: key,
        json: { flow: 'liveness' },
      });
      const exchanged = await call<{ uploadToken: string }>(`${server.url}/v1/client/exchange`, {
        json: { clientToken: created.body.clientToken },
      });
      await call(`${server.url}/v1/client/consent`, { method: 'POST', token: exchanged.body.uploadToken });
      tokens.push(exchanged.body.uploadToken);
    }
    let next = 0;
    let refused = 0;
    const intakeRate = await rate(
      async () => {
        const token = tokens[next++ % tokens.length]!;
        const response = await fetch(`${server.url}/v1/client/images?kind=liveness_frame`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
          body: new Uint8Array(jpeg),
        });
        if (response.status !== 201) refused++;
        await response.arrayBuffer();
      },
      INTAKE_CONCURRENCY,
      INTAKE_DURATION_MS,
    );
    // The server is idle now: sharp alone gets the machine to itself, as the server had.
    const sharpRate = await rate(
      async () => {
        await sharp(jpeg).jpeg({ quality: 90 }).toBuffer();
      },
      INTAKE_CONCURRENCY,
      INTAKE_DURATION_MS,
    );

    // Webhooks: delivery from this server's outbox, then the outbox's cost measured on its own.
    const webhooks = await webhookDelivery(server.url, server.dataDir);
    const outbox = await outboxCost();

    const creationRatio = creation.requestsPerSecond / bare.requestsPerSecond;
    const intakeRatio = intakeRate / sharpRate;
    return {
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      bareHealthz: bare,
      sessionCreation: creation,
      creationToBareRatio: Number(creationRatio.toFixed(3)),
      intake: {
        image: '1280x800 JPEG',
        concurrency: INTAKE_CONCURRENCY,
        imagesPerSecond: Number(intakeRate.toFixed(1)),
        sharpReencodePerSecond: Number(sharpRate.toFixed(1)),
        ratio: Number(intakeRatio.toFixed(3)),
        refused,
      },
      webhookDelivery: webhooks,
      outboxCostOnCreation: outbox,
      targets: {
        creationRatio: { target: '>= 0.35', met: creationRatio >= 0.35 },
        creationP99: { target: '< 25 ms', met: creation.latencyP99Ms < 25 },
        intakeRatio: { target: '>= 0.70', met: intakeRatio >= 0.7 },
      },
    };
  } finally {
    await server.kill();
    removeDataDir(server.dataDir);
  }
}
