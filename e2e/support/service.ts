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
  /** Reads a session over the integrator API. */
  getSession(sessionId: string): Promise<Record<string, unknown> & { status: string; checks: unknown[] }>;
  /** Lists a session's image metadata over the integrator API. */
  getImages(sessionId: string): Promise<Array<Record<string, unknown>>>;
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
        async getSession(sessionId) {
          const response = await fetch(`${server.url}/v1/sessions/${sessionId}`, {
            headers: { authorization: `Bearer ${apiKey}` },
          });
          if (!response.ok) throw new Error(`get failed: ${response.status}`);
          return response.json() as Promise<Record<string, unknown> & { status: string; checks: unknown[] }>;
        },
        async getImages(sessionId) {
          const response = await fetch(`${server.url}/v1/sessions/${sessionId}/images`, {
            headers: { authorization: `Bearer ${apiKey}` },
          });
          if (!response.ok) throw new Error(`images failed: ${response.status}`);
          const body = (await response.json()) as
            { data?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
          return Array.isArray(body) ? body : (body.data ?? []);
        },
      });
      await server.kill();
      removeDataDir(server.dataDir);
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
