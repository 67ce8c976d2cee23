/**
 * Assembles the session service: storage, secrets, services and routes on one Fastify instance.
 * `createService` opens everything; `listen` binds; `close` releases it all.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { BlobStore } from './blobs.js';
import type { ServerConfig } from './config.js';
import { ApiError } from './errors.js';
import { bearerToken } from './http/auth.js';
import { installErrorHandler } from './http/error-handler.js';
import { IDEMPOTENCY_WINDOW_MS } from './http/idempotency.js';
import { backendRoutes } from './routes/backend.js';
import { clientRoutes } from './routes/client.js';
import { hostedRoutes } from './routes/hosted.js';
import { sessionRoutes } from './routes/sessions.js';
import { systemRoutes } from './routes/system.js';
import { webhookRoutes } from './routes/webhooks.js';
import { hashToken, loadAppKey, Secrets } from './secrets.js';
import { CaptureService } from './sessions/capture.js';
import { ImageLinks } from './sessions/image-links.js';
import { SessionService } from './sessions/service.js';
import { openSqlite, type SqliteOptions } from './store/sqlite.js';
import { Store } from './store/store.js';
import { Deliveries } from './webhooks/deliveries.js';
import { WebhookEndpoints } from './webhooks/endpoints.js';
import { DeliveryWorker } from './webhooks/worker.js';

export interface Service {
  app: FastifyInstance;
  store: Store;
  /** Binds to the configured host and port; returns the base URL it listens on. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function openStore(dataDir: string, options: SqliteOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true });
  return new Store(openSqlite(join(dataDir, 'idv.sqlite'), options));
}

/** Logs carry method, path and status: never query strings (tokens ride there), headers or bodies. */
const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    path: request.url.split('?')[0],
    reqId: request.id,
  }),
};

export interface ServiceOptions {
  logger?: boolean;
  /** Extra routes served beside the API (the demo integrator site of `idv demo`). */
  plugins?: FastifyPluginAsync[];
}

export async function createService(config: ServerConfig, options: ServiceOptions = {}): Promise<Service> {
  const store = openStore(config.dataDir, { backgroundCheckpoints: true });
  await store.migrate();
  const blobs = new BlobStore(join(config.dataDir, 'images'));
  await blobs.init();
  await removeOrphanedBlobs(store, blobs);
  const secrets = new Secrets(loadAppKey(config.dataDir));

  let boundUrl = `http://${config.host}:${config.port}`;
  const publicUrl = () => config.publicUrl ?? boundUrl;
  const deps = { store, secrets, config, blobs, publicUrl };
  const sessions = new SessionService(deps);
  const capture = new CaptureService(deps, sessions);
  const imageLinks = new ImageLinks({ store, blobs, secrets, sessions, publicUrl });
  const endpoints = new WebhookEndpoints({ store, secrets });

  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel, serializers: logSerializers },
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  });
  // Webhooks go out from the outbox; the worker starts once the service listens.
  const worker = new DeliveryWorker(
    { store, secrets, onError: (error) => app.log.error({ err: error }, 'webhook worker failed') },
    {
      retry: {
        baseMs: config.webhookRetryBaseMs,
        maxMs: config.webhookRetryMaxMs,
        giveUpAfterMs: config.webhookRetryForSeconds * 1000,
      },
      timeoutMs: config.webhookTimeoutMs,
      concurrency: config.webhookConcurrency,
      pollMs: config.webhookPollMs,
    },
  );
  const deliveries = new Deliveries({ store, worker });
  app.decorateRequest('apiKey', null);
  app.decorateRequest('uploadGrant', null);
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Identity verification session API', version: '1.0.0' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'svk_test_… (sandbox) or svk_live_…' },
          uploadToken: { type: 'http', scheme: 'bearer', description: 'idvu_… from /v1/client/exchange' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(systemRoutes({ imageLinks }));
  await app.register(hostedRoutes({ store }));
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  // The API lives in its own context so the rate limit applies to it and not to health checks or pages.
  await app.register(async (v1) => {
    await v1.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // Per credential (hashed: no token is kept in memory), per address for anonymous requests.
      keyGenerator: (request) => {
        const token = bearerToken(request);
        return token ? hashToken(token) : request.ip;
      },
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          'rate_limit_error',
          'rate_limited',
          `Too many requests: at most ${context.max} a minute. Retry after ${context.after}.`,
        ),
    });
    await v1.register(sessionRoutes({ store, secrets, sessions, imageLinks }));
    await v1.register(clientRoutes({ capture, config }));
    await v1.register(backendRoutes({ store, sessions, capture, config }));
    await v1.register(webhookRoutes({ store, endpoints, deliveries }));
  });

  const sweep = setInterval(() => {
    const now = new Date();
    sessions
      .expireOverdue()
      .then(() => store.pruneIdempotencyKeys(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString()))
      .then(() =>
        store.transaction((tx) =>
          tx.pruneWebhookHistory(
            new Date(now.getTime() - config.webhookRetentionSeconds * 1000).toISOString(),
            5000,
          ),
        ),
      )
      .catch((error: unknown) => app.log.error({ err: error }, 'expiry sweep failed'));
  }, config.sweepIntervalSeconds * 1000);
  sweep.unref();

  return {
    app,
    store,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      boundUrl = address.replace('[::1]', 'localhost');
      worker.start();
      return boundUrl;
    },
    async close() {
      clearInterval(sweep);
      await worker.stop();
      await app.close();
      await store.close();
    },
  };
}

/**
 * Files written just before a crash, whose database row never committed, are removed on start. Only old
 * ones: another instance sharing the storage may be between writing a file and committing its row.
 */
const ORPHAN_MIN_AGE_MS = 10 * 60 * 1000;

async function removeOrphanedBlobs(store: Store, blobs: BlobStore): Promise<void> {
  const known = await store.listBlobKeys();
  const cutoff = Date.now() - ORPHAN_MIN_AGE_MS;
  for (const { key, modifiedAt } of await blobs.list()) {
    if (!known.has(key) && modifiedAt < cutoff) await blobs.delete(key);
  }
}
