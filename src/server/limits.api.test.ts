/** Per-key rate limiting, over real HTTP, on a server configured with a small budget. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer({ env: { IDV_RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

it('answers 429 with Retry-After once a key spends its budget, without touching other keys', async () => {
  const [busy, quiet] = await Promise.all([createKey(server.dataDir), createKey(server.dataDir)]);
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<typeof call<ErrorShape>>> | undefined;
  for (let i = 0; i < 7; i++) {
    const response = await call<ErrorShape>(`${server.url}/v1/sessions`, { token: busy });
    statuses.push(response.status);
    if (response.status === 429) limited = response;
  }
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses.slice(5)).toEqual([429, 429]);
  expect(limited?.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
  expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await call(`${server.url}/v1/sessions`, { token: quiet })).status).toBe(200);
  // Health checks are never limited.
  expect((await call(`${server.url}/healthz`)).status).toBe(200);
});
