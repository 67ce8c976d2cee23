/**
 * Playwright fixtures: a real session service process (built hosted page, fresh SQLite data directory)
 * and a sandbox API key, shared by the tests of one worker.
 */
import { test as base } from '@playwright/test';
import {
  createKey,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../../src/server/test-support/server-process.js';

export const CALLBACK_ORIGIN = 'http://localhost:4999';

export interface ServiceFixture {
  server: ServerProcess;
  apiKey: string;
  /** Creates a session over the integrator API and returns its JSON. */
  createSession(
    body: Record<string, unknown>,
  ): Promise<{ sessionId: string; hostedUrl: string; clientToken: string }>;
}

export const test = base.extend<object, { service: ServiceFixture }>({
  service: [
    // Playwright reads the fixtures a fixture needs from its first parameter: this one needs none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startServer();
      const apiKey = await createKey(server.dataDir, { origins: [CALLBACK_ORIGIN] });
      await use({
        server,
        apiKey,
        async createSession(body) {
          const response = await fetch(`${server.url}/v1/sessions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (response.status !== 201)
            throw new Error(`create failed: ${response.status} ${await response.text()}`);
          return response.json() as Promise<{ sessionId: string; hostedUrl: string; clientToken: string }>;
        },
      });
      await server.kill();
      removeDataDir(server.dataDir);
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
